"""Lots in the database: open, count, plan, close, abandon, and re-decide after review."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from station import sampling
from station.audit.models import record as audit
from station.checks.context import listing_facts
from station.checks.rules import rule_set
from station.checks.unit import QuantityInput, check_quantity
from station.clock import utcnow
from station.errors import NotFound
from station.inspection.events import EventKind, publish
from station.inspection.models import (
    Disposition,
    Inspection,
    InspectionStatus,
    Lot,
    LotDecision,
    LotStatus,
)
from station.lots import planning
from station.lots.decision import decide, disposition, judge
from station.reference.models import Shipment, ShipmentLine
from station.settings import SamplingSettings
from station.workflow.state import LineView, PlanView, Tally


def line_view(session: Session, line: ShipmentLine, done: bool) -> LineView:
    facts = listing_facts(session, line.listing_id)
    rules = rule_set(facts.rules)
    return LineView(
        line_no=line.line_no,
        listing_id=line.listing_id,
        title=facts.title,
        quantity=line.quantity,
        gtins=sorted(facts.gtins),
        requires_serial=facts.requires_serial,
        requires_expiry=facts.requires_expiry,
        rules=rules.name,
        photo_faces=list(rules.photo_faces),
        questions=[q.id for q in rules.questions],
        done=done,
    )


def closed_lines(session: Session, shipment_id: str) -> set[int]:
    """Lines whose lot is closed (decided or waiting for review); abandoned ones are open."""
    rows = session.scalars(
        select(Lot.line_no).where(Lot.shipment_id == shipment_id, Lot.status == LotStatus.CLOSED)
    )
    return set(rows)


def open_lot(session: Session, shipment_id: str, line_no: int, station_id: str | None):
    line = session.get(ShipmentLine, (shipment_id, line_no))
    if line is None:
        raise NotFound(f"shipment {shipment_id} has no line {line_no}")
    lot = Lot(
        shipment_id=shipment_id,
        line_no=line_no,
        listing_id=line.listing_id,
        station_id=station_id,
        quantity=line.quantity,
    )
    session.add(lot)
    session.flush()
    return lot, line_view(session, line, done=False)


def count_lot(session: Session, lot_id: uuid.UUID, counted: int) -> None:
    lot = _lot(session, lot_id)
    rules = rule_set(listing_facts(session, lot.listing_id).rules)
    finding = check_quantity(
        QuantityInput(
            expected=lot.quantity,
            counted=counted,
            short_tolerance_pct=rules.quantity.short_tolerance_pct,
            over_tolerance_pct=rules.quantity.over_tolerance_pct,
        )
    )
    lot.received_quantity = counted
    lot.findings = [finding.as_dict()]


def plan_lot(
    session: Session, lot_id: uuid.UUID, lot_size: int, settings: SamplingSettings
) -> PlanView:
    lot = _lot(session, lot_id)
    shipment = session.get(Shipment, lot.shipment_id)
    assert shipment is not None
    rules = rule_set(listing_facts(session, lot.listing_id).rules)
    plan = planning.plan_for(
        session,
        merchant_id=shipment.merchant_id,
        listing_id=lot.listing_id,
        lot_size=lot_size,
        rules=rules.sampling,
        settings=settings,
    )
    lot.scheme, lot.inspection_level, lot.severity = plan.scheme, plan.level, plan.severity
    lot.code_letter, lot.sample_size, lot.seed = plan.code_letter, plan.sample_size, plan.seed
    # The whole plan: per class {aql, code_letter, n, judged_on, ac, re}, the draw order.
    lot.plan = plan.model_dump(mode="json")
    return plan


def close_lot(
    session: Session,
    lot_id: uuid.UUID,
    decision: str,
    where: str | None,
    tally: Tally,
    actor: str,
) -> None:
    lot = _lot(session, lot_id)
    lot.status = LotStatus.CLOSED
    lot.closed_at = utcnow()
    lot.decided_by = actor
    _set_decision(session, lot, decision, where, tally, actor, unit_defects(session, lot_id))


def abandon_lot(session: Session, lot_id: uuid.UUID, reason: str, actor: str) -> None:
    lot = _lot(session, lot_id)
    lot.status = LotStatus.ABANDONED
    lot.closed_at = utcnow()
    lot.disposition = Disposition.QUARANTINE
    audit(
        session,
        actor=actor,
        action="lot.abandoned",
        subject_type="lot",
        subject_id=str(lot.id),
        reason=reason,
    )


def redecide(session: Session, lot_id: uuid.UUID, actor: str) -> str | None:
    """After a review or override: the lot's decision from its units' final verdicts."""
    lot = _lot(session, lot_id)
    if lot.status != LotStatus.CLOSED or not lot.plan:
        return None
    plan = PlanView.model_validate(lot.plan)
    tally, defects = tally_of(session, lot_id), unit_defects(session, lot_id)
    decision = decide(plan, tally, defects)
    if decision == lot.decision.value:
        return decision
    _set_decision(session, lot, decision, disposition(decision, tally), tally, actor, defects)
    return decision


def unit_defects(session: Session, lot_id: uuid.UUID) -> dict[int, str]:
    """Unit number -> class of its defect, for units whose verdict is final."""
    rows = session.execute(
        select(Inspection.unit_no, Inspection.defect_class).where(
            Inspection.lot_id == lot_id,
            Inspection.status == InspectionStatus.COMPLETED,
            Inspection.final_verdict.is_not(None),
            Inspection.defect_class.is_not(None),
        )
    )
    return {no: cls.value for no, cls in rows if no is not None}


def tally_of(session: Session, lot_id: uuid.UUID) -> Tally:
    tally = Tally()
    rows = session.execute(
        select(Inspection.final_verdict, Inspection.verdict, Inspection.defect_class).where(
            Inspection.lot_id == lot_id, Inspection.status == InspectionStatus.COMPLETED
        )
    )
    for final, verdict, defect_class in rows:
        current = final or verdict
        if final is None:
            tally.review += 1
            continue
        if current.value == "pass":
            tally.passed += 1
        else:
            tally.failed += 1
        if defect_class is not None:
            key = defect_class.value
            tally.defectives[key] = tally.defectives.get(key, 0) + 1
    return tally


def _set_decision(
    session: Session,
    lot: Lot,
    decision: str,
    where: str | None,
    tally: Tally,
    actor: str,
    defects: dict[int, str],
) -> None:
    first = lot.decision == LotDecision.PENDING
    lot.decision = LotDecision(decision)
    lot.disposition = Disposition(where) if where else None
    audit(
        session,
        actor=actor,
        action="lot.decided",
        subject_type="lot",
        subject_id=str(lot.id),
        decision=decision,
        disposition=where,
        tally=tally.model_dump(),
    )
    if decision == "pending":
        return
    shipment = session.get(Shipment, lot.shipment_id)
    assert shipment is not None
    if first:
        _record_for_switching(session, lot, shipment.merchant_id, defects, actor)
    publish(
        session,
        kind=EventKind.LOT_DECIDED,
        subject_id=lot.id,
        payload=lot_payload(lot, shipment, tally, revised=not first),
        warehouse_id=shipment.warehouse_id,
        station_id=lot.station_id,
    )


def _record_for_switching(
    session: Session, lot: Lot, merchant_id: str, defects: dict[int, str], actor: str
) -> None:
    """The lot's first decision feeds the switching rules (skipped lots stay outside them)."""
    plan = PlanView.model_validate(lot.plan) if lot.plan else None
    if plan is None or plan.mode == "skip" or not plan.units:
        return
    judgement = judge(plan, defects)
    sampling.record_lot_result(
        session,
        merchant_id,
        lot.listing_id,
        judgement.accepted,
        switching_points=judgement.switching_points,
        beyond_acceptance=judgement.beyond_acceptance,
        lot_id=lot.id,
        actor=actor,
    )


def lot_payload(lot: Lot, shipment: Shipment, tally: Tally, *, revised: bool) -> dict[str, Any]:
    return {
        "lot_id": str(lot.id),
        "shipment_id": lot.shipment_id,
        "line_no": lot.line_no,
        "listing_id": lot.listing_id,
        "merchant_id": shipment.merchant_id,
        "decision": lot.decision.value,
        "disposition": lot.disposition.value if lot.disposition else None,
        "expected_quantity": lot.quantity,
        "received_quantity": lot.received_quantity,
        "scheme": lot.scheme,
        "severity": lot.severity,
        "code_letter": lot.code_letter,
        "sample_size": lot.sample_size,
        "tally": tally.model_dump(),
        "findings": lot.findings,
        "revised": revised,
    }


def _lot(session: Session, lot_id: uuid.UUID) -> Lot:
    lot = session.get(Lot, lot_id)
    if lot is None:
        raise NotFound(f"lot {lot_id} does not exist")
    return lot
