"""Inputs the API tests make for themselves."""

from __future__ import annotations

import itertools
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import cv2
import numpy as np

from station.evidence import EvidenceStore
from station.identifiers import gs1_check_digit
from station.identifiers.enterprise import uscc_check_character
from station.inspection.events import EventKind, publish
from station.inspection.models import (
    CheckResult,
    DefectClass,
    Inspection,
    InspectionStatus,
    Lot,
    LotDecision,
    Outcome,
    PhotoEvidence,
    ScanEvidence,
    ScanPurpose,
    Verdict,
    WeightEvidence,
)


def gtin13(body12: str) -> str:
    return body12 + str(gs1_check_digit(body12))


def uscc(body17: str = "91330100MA2XY0123") -> str:
    return body17 + uscc_check_character(body17)


def png(colour=(40, 120, 200), size=(64, 48)) -> bytes:
    image = np.full((size[1], size[0], 3), colour, np.uint8)
    cv2.rectangle(image, (5, 5), (20, 20), (255, 255, 255), -1)
    ok, data = cv2.imencode(".png", image)
    assert ok
    return data.tobytes()


GTIN_A, GTIN_B = gtin13("690000000001"), gtin13("690000000002")
LISTING = {
    "merchant_id": "M1",
    "brand_id": "B1",
    "category_id": "TEA",
    "title": "Lumora jasmine tea 100 g",
    "gtins": [GTIN_A],
    "unit_weight_g": 168,
    "weight_tolerance_g": 5,
    "price_minor": 18400,
    "currency": "CNY",
}
REFERENCE = [
    ("warehouses/WH1", {"name": "Hub one", "timezone": "Asia/Shanghai"}),
    ("warehouses/WH2", {"name": "Hub two"}),
    ("stations/ST1", {"warehouse_id": "WH1", "name": "Bench 1"}),
    ("stations/ST2", {"warehouse_id": "WH2", "name": "Bench 2"}),
    ("categories/FOOD", {"name": "Food"}),
    ("categories/TEA", {"name": "Tea", "parent_id": "FOOD"}),
    (
        "merchants/M1",
        {
            "enterprise_id": uscc(),
            "legal_name": "Jade River Trading Co., Ltd.",
            "paid_categories": [{"category_id": "TEA", "paid_from": "2026-01-01"}],
        },
    ),
    ("brands/B1", {"name": "Lumora", "owner_name": "Lumora Foods", "nice_classes": [30]}),
    (
        "brand-authorisations/A1",
        {"brand_id": "B1", "merchant_id": "M1", "valid_from": "2026-01-01", "categories": ["TEA"]},
    ),
    ("listings/L1", LISTING),
    ("listings/L2", {**LISTING, "title": "Lumora oolong 100 g", "gtins": [GTIN_B]}),
    (
        "shipments/S1",
        {
            "merchant_id": "M1",
            "warehouse_id": "WH1",
            "tracking_number": "SF1234567890",
            "lines": [{"line_no": 1, "listing_id": "L1", "quantity": 20}],
        },
    ),
    (
        "shipments/S2",
        {
            "merchant_id": "M1",
            "warehouse_id": "WH2",
            "tracking_number": "SF1234567891",
            "lines": [{"line_no": 1, "listing_id": "L2", "quantity": 8}],
        },
    ),
]

START = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)


@dataclass
class Results:
    inspections: dict[str, list[uuid.UUID]]  # per warehouse, in completion order
    lots: dict[str, uuid.UUID]
    photos: dict[uuid.UUID, bytes]  # first photo of each inspection


