"""Evaluating a unit: gather the facts, run the checks, record findings and the verdict."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from station.checks.context import (
    authorisation_facts,
    brand_facts,
    earlier_with_serial,
    listing_facts,
    merchant_facts,
)
from station.checks.evaluate import UnitContext, evaluate_unit
from station.checks.facts import (
    AuthorisationFacts,
    BrandFacts,
    ListingFacts,
    MerchantFacts,
    ParcelFacts,
    UnitFacts,
)
from station.checks.findings import Finding
from station.checks.rules import rule_set
from station.clock import utcnow
from station.evidence import EvidenceStore
from station.identifiers import InvalidIdentifier, normalise_gtin
from station.inspection.events import EventKind, publish
from station.inspection.models import CheckResult, Inspection, InspectionStatus, Verdict
from station.reference.models import Shipment, Warehouse
from station.review.verdict import UnitVerdict, unit_verdict
from station.workflow.events import UnitEvaluated
from station.workflow.overlays import record_visual_evidence
from station.workflow.state import BenchState, UnitState

# (session, listing id, brand id, {face: sha256}) -> a vision decision, or None
VisionCall = Callable[[Session, str, str, dict[str, str]], Any]
# photo (BGR image) -> (problem codes, measurements): the photo quality gate
QualityCall = Callable[[Any], tuple[list[str], dict]]
# (inspection id, {face: sha256}) -> something to wait on: start the image work early
PrefetchCall = Callable[[uuid.UUID, dict[str, str]], Any]


@dataclass(frozen=True)
class Vision:
    """What the station has of the vision area; None where it is not installed."""

    match: VisionCall | None = None
    brand_mark: VisionCall | None = None
    photo_quality: QualityCall | None = None
    # Starts match and brand mark for a unit's photos in the background, so the
    # verdict's transaction finds them done (None: computed inside it).
    prefetch: PrefetchCall | None = None


@dataclass(frozen=True)
class LotFacts:
    """The reference facts of one lot's listing, read once per lot: a lot is inspected
    against the reference data as it stood when its first unit was evaluated."""

    listing: ListingFacts
    merchant: MerchantFacts
    brand: BrandFacts
    authorisations: dict[str, AuthorisationFacts]
    zone: ZoneInfo


def lot_facts(session: Session, merchant_id: str, listing_id: str, warehouse_id: str) -> LotFacts:
    listing = listing_facts(session, listing_id)
    warehouse = session.get(Warehouse, warehouse_id)
    return LotFacts(
        listing=listing,
        merchant=merchant_facts(session, merchant_id),
        brand=brand_facts(session, listing.brand_id),
        authorisations=authorisation_facts(session, merchant_id, listing.brand_id),
        zone=ZoneInfo(warehouse.timezone if warehouse and warehouse.timezone else "UTC"),
    )


def evaluate(
    session: Session,
    state: BenchState,
    unit: UnitState,
    vision: Vision,
    facts: LotFacts,
    evidence: EvidenceStore | None = None,
) -> UnitEvaluated:
    assert unit.inspection_id is not None and state.shipment is not None
    inspection = session.get(Inspection, unit.inspection_id)
    assert inspection is not None and inspection.listing_id is not None
    context = unit_context(session, state, unit, inspection, vision, facts)
    record_visual_evidence(session, evidence, unit, context.match, context.brand_mark)
    findings = evaluate_unit(context, rule_set(context.listing.rules))
    verdict = unit_verdict(findings)
    record_verdict(session, inspection, unit, findings, verdict, facts.merchant.id)
    return UnitEvaluated(
        verdict=verdict.verdict.value,
        defect_class=verdict.defect_class.value if verdict.defect_class else None,
        reason_en=verdict.reason.en,
        reason_zh=verdict.reason.zh,
    )


def unit_context(
    session: Session,
    state: BenchState,
    unit: UnitState,
    inspection: Inspection,
    vision: Vision,
    facts: LotFacts,
) -> UnitContext:
    listing = facts.listing
    photos = dict(unit.photos)
    match = vision.match(session, listing.id, listing.brand_id, photos) if vision.match else None
    mark = (
        vision.brand_mark(session, listing.id, listing.brand_id, photos)
        if vision.brand_mark
        else None
    )
    return UnitContext(
        on=utcnow().astimezone(facts.zone).date(),
        parcel=_parcel_facts(state),
        merchant=facts.merchant,
        listing=listing,
        brand=facts.brand,
        authorisations=facts.authorisations,
        unit=UnitFacts(
            gtin=unit.gtin,
            serial=unit.serial,
            batch=unit.batch,
            expiry=unit.expiry,
            weight_mg=unit.weight_mg,
            photos=tuple(unit.photos),
            answers=dict(unit.answers),
            skipped=dict(unit.skipped),
            waived=dict(unit.waived),
            damaged=unit.damaged,
            photo_problems={
                face: tuple(codes)
                for face, codes in unit.photo_problems.items()
                if face in unit.photos
            },
        ),
        earlier_with_serial=earlier_with_serial(
            session, _gtin14(unit.gtin), unit.serial, inspection.id
        ),
        match=match,
        match_missing=None if vision.match else "listing match not installed",
        brand_mark=mark,
        brand_mark_missing=None if vision.brand_mark else "brand mark detection not installed",
    )


def _parcel_facts(state: BenchState) -> ParcelFacts:
    shipment, parcel = state.shipment, state.parcel
    assert shipment is not None
    return ParcelFacts(
        scanned=parcel.text if parcel else shipment.id,
        kind=parcel.kind if parcel else "shipment_qr",
        valid=True,
        shipment_id=shipment.id,
        tracking_number=shipment.tracking_number,
        s10_id=shipment.s10_id,
    )


def _gtin14(text: str | None) -> str | None:
    if not text:
        return None
    try:
        return normalise_gtin(text)
    except InvalidIdentifier:
        return None


def record_verdict(
    session: Session,
    inspection: Inspection,
    unit: UnitState,
    findings: list[Finding],
    verdict: UnitVerdict,
    merchant_id: str | None = None,
) -> None:
    """Findings, verdict and (for a final verdict) the result event, in the caller's transaction."""
    inspection.gtin = _gtin14(unit.gtin) or (unit.gtin or "")[:14] or None
    inspection.serial, inspection.batch, inspection.expiry = unit.serial, unit.batch, unit.expiry
    write_findings(session, inspection, findings)
    inspection.verdict = verdict.verdict
    inspection.defect_class = verdict.defect_class
    inspection.status = InspectionStatus.COMPLETED
    inspection.completed_at = utcnow()
    if verdict.verdict != Verdict.REVIEW:
        inspection.final_verdict = verdict.verdict
        publish_completed(session, inspection, findings, merchant_id)


