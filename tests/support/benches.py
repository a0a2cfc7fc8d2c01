"""Helpers for tests that drive a bench on the sample data."""

from __future__ import annotations

import json
import random

import pytest
from sqlalchemy import func, select

from station.db.engine import Database
from station.evidence import EvidenceStore
from station.identifiers import s10_check_digit
from station.inspection.models import ResultEvent
from station.reference.models import Shipment, ShipmentLine, ShipmentStatus
from station.sample.load import sample_file
from station.workflow.bench import BenchShell
from station.workflow.machine import Policy
from station.workflow.operator import ScriptedOperator, UnitPlan

LISTINGS = {x["id"]: x for x in json.loads(sample_file("listings").read_text())}


def announce(
    db: Database,
    lines: list[tuple[str, int]],
    *,
    merchant: str | None = None,
    s10: str | None = "12345678",
    shipment_id: str = "T-1",
) -> tuple[str, str]:
    """A new ASN at WH-HZ1; returns its id and the label to scan (S10, or the id)."""
    label = f"EE{s10}{s10_check_digit(s10)}CN" if s10 else None
    with db.transaction() as session:
        shipment = Shipment(
            id=shipment_id,
            merchant_id=merchant or LISTINGS[lines[0][0]]["merchant_id"],
            warehouse_id="WH-HZ1",
            s10_id=label,
            status=ShipmentStatus.ANNOUNCED,
        )
        shipment.lines = [
            ShipmentLine(line_no=n, listing_id=listing, quantity=qty)
            for n, (listing, qty) in enumerate(lines, start=1)
        ]
        session.add(shipment)
    return shipment_id, label or shipment_id


def shell(db: Database, evidence: EvidenceStore, bench: str = "t-bench", **policy) -> BenchShell:
    return BenchShell(
        db,
        evidence,
        bench_id=bench,
        station_id="HZ1-B01",
        warehouse_id="WH-HZ1",
        policy=Policy(**policy) if policy else None,
    )


def operator(bench: BenchShell, seed: int = 1) -> ScriptedOperator:
    op = ScriptedOperator(bench, random.Random(seed))
    op.send({"type": "sign_in", "operator": "ann"})
    return op


def good_unit(listing_id: str, serial: str | None = None, expiry=None, weight_mg=None):
    from datetime import date

    listing = LISTINGS[listing_id]
    return UnitPlan(
        listing=listing,
        weight_mg=weight_mg or listing["unit_weight_g"] * 1000,
        serial=serial
        if serial is not None
        else ("SN-" + str(random.random())[2:12] if listing["requires_serial"] else None),
        expiry=expiry or (date(2028, 1, 31) if listing["requires_expiry"] else None),
    )


def events_of(db: Database, kind: str | None = None) -> list[ResultEvent]:
    with db.session() as session:
        query = select(ResultEvent).order_by(ResultEvent.position)
        if kind:
            query = query.where(ResultEvent.kind == kind)
        return list(session.scalars(query))


def count(db: Database, model, *where) -> int:
    with db.session() as session:
        return session.scalar(select(func.count()).select_from(model).where(*where)) or 0


# Tests whose subject does not depend on the database engine run on SQLite only; the
# engine-sensitive paths (events, review, lots, scorecards) run on both.
sqlite_only = pytest.mark.parametrize("backend", ["sqlite"])