def make_inspection(
    session,
    store: EvidenceStore,
    *,
    warehouse: str,
    n: int,
    lot: Lot,
    verdict: Verdict,
    completed_at: datetime,
) -> tuple[Inspection, bytes]:
    shipment, listing, station = ("S1", "L1", "ST1") if warehouse == "WH1" else ("S2", "L2", "ST2")
    photo = png(colour=(n * 7 % 255, 90, 200))
    stored = store.put(photo)
    inspection = Inspection(
        lot_id=lot.id,
        shipment_id=shipment,
        listing_id=listing,
        warehouse_id=warehouse,
        station_id=station,
        unit_no=n,
        status=InspectionStatus.COMPLETED,
        verdict=verdict,
        final_verdict=verdict,
        gtin="0" + GTIN_A,
        serial=f"SN{n:04d}",
        started_at=completed_at - timedelta(minutes=2),
        completed_at=completed_at,
        defect_class=DefectClass.MAJOR if verdict is Verdict.FAIL else None,
    )
    inspection.checks = [
        CheckResult(position=1, check="identity", outcome=Outcome.PASS, reason="GTIN on listing"),
        CheckResult(
            position=2,
            check="weight",
            outcome=Outcome.FAIL if verdict is Verdict.FAIL else Outcome.PASS,
            measured="181.2 g",
            expected="168 g ± 5 g",
            defect_code="weight_out_of_tolerance" if verdict is Verdict.FAIL else None,
            defect_class=DefectClass.MAJOR if verdict is Verdict.FAIL else None,
            reason="outside tolerance" if verdict is Verdict.FAIL else "within tolerance",
        ),
    ]
    inspection.weights = [
        WeightEvidence(
            value_mg=181_200,
            unit="g",
            stable=True,
            status="ok",
            device="scale1",
            taken_at=completed_at,
        )
    ]
    inspection.scans = [
        ScanEvidence(
            purpose=ScanPurpose.UNIT,
            text=GTIN_A,
            symbology="ean13",
            aim="]E0",
            parsed={"gtin": "0" + GTIN_A},
            device="scanner1",
            scanned_at=completed_at,
        )
    ]
    inspection.photos = [
        PhotoEvidence(
            face="front",
            sha256=stored.sha256,
            media_type="image/png",
            width=64,
            height=48,
            camera="cam1",
            taken_at=completed_at,
        )
    ]
    session.add(inspection)
    session.flush()
    publish(
        session,
        kind=EventKind.INSPECTION_COMPLETED,
        subject_id=inspection.id,
        payload={"verdict": verdict.value},
        warehouse_id=warehouse,
        station_id=station,
        occurred_at=completed_at,
    )
    return inspection, photo


def make_results(db, store: EvidenceStore, per_warehouse: int = 5) -> Results:
    results = Results({"WH1": [], "WH2": []}, {}, {})
    with db.transaction() as session:
        for warehouse, shipment, listing in (("WH1", "S1", "L1"), ("WH2", "S2", "L2")):
            lot = Lot(
                shipment_id=shipment,
                line_no=1,
                listing_id=listing,
                quantity=20,
                sample_size=5,
                code_letter="C",
                decision=LotDecision.PENDING,
                opened_at=START,
            )
            session.add(lot)
            session.flush()
            results.lots[warehouse] = lot.id
    with db.transaction() as session:
        for n, warehouse in itertools.product(range(per_warehouse), ("WH1", "WH2")):
            lot = session.get(Lot, results.lots[warehouse])
            verdict = Verdict.FAIL if n == 2 else Verdict.PASS
            at = START + timedelta(minutes=10 * n + (1 if warehouse == "WH2" else 0))
            inspection, photo = make_inspection(
                session, store, warehouse=warehouse, n=n, lot=lot, verdict=verdict, completed_at=at
            )
            results.inspections[warehouse].append(inspection.id)
            results.photos[inspection.id] = photo
    with db.transaction() as session:
        lot = session.get(Lot, results.lots["WH1"])
        lot.decision = LotDecision.REJECTED
        publish(
            session,
            kind=EventKind.LOT_DECIDED,
            subject_id=lot.id,
            payload={"decision": "rejected"},
            warehouse_id="WH1",
        )
    return results