def write_findings(session: Session, inspection: Inspection, findings: list[Finding]) -> None:
    for position, finding in enumerate(findings):
        session.add(
            CheckResult(
                inspection_id=inspection.id,
                position=position,
                check=finding.check,
                outcome=finding.outcome,
                measured=_cut(finding.measured),
                expected=_cut(finding.expected),
                defect_code=finding.defect.code if finding.defect else None,
                defect_class=finding.defect.defect_class if finding.defect else None,
                reason=_cut(finding.reason.en) or "",
                reason_zh=_cut(finding.reason.zh) or "",
                details=finding.details,
            )
        )


def _cut(text: str | None, limit: int = 500) -> str | None:
    return text if text is None or len(text) <= limit else text[: limit - 1] + "…"


def publish_completed(
    session: Session,
    inspection: Inspection,
    findings: list[Finding] | None = None,
    merchant_id: str | None = None,
) -> None:
    """The inspection's first final verdict, for the marketplace."""
    if merchant_id is None and inspection.shipment_id:
        shipment = session.get(Shipment, inspection.shipment_id)
        merchant_id = shipment.merchant_id if shipment else None
    publish(
        session,
        kind=EventKind.INSPECTION_COMPLETED,
        subject_id=inspection.id,
        payload=inspection_payload(session, inspection, merchant_id, findings),
        warehouse_id=inspection.warehouse_id,
        station_id=inspection.station_id,
    )


def inspection_payload(
    session: Session,
    inspection: Inspection,
    merchant_id: str | None,
    findings: list[Finding] | None = None,
) -> dict[str, Any]:
    """What the marketplace reads about an inspection; checks from `findings` when given
    (just evaluated), else from the recorded check results."""
    if findings is not None:
        checks = [
            {
                "check": f.check,
                "outcome": f.outcome.value,
                "defect_code": f.defect.code if f.defect else None,
            }
            for f in findings
        ]
    else:
        session.flush()
        rows = session.scalars(
            select(CheckResult)
            .where(CheckResult.inspection_id == inspection.id)
            .order_by(CheckResult.position)
        )
        checks = [
            {"check": c.check, "outcome": c.outcome.value, "defect_code": c.defect_code}
            for c in rows
        ]
    return {
        "inspection_id": str(inspection.id),
        "scope": "unit" if inspection.lot_id else "parcel",
        "shipment_id": inspection.shipment_id,
        "merchant_id": merchant_id,
        "lot_id": str(inspection.lot_id) if inspection.lot_id else None,
        "listing_id": inspection.listing_id,
        "unit_no": inspection.unit_no,
        "verdict": inspection.final_verdict.value if inspection.final_verdict else None,
        "defect_class": inspection.defect_class.value if inspection.defect_class else None,
        "gtin": inspection.gtin,
        "serial": inspection.serial,
        "expiry": inspection.expiry.isoformat() if inspection.expiry else None,
        "operator": inspection.operator_name,
        "completed_at": inspection.completed_at.isoformat() if inspection.completed_at else None,
        "checks": checks,
    }
