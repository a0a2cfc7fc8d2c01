"""Carrying out the machine's effects in the database (one transaction per bench step)."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from station.audit.models import record as audit
from station.checks.facts import ParcelFacts
from station.checks.reference import check_traceability
from station.clock import utcnow
from station.inspection.models import (
    Inspection,
    InspectionStatus,
    PhotoEvidence,
    ScanEvidence,
    ScanPurpose,
    Verdict,
    WeightEvidence,
)
from station.logs import inspection_in_context
from station.lots import service as lots
from station.reference.models import Shipment, ShipmentStatus
from station.review.verdict import unit_verdict
from station.settings import SamplingSettings
from station.workflow import effects as fx
from station.workflow.evaluation import (
    LotFacts,
    Vision,
    evaluate,
    lot_facts,
    publish_completed,
    write_findings,
)
from station.workflow.events import (
    Event,
    LotOpened,
    LotPlanned,
    ShipmentFound,
    ShipmentUnknown,
    UnitOpened,
)
from station.workflow.state import BenchState, ParcelScan, ShipmentView

log = logging.getLogger(__name__)


@dataclass
class Bench:
    """Who carries out the effects: which bench, station and warehouse, and its vision."""

    bench_id: str
    station_id: str | None
    warehouse_id: str | None
    vision: Vision
    sampling: SamplingSettings
    # Reference facts per lot, read at the lot's first evaluation (a few lots at most).
    lot_facts: dict = field(default_factory=dict)

    def facts_for(self, session: Session, state: BenchState, lot_id) -> LotFacts:
        facts = self.lot_facts.get(lot_id)
        if facts is None:
            line, shipment = state.current_line(), state.shipment
            assert line is not None and shipment is not None
            if len(self.lot_facts) > 8:
                self.lot_facts.clear()
            facts = lot_facts(session, shipment.merchant_id, line.listing_id, shipment.warehouse_id)
            self.lot_facts[lot_id] = facts
        return facts


def carry_out(session: Session, bench: Bench, state: BenchState, effect: fx.Effect) -> Event | None:
    """Do one effect; return the machine's answer for effects that have one. Log records
    made meanwhile carry the inspection the effect is about (station.logs)."""
    inspection_id = getattr(effect, "inspection_id", None)
    if inspection_id is None and state.unit is not None:
        inspection_id = state.unit.inspection_id
    with inspection_in_context(inspection_id):
        log.debug("bench %s: %s", bench.bench_id, effect.kind)
        return _carry_out(session, bench, state, effect)


def _carry_out(
    session: Session, bench: Bench, state: BenchState, effect: fx.Effect
) -> Event | None:
    actor = state.operator or "bench"
    match effect:
        case fx.FindShipment():
            return find_shipment(session, effect.parcel)
        case fx.RecordParcel():
            record_parcel(session, bench, effect, actor)
        case fx.OpenShipment():
            _set_shipment(session, effect.shipment_id, ShipmentStatus.INSPECTING, None, actor)
        case fx.CloseShipment():
            status = ShipmentStatus(effect.status)
            _set_shipment(session, effect.shipment_id, status, effect.reason, actor)
        case fx.OpenLot():
            lot, line = lots.open_lot(session, effect.shipment_id, effect.line_no, bench.station_id)
            return LotOpened(lot_id=lot.id, line=line)
        case fx.CountLot():
            lots.count_lot(session, effect.lot_id, effect.counted)
        case fx.PlanLot():
            plan = lots.plan_lot(session, effect.lot_id, effect.lot_size, bench.sampling)
            return LotPlanned(plan=plan)
        case fx.OpenUnit():
            return UnitOpened(inspection_id=open_unit(session, bench, effect, state))
        case fx.EvaluateUnit():
            facts = bench.facts_for(session, state, effect.lot_id)
            return evaluate(session, state, effect.unit, bench.vision, facts)
        case fx.CloseLot():
            lots.close_lot(
                session, effect.lot_id, effect.decision, effect.disposition, effect.tally, actor
            )
        case fx.AbandonLot():
            lots.abandon_lot(session, effect.lot_id, effect.reason, actor)
        case _:
            record_evidence(session, bench, effect, actor)
    return None


def record_evidence(session: Session, bench: Bench, effect: fx.Effect, actor: str) -> None:
    match effect:
        case fx.RecordScan():
            session.add(_scan_row(effect))
        case fx.RecordWeight():
            session.add(_weight_row(effect))
        case fx.RecordPhoto():
            session.add(_photo_row(effect))
        case fx.AbandonUnit():
            _abandon_unit(session, effect, actor)
        case fx.Audit():
            audit(
                session,
                actor=effect.actor,
                action=effect.action,
                subject_type="bench",
                subject_id=bench.bench_id,
                **effect.detail,
            )


def _scan_row(effect: fx.RecordScan) -> ScanEvidence:
    scan = effect.scan
    return ScanEvidence(
        inspection_id=effect.inspection_id,
        purpose=ScanPurpose(effect.purpose),
        text=scan.text,
        symbology=scan.symbology,
        aim=scan.aim,
        parsed=dict(scan.identification.fields) if scan.identification else {},
        device=scan.device,
        scanned_at=scan.at or utcnow(),
    )


def _weight_row(effect: fx.RecordWeight) -> WeightEvidence:
    weight = effect.weight
    return WeightEvidence(
        inspection_id=effect.inspection_id,
        value_mg=weight.milligrams or 0,
        unit="mg",
        stable=weight.stable,
        status=weight.status,
        device=weight.device,
        taken_at=weight.at or utcnow(),
    )


def _photo_row(effect: fx.RecordPhoto) -> PhotoEvidence:
    photo = effect.photo
    return PhotoEvidence(
        inspection_id=effect.inspection_id,
        face=effect.face,
        sha256=photo.sha256,
        media_type=photo.media_type,
        width=photo.width,
        height=photo.height,
        camera=photo.camera,
        taken_at=photo.at or utcnow(),
    )


def _abandon_unit(session: Session, effect: fx.AbandonUnit, actor: str) -> None:
    inspection = session.get(Inspection, effect.inspection_id)
    if inspection is not None and inspection.status == InspectionStatus.OPEN:
        inspection.status = InspectionStatus.ABANDONED
        inspection.completed_at = utcnow()
    audit(
        session,
        actor=actor,
        action="inspection.abandoned",
        subject_type="inspection",
        subject_id=str(effect.inspection_id),
        reason=effect.reason,
    )


def find_shipment(session: Session, parcel: ParcelScan) -> Event:
    if not parcel.valid and parcel.kind != "unknown":
        return ShipmentUnknown(reason=parcel.reason or f"{parcel.text!r} is not valid")
    shipment = _shipment_for(session, parcel)
    if shipment is None:
        return ShipmentUnknown(reason=f"no ASN has {parcel.text}")
    done = lots.closed_lines(session, shipment.id)
    view = ShipmentView(
        id=shipment.id,
        merchant_id=shipment.merchant_id,
        warehouse_id=shipment.warehouse_id,
        tracking_number=shipment.tracking_number,
        s10_id=shipment.s10_id,
        lines=[lots.line_view(session, line, line.line_no in done) for line in shipment.lines],
    )
    return ShipmentFound(shipment=view)


def _shipment_for(session: Session, parcel: ParcelScan) -> Shipment | None:
    fields = parcel.fields
    if parcel.kind == "shipment_qr":
        return session.get(Shipment, fields.get("shipment_id", ""))
    if parcel.kind == "s10":
        return session.scalar(select(Shipment).where(Shipment.s10_id == fields.get("s10")))
    if parcel.kind == "tracking":
        number = fields.get("number", parcel.text.strip())
        return session.scalar(select(Shipment).where(Shipment.tracking_number == number))
    text = parcel.text.strip()
    for column in (Shipment.tracking_number, Shipment.s10_id):
        found = session.scalar(select(Shipment).where(column == text))
        if found is not None:
            return found
    return session.get(Shipment, text)


def record_parcel(session: Session, bench: Bench, effect: fx.RecordParcel, actor: str) -> None:
    """The parcel's own inspection: its scan, the traceability check, a verdict, an event."""
    parcel = effect.parcel
    shipment = session.get(Shipment, effect.shipment_id) if effect.shipment_id else None
    finding = check_traceability(
        ParcelFacts(
            scanned=parcel.text,
            kind=parcel.kind,
            valid=parcel.valid or parcel.kind == "unknown",
            invalid_reason=parcel.reason,
            shipment_id=shipment.id if shipment else None,
            tracking_number=shipment.tracking_number if shipment else None,
            s10_id=shipment.s10_id if shipment else None,
        )
    )
    verdict = unit_verdict([finding])
    inspection = Inspection(
        shipment_id=shipment.id if shipment else None,
        warehouse_id=shipment.warehouse_id if shipment else bench.warehouse_id,
        station_id=bench.station_id,
        operator_name=actor,
        status=InspectionStatus.COMPLETED,
        verdict=verdict.verdict,
        final_verdict=verdict.verdict,
        defect_class=verdict.defect_class,
        completed_at=utcnow(),
    )
    session.add(inspection)
    session.flush()
    session.add(
        ScanEvidence(
            inspection_id=inspection.id,
            purpose=ScanPurpose.PARCEL,
            text=parcel.text,
            parsed=dict(parcel.fields),
            device="scanner",
        )
    )
    write_findings(session, inspection, [finding])
    publish_completed(session, inspection, [finding])
    if verdict.verdict == Verdict.FAIL and shipment is None:
        audit(
            session,
            actor=actor,
            action="parcel.quarantined",
            subject_type="inspection",
            subject_id=str(inspection.id),
            parcel=parcel.text,
            reason=effect.reason or finding.reason.en,
        )


def _set_shipment(
    session: Session, shipment_id: str, status: ShipmentStatus, reason: str | None, actor: str
) -> None:
    shipment = session.get(Shipment, shipment_id)
    if shipment is None:
        return
    shipment.status = status
    if status == ShipmentStatus.INSPECTING and shipment.arrived_at is None:
        shipment.arrived_at = utcnow()
    if reason:
        audit(
            session,
            actor=actor,
            action=f"shipment.{status.value}",
            subject_type="shipment",
            subject_id=shipment_id,
            reason=reason,
        )


def open_unit(session: Session, bench: Bench, effect: fx.OpenUnit, state: BenchState):
    shipment = state.shipment
    assert shipment is not None
    lot_line = state.current_line()
    inspection = Inspection(
        lot_id=effect.lot_id,
        shipment_id=shipment.id,
        listing_id=lot_line.listing_id if lot_line else None,
        warehouse_id=shipment.warehouse_id,
        station_id=bench.station_id,
        operator_name=state.operator,
        unit_no=effect.unit_no,
        status=InspectionStatus.OPEN,
    )
    session.add(inspection)
    session.flush()
    return inspection.id
