"""Switching state persisted per merchant x listing, on SQLite and PostgreSQL."""

import uuid

import pytest
from sqlalchemy import select

from station.audit.models import AuditEntry
from station.errors import NotFound
from station.reference.models import (
    Brand,
    BrandStatus,
    Category,
    Listing,
    ListingStatus,
    Merchant,
    MerchantKind,
    MerchantStatus,
)
from station.sampling import (
    SamplingError,
    approve_reduced,
    count_defectives,
    current_severity,
    draw_units,
    judge_lot,
    lot_mode,
    plan_lot,
    record_lot_result,
    resume_sampling,
    switching_state,
)
from station.sampling.models import SwitchingRecord
from station.settings import load_settings

GOOD = {"rating": 4.9, "dispute_rate": 0.001, "on_time_rate": 0.99}
POOR = {"rating": 4.6, "dispute_rate": 0.05, "on_time_rate": 0.97}


def _reference(db, indicators=None):
    with db.transaction() as session:
        session.add_all(
            [
                Category(id="TEA", name="Tea"),
                Brand(
                    id="B1",
                    name="Lumora",
                    owner_name="Lumora Co.",
                    nice_classes=[30],
                    status=BrandStatus.REGISTERED,
                ),
                Merchant(
                    id="M1",
                    kind=MerchantKind.ENTERPRISE,
                    enterprise_id="91350100M000100Y43",
                    legal_name="Jade River Trading",
                    status=MerchantStatus.ACTIVE,
                    country="CN",
                    service_indicators=indicators or {},
                ),
                Merchant(
                    id="M2",
                    kind=MerchantKind.ENTERPRISE,
                    legal_name="Other",
                    status=MerchantStatus.ACTIVE,
                    country="CN",
                ),
            ]
        )
        session.flush()
        for listing_id in ("L1", "L2"):
            session.add(
                Listing(
                    id=listing_id,
                    merchant_id="M1",
                    brand_id="B1",
                    category_id="TEA",
                    title="Tea tin",
                    unit_weight_mg=168_000,
                    weight_tolerance_mg=5_000,
                    status=ListingStatus.ACTIVE,
                )
            )


def _record(db, accepted, **kwargs):
    with db.transaction() as session:
        return record_lot_result(session, "M1", "L1", accepted, **kwargs)


def test_switching_round_trip_with_audit(db, clock):
    _reference(db)
    with db.session() as session:
        assert current_severity(session, "M1", "L1") == "normal"
    lot = uuid.uuid4()
    _record(db, False, lot_id=lot)
    assert _record(db, False, lot_id=lot).reason == "lot already recorded"  # a retry
    change = _record(db, False, lot_id=uuid.uuid4())
    assert change.switched and change.after.severity == "tightened"
    with db.session() as session:
        assert current_severity(session, "M1", "L1") == "tightened"
        assert current_severity(session, "M1", "L2") == "normal"  # per listing
        row = session.get(SwitchingRecord, ("M1", "L1"))
        assert (row.lots, row.last_lot_at) == (2, clock.now())
        entries = session.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()
    assert [e.action for e in entries] == ["sampling.lot_recorded", "sampling.switched"]
    assert entries[1].detail["severity_after"] == "tightened"
    assert entries[1].detail["lot_id"] and "2 of the last 2 lots" in entries[1].detail["reason"]
    assert entries[0].subject_id == "L1" and entries[0].detail["merchant_id"] == "M1"


def test_discontinue_and_resume(db, clock):
    _reference(db)
    for _ in range(2 + 5):
        _record(db, False)
    with db.session() as session:
        assert switching_state(session, "M1", "L1").discontinued
        mode = lot_mode(session, "M1", "L1", seed=1)
    assert mode.mode == "hundred_percent" and "discontinued" in mode.reason
    with db.transaction() as session, pytest.raises(SamplingError, match="needs a reason"):
        resume_sampling(session, "M1", "L1", actor="sup1", reason=" ")
    with db.transaction() as session:
        resume_sampling(session, "M1", "L1", actor="sup1", reason="new supplier audit passed")
    with db.session() as session:
        state = switching_state(session, "M1", "L1")
        assert (state.severity, state.discontinued) == ("tightened", False)
        last = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert (last.action, last.actor) == ("sampling.resumed", "sup1")


