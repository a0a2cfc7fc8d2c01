"""Lot plans with an AQL per defect class, the drawing rule and the lot decision."""

from decimal import Decimal

import pytest

from station.inspection.models import DefectClass
from station.sampling import (
    SamplingError,
    count_defectives,
    decide_lot,
    judge_lot,
    load_scheme,
    plan_lot,
)
from station.sampling.tables import Severity

CRITICAL, MAJOR, MINOR = DefectClass.CRITICAL, DefectClass.MAJOR, DefectClass.MINOR
DEFAULTS = {"critical": "0", "major": "2.5", "minor": "4.0"}


def test_classes_needing_different_samples_share_one_draw():
    # Lot 200, level II: code letter G. Major 1.0 -> arrow down to H (50 units, 1/2);
    # minor 4.0 -> G (32 units, 3/4); critical 0 -> every drawn unit.
    plan = plan_lot(200, "II", {"critical": 0, "major": "1.0", "minor": "4.0"}, "normal")
    assert plan.code_letter == "G" and plan.sample_size == 50 and not plan.hundred_percent
    assert (plan.per_class[MAJOR].code_letter, plan.per_class[MAJOR].sample_size) == ("H", 50)
    assert (plan.per_class[MINOR].accept, plan.per_class[MINOR].reject) == (3, 4)
    assert [plan.units_for(c) for c in (CRITICAL, MAJOR, MINOR)] == [50, 50, 32]
    assert (plan.per_class[CRITICAL].accept, plan.per_class[CRITICAL].reject) == (0, 1)
    assert "judge each class on the first n units in draw order" in plan.rule
    assert "minor 32" in plan.rule
    assert plan.as_record()["minor"] == {
        "aql": "4.0",
        "code_letter": "G",
        "n": 32,
        "ac": 3,
        "re": 4,
    }


def test_defects_count_only_on_the_units_a_class_is_judged_on():
    plan = plan_lot(200, "II", {"critical": 0, "major": "1.0", "minor": "4.0"}, "normal")
    order = list(range(101, 151))  # 50 units in draw order
    defects = {
        101: "minor",  # position 0: counts
        140: "minor",  # position 39: beyond the 32 minor units, not counted
        145: "major",  # position 44: within the 50 major units
        150: "critical",  # position 49: critical is judged on every drawn unit
        7: "major",  # not drawn at all
    }
    counts = count_defectives(plan, order, defects)
    assert counts == {CRITICAL: 1, MAJOR: 1, MINOR: 1}
    judgement = judge_lot(plan, counts)
    assert judgement.decision == "reject" and judgement.rejected_by == (CRITICAL,)


def test_sample_reaching_the_lot_means_every_unit():
    # Lot 4, level II: letter A; major 2.5 -> arrow down to C (5 units) > 4: 100 %.
    plan = plan_lot(4, "II", DEFAULTS, "normal")
    assert plan.hundred_percent and plan.sample_size == 4
    assert plan.per_class[MAJOR].sample_size == 5 and plan.units_for(MAJOR) == 4
    assert plan.units_for(MINOR) == 3  # its own plan, B at 4.0: 3 units, 0/1
    assert plan.rule.startswith("100 % inspection: all 4 units")
    one = plan_lot(1, "II", DEFAULTS, "normal")
    assert one.hundred_percent and one.sample_size == 1


def test_every_unit_on_request_keeps_the_acceptance_numbers():
    plan = plan_lot(1000, "II", DEFAULTS, "normal", every_unit=True)
    assert plan.hundred_percent and plan.sample_size == 1000
    assert (plan.per_class[MAJOR].accept, plan.units_for(MAJOR)) == (5, 80)


def test_only_zero_acceptance_classes_use_the_code_letters_sample():
    plan = plan_lot(3000, "II", {"critical": 0}, "tightened")
    assert plan.code_letter == "K" and plan.sample_size == 125
    assert decide_lot(plan, {"critical": 0}) == "accept"
    assert decide_lot(plan, {"critical": 1}) == "reject"


