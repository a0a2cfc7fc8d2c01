"""The bench shell on the sample data: whole shipments and what goes wrong at a real bench."""

from __future__ import annotations

import json
from datetime import date

from sqlalchemy import select

from station.audit.models import AuditEntry
from station.inspection.models import (
    CheckResult,
    Inspection,
    InspectionStatus,
    Lot,
    LotStatus,
    Outcome,
    ScanEvidence,
    WeightEvidence,
)
from station.reference.models import Shipment
from station.sample.load import sample_file
from station.workflow.state import Phase
from tests.support.benches import (
    announce,
    count,
    events_of,
    good_unit,
    operator,
    shell,
    sqlite_only,
)


def test_a_clean_lot_is_accepted_with_every_record(sample, evidence, june):
    shipment_id, label = announce(sample, [("L001", 3)])
    op = operator(shell(sample, evidence))
    op.inspect_parcel(label, lambda qty: qty, lambda state, no: good_unit("L001"))

    assert op.shell.state().phase == Phase.IDLE
    with sample.session() as session:
        lot = session.scalar(select(Lot).where(Lot.shipment_id == shipment_id))
        assert (lot.status, lot.decision.value, lot.disposition.value) == (
            LotStatus.CLOSED,
            "accepted",
            "accept_to_stock",
        )
        assert lot.received_quantity == 3 and lot.findings[0]["outcome"] == "pass"
        units = session.scalars(select(Inspection).where(Inspection.lot_id == lot.id)).all()
        assert sorted(u.unit_no for u in units) == [1, 2, 3]
        for unit in units:
            assert unit.final_verdict.value == "pass" and unit.operator_name == "ann"
            assert unit.expiry == date(2028, 1, 31) and unit.gtin == "06915881399867"
            assert len(unit.photos) == 2 and len(unit.weights) == 1 and len(unit.scans) == 1
            outcomes = {c.check: c.outcome for c in unit.checks}
            assert outcomes["weight"] == Outcome.PASS and outcomes["brand"] == Outcome.PASS
            assert all(c.reason and c.reason_zh for c in unit.checks)
        assert session.get(Shipment, shipment_id).status.value == "closed"
    kinds = [e.kind for e in events_of(sample)]
    assert kinds == ["inspection.completed"] * 4 + ["lot.decided"]
    assert [e.position for e in events_of(sample)] == [1, 2, 3, 4, 5]


@sqlite_only
def test_unknown_parcel_is_quarantined_with_its_reason(sample, evidence, june):
    bench = shell(sample, evidence)
    operator(bench).send({"type": "scan", "text": "SF1111111111111"})
    state = bench.state()
    assert state.phase == Phase.IDLE and "quarantine" in state.notice.en
    [event] = events_of(sample)
    assert event.payload["scope"] == "parcel" and event.payload["verdict"] == "fail"
    assert event.payload["checks"][0]["defect_code"] == "unknown_parcel"
    assert count(sample, AuditEntry, AuditEntry.action == "parcel.quarantined") == 1


@sqlite_only
def test_bad_s10_check_digit_is_untraceable(sample, evidence, june):
    bench = shell(sample, evidence)
    operator(bench).send({"type": "scan", "text": "EE858176251CN"})
    [event] = events_of(sample)
    assert event.payload["checks"][0]["defect_code"] == "untraceable_parcel"
    with sample.session() as session:
        check = session.scalar(select(CheckResult))
        assert "check digit" in check.reason


@sqlite_only
def test_asn_without_tracking_id_quarantines_the_shipment(sample, evidence, june):
    bench = shell(sample, evidence)
    untraceable = json.loads(sample_file("scenarios").read_text())["untraceable_parcel"][0]
    operator(bench).send({"type": "scan", "text": untraceable})
    with sample.session() as session:
        assert session.get(Shipment, untraceable).status.value == "quarantined"
    assert bench.state().phase == Phase.IDLE
    assert events_of(sample)[0].payload["verdict"] == "fail"


@sqlite_only
def test_unit_of_another_line_is_turned_away(sample, evidence, june):
    _, label = announce(sample, [("L041", 2), ("L043", 2)])
    bench = shell(sample, evidence)
    op = operator(bench)
    op.send({"type": "scan", "text": label})
    op.send({"type": "count", "quantity": 2})
    other = LISTINGS_GTIN("L043")
    state = op.send({"type": "scan", "text": other})
    assert state.notice.level == "warning" and "line 2" in state.notice.en
    assert state.unit.gtin is None
    assert count(sample, ScanEvidence) == 1  # only the parcel's scan