def test_reduced_only_with_approval_and_steady_deliveries(db, clock):
    _reference(db)
    for _ in range(16):
        _record(db, True)
    with db.session() as session:
        assert current_severity(session, "M1", "L1") == "normal"  # earned, not approved
    with db.transaction() as session:
        approve_reduced(session, "M1", "L1", approved=True, actor="qa-manager")
    assert _record(db, True).after.severity == "reduced"
    clock.advance(61 * 86400)  # no lot for longer than sampling.steady_max_gap_days
    change = _record(db, True)
    assert change.after.severity == "normal" and "production no longer steady" in change.reason


def test_approval_by_setting_and_z1_4_rules(db, clock):
    _reference(db)
    settings = load_settings(sampling={"scheme": "z1.4", "approve_reduced": True}).sampling
    for _ in range(10):
        last = _record(db, True, switching_points=0, settings=settings)
    assert last.after.severity == "reduced"  # Z1.4: ten lots accepted, whatever the score


def test_unknown_or_foreign_listing_is_refused(db):
    _reference(db)
    with db.transaction() as session, pytest.raises(NotFound, match="listing L9 does not exist"):
        record_lot_result(session, "M1", "L9", True)
    with db.transaction() as session, pytest.raises(SamplingError, match="belongs to merchant M1"):
        record_lot_result(session, "M2", "L1", True)


def test_skip_lot_for_good_merchants_and_100_percent_for_poor_ones(db, clock):
    _reference(db, indicators=GOOD)
    with db.session() as session:
        assert lot_mode(session, "M1", "L1", seed=5).mode == "sample"  # not qualified yet
    for _ in range(10):
        _record(db, True)
    settings = load_settings().sampling
    with db.session() as session:
        modes = [lot_mode(session, "M1", "L1", seed=s, settings=settings).mode for s in range(200)]
        again = [lot_mode(session, "M1", "L1", seed=s, settings=settings).mode for s in range(200)]
    assert modes == again  # decided by the lot's recorded seed
    assert set(modes) == {"sample", "skip"}
    assert 30 < modes.count("sample") < 70  # one lot in 4 is inspected
    with db.transaction() as session:
        session.get(Merchant, "M1").service_indicators = POOR
    with db.session() as session:
        mode = lot_mode(session, "M1", "L1", seed=5)
    assert mode.mode == "hundred_percent" and "dispute rate 0.05 is above 0.03" in mode.reason


def test_lot_mode_needs_a_known_merchant(db):
    with db.session() as session, pytest.raises(NotFound, match="merchant M7 does not exist"):
        lot_mode(session, "M7", "L1", seed=1)


def test_a_lot_from_plan_to_switching_score(db, clock):
    _reference(db)
    with db.transaction() as session:
        severity = current_severity(session, "M1", "L1")
        plan = plan_lot(500, "II", {"critical": 0, "major": "2.5"}, severity)  # H: 50, 3/4
        units = draw_units(500, plan.sample_size, seed=99)
        judgement = judge_lot(plan, count_defectives(plan, units, {units[0]: "major"}))
        change = record_lot_result(
            session,
            "M1",
            "L1",
            judgement.accepted,
            switching_points=judgement.switching_points,
            beyond_acceptance=judgement.beyond_acceptance,
        )
    assert judgement.decision == "accept" and judgement.switching_points == 3
    with db.session() as session:
        assert (
            switching_state(session, "M1", "L1").switching_score
            == 3
            == change.after.switching_score
        )