@pytest.mark.parametrize(
    ("major", "minor", "decision"),
    [(0, 0, "accept"), (5, 7, "accept"), (6, 0, "reject"), (0, 8, "reject"), (6, 8, "reject")],
)
def test_lot_decision_at_the_acceptance_numbers(major, minor, decision):
    plan = plan_lot(1000, "II", DEFAULTS, "normal")  # J: 80 units, major 5/6, minor 7/8
    assert decide_lot(plan, {"major": major, "minor": minor}) == decision


def test_z1_4_reduced_gap_accepts_but_reinstates_normal():
    plan = plan_lot(1000, "II", {"major": "1.0"}, "reduced", scheme="z1.4")  # J: 32, 1/3
    assert (plan.sample_size, plan.per_class[MAJOR].accept, plan.per_class[MAJOR].reject) == (
        32,
        1,
        3,
    )
    judgement = judge_lot(plan, {"major": 2})
    assert judgement.accepted and judgement.beyond_acceptance
    assert not judge_lot(plan, {"major": 1}).beyond_acceptance
    assert judge_lot(plan, {"major": 3}).decision == "reject"


def test_switching_points_follow_iso_9_3_3_2():
    # H at 2.5 on normal: 50 units, Ac 3; one step tighter (1.5) H has Ac 2.
    plan = plan_lot(500, "II", {"major": "2.5"}, "normal")
    assert judge_lot(plan, {"major": 2}).switching_points == 3
    assert judge_lot(plan, {"major": 3}).switching_points == 0  # accepted, but resets
    assert judge_lot(plan, {"major": 4}).switching_points == 0  # rejected
    small = plan_lot(500, "II", {"major": "0.65"}, "normal")  # H at 0.65: 1/2
    assert judge_lot(small, {"major": 1}).switching_points == 2
    both = plan_lot(500, "II", {"critical": 0, "major": "2.5", "minor": "0.65"}, "normal")
    assert judge_lot(both, {"major": 2}).switching_points == 2  # the least of 3 and 2


def test_one_step_tighter_normal_plan_keeps_the_sample_size():
    # The switching score compares with the plan one AQL column to the left; for every
    # plan with Ac >= 2 that plan must be on the same row, so on the same sample.
    tables = load_scheme()
    for letter in tables.tables[Severity.NORMAL]:
        for column in range(1, len(tables.aql_columns)):
            plan = tables.resolve(Severity.NORMAL, letter, column)
            if plan.accept >= 2:
                tighter = tables.resolve(Severity.NORMAL, plan.code_letter, column - 1)
                assert tighter.code_letter == plan.code_letter


@pytest.mark.parametrize(
    ("aqls", "counts", "message"),
    [
        ({"fatal": "1.0"}, {}, "unknown defect class 'fatal'"),
        ({}, {}, "needs an AQL for at least one defect class"),
        ({"major": "2.5"}, {"minor": 1}, "the lot plan has no AQL for minor defects"),
        ({"major": "2.5"}, {"major": -1}, "count must be a whole number >= 0"),
        ({"major": "2.5"}, {"major": 51}, "51 defective units counted, but only 50 are judged"),
    ],
)
def test_bad_plans_and_counts_are_refused(aqls, counts, message):
    with pytest.raises(SamplingError, match=message):
        judge_lot(plan_lot(500, "II", aqls, "normal"), counts)


def test_above_aql_10_counts_are_nonconformities_and_may_exceed_the_sample():
    plan = plan_lot(500, "II", {"minor": "65"}, "normal")  # per 100 units
    assert plan.aqls[MINOR] == Decimal("65")
    assert decide_lot(plan, {"minor": 60}) == "reject"
    assert decide_lot(plan, {"minor": plan.per_class[MINOR].accept}) == "accept"