@sqlite_only
def test_item_lifted_before_the_weight_settled_is_not_recorded(sample, evidence, june):
    _, label = announce(sample, [("L032", 1)])
    op = operator(shell(sample, evidence))
    op.send({"type": "scan", "text": label})
    op.send({"type": "count", "quantity": 1})
    op.send({"type": "weight", "milligrams": 600_000, "stable": False})
    state = op.send({"type": "weight", "milligrams": 0, "stable": True})
    assert "lifted before the weight settled" in state.notice.en
    assert state.unit.weight_mg is None and count(sample, WeightEvidence) == 0
    state = op.send({"type": "weight", "milligrams": 1_181_000, "stable": True})
    assert state.unit.weight_mg == 1_181_000 and count(sample, WeightEvidence) == 1


def test_scale_down_goes_on_only_with_a_supervisor_and_needs_review(sample, evidence, june):
    _, label = announce(sample, [("L032", 1)])
    op = operator(shell(sample, evidence))
    op.send({"type": "scan", "text": label})
    op.send({"type": "count", "quantity": 1})
    state = op.send(
        {
            "type": "device",
            "device": "scale-1",
            "kind": "scale",
            "state": "disconnected",
            "reason": "cable unplugged",
        }
    )
    assert "supervisor" in state.notice.en
    unit = good_unit("L032")
    state = op.do_unit(state, unit)
    assert state.phase == Phase.INSPECTING, "without the scale the unit cannot finish"
    state = op.send({"type": "command", "name": "SUPERVISOR", "argument": "wei"})
    assert state.phase == Phase.LOT_COMPLETE
    with sample.session() as session:
        unit_row = session.scalar(select(Inspection).where(Inspection.unit_no == 1))
        assert unit_row.verdict.value == "review" and unit_row.final_verdict is None
        weight = next(c for c in unit_row.checks if c.check == "weight")
        assert weight.outcome == Outcome.REVIEW and "wei" in weight.reason
    assert count(sample, AuditEntry, AuditEntry.action == "device.waived") == 1
    state = op.send({"type": "command", "name": "CONFIRM"})
    with sample.session() as session:
        lot = session.scalar(select(Lot))
        assert (lot.decision.value, lot.disposition.value) == ("pending", "quarantine")
    assert [e.kind for e in events_of(sample)] == ["inspection.completed"]  # the parcel only


@sqlite_only
def test_operator_walking_away_pauses_then_abandons(sample, evidence, june):
    shipment_id, label = announce(sample, [("L032", 2)])
    bench = shell(sample, evidence, pause_after_s=300, abandon_after_s=1800)
    op = operator(bench)
    op.send({"type": "scan", "text": label})
    state = op.send({"type": "count", "quantity": 2})
    assert state.phase == Phase.INSPECTING
    june.advance(301)
    assert op.send({"type": "tick"}).phase == Phase.PAUSED
    june.advance(1500)
    state = op.send({"type": "tick"})
    assert state.phase == Phase.SIGNED_OUT and state.shipment is None
    with sample.session() as session:
        assert session.scalar(select(Lot)).status == LotStatus.ABANDONED
        unit = session.scalar(select(Inspection).where(Inspection.lot_id.is_not(None)))
        assert unit.status == InspectionStatus.ABANDONED and unit.verdict is None
        assert session.get(Shipment, shipment_id).status.value == "quarantined"
    # The parcel can be scanned again: the abandoned line gets a new lot.
    op.send({"type": "sign_in", "operator": "bo"})
    assert op.send({"type": "scan", "text": label}).phase == Phase.COUNTING


@sqlite_only
def test_duplicate_serial_across_shipments_fails_the_second_unit(sample, evidence, june):
    first, label1 = announce(sample, [("L041", 1)], shipment_id="T-1", s10="11111111")
    second, label2 = announce(sample, [("L041", 1)], shipment_id="T-2", s10="22222222")
    op = operator(shell(sample, evidence))
    op.inspect_parcel(label1, lambda q: q, lambda s, n: good_unit("L041", serial="SN-DUP-1"))
    op.inspect_parcel(label2, lambda q: q, lambda s, n: good_unit("L041", serial="SN-DUP-1"))
    with sample.session() as session:
        second_unit = session.scalar(
            select(Inspection).where(Inspection.shipment_id == second, Inspection.unit_no == 1)
        )
        assert second_unit.final_verdict.value == "fail"
        serial = next(c for c in second_unit.checks if c.check == "serial_expiry")
        assert serial.defect_code == "serial_duplicate"


def LISTINGS_GTIN(listing_id: str) -> str:
    from tests.support.benches import LISTINGS

    return LISTINGS[listing_id]["gtins"][0]
