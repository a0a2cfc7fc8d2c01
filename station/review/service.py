"""Supervisor review: the queue, decisions on units in review, overrides of verdicts and lots.

A unit in review gets its first final verdict from the supervisor: that publishes
`inspection.completed`. Changing a verdict that was already final publishes
`inspection.overridden`. Both keep an Override row and an audit entry, and both
re-decide the unit's lot when it is closed. Every change needs a reason.
"""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from station.audit.models import record as audit
from station.checks.defects import rank
from station.errors import NotFound, StationError
from station.inspection.events import EventKind, publish
from station.inspection.models import (
    CheckResult,
    DefectClass,
    Disposition,
    Inspection,
    InspectionStatus,
    Lot,
    LotDecision,
    Outcome,
    Override,
    Verdict,
)
from station.lots import service as lots
from station.reference.models import Shipment
from station.workflow.evaluation import inspection_payload, publish_completed


class ReviewRefused(StationError):
    """A review decision that cannot be taken as asked."""


def review_queue(session: Session, warehouse_id: str | None = None, limit: int = 100):
    """Completed inspections still waiting for a supervisor, oldest first."""
    query = select(Inspection).where(
        Inspection.status == InspectionStatus.COMPLETED,
        Inspection.verdict == Verdict.REVIEW,
        Inspection.final_verdict.is_(None),
    )
    if warehouse_id:
        query = query.where(Inspection.warehouse_id == warehouse_id)
    return list(session.scalars(query.order_by(Inspection.completed_at).limit(limit)))


def decide_unit(
    session: Session,
    inspection_id: uuid.UUID,
    *,
    verdict: Verdict | str,
    reason: str,
    actor: str,
    defect_class: DefectClass | str | None = None,
) -> Inspection:
    """Set a unit's final verdict (from review) or override it (from pass/fail)."""
    verdict = Verdict(verdict)
    reason = _required_reason(reason)
    inspection = session.get(Inspection, inspection_id)
    if inspection is None or inspection.status != InspectionStatus.COMPLETED:
        raise NotFound(f"no completed inspection {inspection_id}")
    if verdict == Verdict.REVIEW:
        raise ReviewRefused("a supervisor decides pass or fail, not review")
    before = inspection.final_verdict
    if before == verdict:
        raise ReviewRefused(f"inspection {inspection_id} is already {verdict.value}")
    inspection.defect_class = _defect_class_after(session, inspection, verdict, defect_class)
    inspection.final_verdict = verdict
    from_value = before.value if before else Verdict.REVIEW.value
    _keep_trail(session, inspection, from_value, verdict.value, reason, actor, first=before is None)
    if before is None:
        publish_completed(session, inspection)
    else:
        _publish_override(session, inspection, from_value, reason, actor)
    if inspection.lot_id is not None:
        session.flush()
        lots.redecide(session, inspection.lot_id, actor)
    return inspection


def _keep_trail(
    session: Session,
    inspection: Inspection,
    from_value: str,
    to_value: str,
    reason: str,
    actor: str,
    *,
    first: bool,
) -> None:
    session.add(
        Override(
            inspection_id=inspection.id,
            actor=actor,
            from_value=from_value,
            to_value=to_value,
            reason=reason,
        )
    )
    audit(
        session,
        actor=actor,
        action="inspection.reviewed" if first else "inspection.overridden",
        subject_type="inspection",
        subject_id=str(inspection.id),
        from_value=from_value,
        to_value=to_value,
        reason=reason,
    )


def _required_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if len(reason) < 3:
        raise ReviewRefused("a reason is required (at least a few words) for every review decision")
    return reason


def _defect_class_after(
    session: Session, inspection: Inspection, verdict: Verdict, given: DefectClass | str | None
) -> DefectClass | None:
    chosen = DefectClass(given) if given else None
    if verdict == Verdict.PASS:
        if chosen not in (None, DefectClass.MINOR):
            raise ReviewRefused("a passed unit can carry a minor defect at most")
        return chosen
    if chosen is not None:
        return chosen
    classes = session.scalars(
        select(CheckResult.defect_class).where(
            CheckResult.inspection_id == inspection.id,
            CheckResult.outcome.in_([Outcome.FAIL, Outcome.REVIEW]),
            CheckResult.defect_class.is_not(None),
        )
    )
    return min(classes, key=rank, default=DefectClass.MAJOR)


def _publish_override(
    session: Session, inspection: Inspection, from_value: str, reason: str, actor: str
) -> None:
    shipment = session.get(Shipment, inspection.shipment_id) if inspection.shipment_id else None
    session.flush()
    payload = inspection_payload(session, inspection, shipment.merchant_id if shipment else None)
    payload.update({"from_verdict": from_value, "reason": reason, "overridden_by": actor})
    publish(
        session,
        kind=EventKind.INSPECTION_OVERRIDDEN,
        subject_id=inspection.id,
        payload=payload,
        warehouse_id=inspection.warehouse_id,
        station_id=inspection.station_id,
    )


def override_lot(
    session: Session,
    lot_id: uuid.UUID,
    *,
    decision: LotDecision | str,
    disposition: Disposition | str,
    reason: str,
    actor: str,
) -> Lot:
    """A supervisor's lot decision and disposition, replacing the computed ones."""
    decision, disposition = LotDecision(decision), Disposition(disposition)
    reason = _required_reason(reason)
    lot = session.get(Lot, lot_id)
    if lot is None:
        raise NotFound(f"lot {lot_id} does not exist")
    if decision == LotDecision.PENDING:
        raise ReviewRefused("a supervisor decides accepted or rejected, not pending")
    before = f"{lot.decision.value}/{lot.disposition.value if lot.disposition else '-'}"
    lot.decision, lot.disposition = decision, disposition
    after = f"{decision.value}/{disposition.value}"
    session.add(
        Override(lot_id=lot.id, actor=actor, from_value=before, to_value=after, reason=reason)
    )
    audit(
        session,
        actor=actor,
        action="lot.overridden",
        subject_type="lot",
        subject_id=str(lot.id),
        from_value=before,
        to_value=after,
        reason=reason,
    )
    shipment = session.get(Shipment, lot.shipment_id)
    assert shipment is not None
    payload = lots.lot_payload(lot, shipment, lots.tally_of(session, lot.id), revised=True)
    payload.update({"overridden_by": actor, "reason": reason, "from": before})
    publish(
        session,
        kind=EventKind.LOT_DECIDED,
        subject_id=lot.id,
        payload=payload,
        warehouse_id=shipment.warehouse_id,
        station_id=lot.station_id,
    )
    return lot
