"""Supervisor review: decisions on units in review, overrides, lot re-decisions, the trail."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from station.audit.models import AuditEntry
from station.inspection.models import Inspection, Lot, Override, Verdict
from station.review.service import ReviewRefused, decide_unit, override_lot, review_queue
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


def lot_with_a_unit_in_review(db, evidence):
    """One unit of L032 inspected with the scale down (supervisor wei allowed it)."""
    _, label = announce(db, [("L032", 1)])
    op = operator(shell(db, evidence))
    op.send({"type": "scan", "text": label})
    op.send({"type": "count", "quantity": 1})
    op.send({"type": "device", "device": "s", "kind": "scale", "state": "stalled"})
    op.do_unit(op.shell.state(), good_unit("L032"))
    state = op.send({"type": "command", "name": "SUPERVISOR", "argument": "wei"})
    assert state.phase == Phase.LOT_COMPLETE
    op.send({"type": "command", "name": "CONFIRM"})
    with db.session() as session:
        return session.scalar(select(Inspection).where(Inspection.unit_no == 1)).id


def test_review_decision_finalises_the_unit_and_decides_the_lot(sample, evidence, june):
    inspection_id = lot_with_a_unit_in_review(sample, evidence)
    with sample.session() as session:
        assert [i.id for i in review_queue(session)] == [inspection_id]
        assert session.scalar(select(Lot)).decision.value == "pending"
    with sample.transaction() as session:
        decide_unit(
            session,
            inspection_id,
            verdict="pass",
            reason="weighed on the spare scale: 1181 g",
            actor="wei",
        )
    with sample.session() as session:
        assert review_queue(session) == []
        unit = session.get(Inspection, inspection_id)
        assert unit.final_verdict == Verdict.PASS and unit.verdict == Verdict.REVIEW
        lot = session.scalar(select(Lot))
        assert (lot.decision.value, lot.disposition.value) == ("accepted", "accept_to_stock")
        override = session.scalar(select(Override))
        assert (override.from_value, override.to_value, override.actor) == ("review", "pass", "wei")
    kinds = [e.kind for e in events_of(sample)]
    assert kinds == ["inspection.completed", "inspection.completed", "lot.decided"]
    assert count(sample, AuditEntry, AuditEntry.action == "inspection.reviewed") == 1


def test_override_of_a_final_verdict_is_published_and_re_decides(sample, evidence, june):
    inspection_id = lot_with_a_unit_in_review(sample, evidence)
    with sample.transaction() as session:
        decide_unit(session, inspection_id, verdict="pass", reason="checked by hand", actor="wei")
    with sample.transaction() as session:
        decide_unit(
            session,
            inspection_id,
            verdict="fail",
            reason="seal found cut on second look",
            actor="li",
            defect_class="major",
        )
    with sample.session() as session:
        unit = session.get(Inspection, inspection_id)
        assert unit.final_verdict == Verdict.FAIL and unit.defect_class.value == "major"
        assert session.scalar(select(Lot)).decision.value == "rejected"
    events = events_of(sample)
    assert [e.kind for e in events][-2:] == ["inspection.overridden", "lot.decided"]
    overridden = events[-2].payload
    assert (overridden["from_verdict"], overridden["verdict"], overridden["overridden_by"]) == (
        "pass",
        "fail",
        "li",
    )
    assert events[-1].payload["revised"] is True


@pytest.mark.parametrize(
    ("verdict", "reason", "message"),
    [
        ("pass", "", "reason is required"),
        ("pass", "  ", "reason is required"),
        ("review", "still unsure", "pass or fail"),
    ],
)
@sqlite_only
def test_review_needs_a_reason_and_a_real_decision(
    sample, evidence, june, verdict, reason, message
):
    inspection_id = lot_with_a_unit_in_review(sample, evidence)
    with pytest.raises(ReviewRefused, match=message), sample.transaction() as session:
        decide_unit(session, inspection_id, verdict=verdict, reason=reason, actor="wei")
    assert count(sample, Override) == 0


@sqlite_only
def test_lot_override_keeps_the_trail(sample, evidence, june):
    lot_with_a_unit_in_review(sample, evidence)
    with sample.session() as session:
        lot_id = session.scalar(select(Lot.id))
    with sample.transaction() as session:
        override_lot(
            session,
            lot_id,
            decision="rejected",
            disposition="return_to_merchant",
            reason="merchant asked for the goods back",
            actor="wei",
        )
    with sample.session() as session:
        override = session.scalar(select(Override).where(Override.lot_id == lot_id))
        assert override.to_value == "rejected/return_to_merchant"
    assert events_of(sample)[-1].payload["overridden_by"] == "wei"
    assert count(sample, AuditEntry, AuditEntry.action == "lot.overridden") == 1
