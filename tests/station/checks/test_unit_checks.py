"""Table tests: identity, serial and expiry, quantity, weight, checklist, vision decisions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from station.checks.rules import rule_set
from station.checks.unit import (
    ChecklistInput,
    IdentityInput,
    QuantityInput,
    SerialExpiryInput,
    WeightInput,
    check_checklist,
    check_identity,
    check_quantity,
    check_serial_expiry,
    check_weight,
)
from station.checks.vision import BrandMarkInput, VisualInput, check_brand_mark, check_visual_match

GTINS = frozenset({"06915881399867"})


def code(finding):
    return finding.defect.code if finding.defect else None


@pytest.mark.parametrize(
    ("scanned", "outcome", "defect"),
    [
        ("6915881399867", "pass", None),  # EAN-13 finds its GTIN-14
        ("06915881399867", "pass", None),
        ("6915881399868", "fail", "gtin_invalid"),
        ("6998797309113", "fail", "gtin_not_on_listing"),
        (None, "review", "gtin_not_on_listing"),
    ],
)
def test_identity(scanned, outcome, defect):
    finding = check_identity(IdentityInput(scanned, "L001", GTINS))
    assert (finding.outcome.value, code(finding)) == (outcome, defect)


ON = date(2026, 6, 1)


def serial_input(**changes) -> SerialExpiryInput:
    base = dict(
        requires_serial=False,
        requires_expiry=False,
        serial=None,
        expiry=None,
        on=ON,
        min_shelf_life_days=60,
    )
    return SerialExpiryInput(**{**base, **changes})


@pytest.mark.parametrize(
    ("given", "outcome", "defect"),
    [
        (serial_input(), "not_applicable", None),
        (serial_input(requires_serial=True, serial="SN1"), "pass", None),
        (
            serial_input(requires_serial=True, serial="SN1", earlier_with_serial=("x",)),
            "fail",
            "serial_duplicate",
        ),
        (serial_input(serial="SN1", earlier_with_serial=("x",)), "fail", "serial_duplicate"),
        (serial_input(requires_serial=True), "fail", "serial_missing"),
        (serial_input(requires_serial=True, skipped_reason="no_label"), "review", "serial_missing"),
        (serial_input(requires_expiry=True, expiry=date(2027, 1, 1)), "pass", None),
        (serial_input(requires_expiry=True, expiry=date(2026, 5, 31)), "fail", "expired"),
        (serial_input(requires_expiry=True, expiry=ON), "fail", "shelf_life_short"),  # 0 days left
        (
            serial_input(requires_expiry=True, expiry=date(2026, 7, 30)),
            "fail",
            "shelf_life_short",
        ),  # 59
        (serial_input(requires_expiry=True, expiry=date(2026, 7, 31)), "pass", None),  # exactly 60
        (serial_input(requires_expiry=True), "review", "expiry_missing"),
        (serial_input(expiry=date(2026, 5, 1)), "fail", "expired"),  # dated though not required
        # several problems: the unit counts under the most serious
        (
            serial_input(requires_serial=True, requires_expiry=True, expiry=date(2026, 6, 10)),
            "fail",
            "serial_missing",
        ),
        (
            serial_input(serial="S", earlier_with_serial=("x",), expiry=date(2026, 6, 10)),
            "fail",
            "serial_duplicate",
        ),
    ],
)
def test_serial_and_expiry(given, outcome, defect):
    finding = check_serial_expiry(given)
    assert (finding.outcome.value, code(finding)) == (outcome, defect), finding.reason.en


@pytest.mark.parametrize(
    ("expected", "counted", "short", "over", "outcome", "defect"),
    [
        (50, 50, 0, 0, "pass", None),
        (50, 49, 0, 0, "fail", "quantity_short"),
        (50, 49, 2, 0, "pass", None),  # 2 % of 50 = 1 unit allowed short
        (50, 48, 2, 0, "fail", "quantity_short"),
        (50, 51, 2, 0, "fail", "quantity_over"),
        (50, 55, 0, 10, "pass", None),
        (8, 0, 0, 0, "fail", "quantity_short"),
    ],
)
def test_quantity(expected, counted, short, over, outcome, defect):
    finding = check_quantity(QuantityInput(expected, counted, short, over))
    assert (finding.outcome.value, code(finding)) == (outcome, defect)


@pytest.mark.parametrize(
    ("measured", "tolerance", "pct", "waived", "outcome"),
    [
        (168_000, 5_000, 3.0, None, "pass"),
        (173_000, 5_000, 3.0, None, "pass"),  # on the edge
        (173_001, 5_000, 3.0, None, "fail"),
        (162_999, 5_000, 3.0, None, "fail"),
        (172_000, 0, 3.0, None, "pass"),  # no listing tolerance: 3 % of 168 g = 5.04 g
        (174_000, 0, 3.0, None, "fail"),
        (None, 5_000, 3.0, "wei", "review"),
        (None, 5_000, 3.0, None, "review"),
    ],
)
def test_weight(measured, tolerance, pct, waived, outcome):
    finding = check_weight(WeightInput(measured, 168_000, tolerance, pct, waived_by=waived))
    assert finding.outcome.value == outcome
    if outcome == "fail":
        assert finding.defect.code == "weight_out_of_tolerance" and "g" in finding.measured
    if waived:
        assert waived in finding.reason.en


FOOD = rule_set("food").questions


@pytest.mark.parametrize(
    ("answers", "damaged", "outcome", "defect"),
    [
        (
            {"seal_intact": "yes", "packaging_intact": "yes", "chinese_label": "yes"},
            False,
            "pass",
            None,
        ),
        (
            {"seal_intact": "no", "packaging_intact": "yes", "chinese_label": "yes"},
            False,
            "fail",
            "seal_broken",
        ),
        (
            {"seal_intact": "yes", "packaging_intact": "yes", "chinese_label": "yes"},
            True,
            "fail",
            "product_damaged",
        ),
        ({"seal_intact": "yes", "packaging_intact": "yes"}, False, "review", None),
    ],
)
def test_checklist(answers, damaged, outcome, defect):
    finding = check_checklist(ChecklistInput(FOOD, answers, damaged=damaged))
    assert (finding.outcome.value, code(finding)) == (outcome, defect)


def test_checklist_counts_the_most_serious_failing_answer():
    questions = rule_set("electronics").questions
    answers = {q.id: "no" for q in questions}  # seal broken (major) ... safety mark (critical)
    finding = check_checklist(ChecklistInput(questions, answers))
    assert finding.defect.code == "safety_mark_missing"
    assert len(finding.details["failing"]) == len(questions)


@dataclass
class Decision:
    outcome: str
    score: float = 0.5
    closest_sibling: str | None = None
    reason: str = "because"


@pytest.mark.parametrize(
    ("decision", "missing", "waived", "outcome"),
    [
        (Decision("match", 0.9), None, False, "pass"),
        (Decision("mismatch", 0.1, "L003"), None, False, "fail"),
        (Decision("review", 0.4), None, False, "review"),
        (None, "listing match not installed", False, "not_applicable"),
        (None, "camera down, allowed by wei", True, "review"),
        (None, "skipped photo:front: glare", False, "review"),
    ],
)
def test_visual_match(decision, missing, waived, outcome):
    finding = check_visual_match(VisualInput("L001", decision, missing, waived))
    assert finding.outcome.value == outcome
    if outcome == "fail":
        assert finding.defect.code == "visual_mismatch" and "L003" in finding.reason.en


@pytest.mark.parametrize(
    ("required", "decision", "outcome"),
    [
        (False, Decision("absent"), "not_applicable"),
        (True, Decision("present", 0.8), "pass"),
        (True, Decision("absent", 0.1), "fail"),
        (True, Decision("unsure", 0.4), "review"),
        (True, None, "not_applicable"),
    ],
)
def test_brand_mark(required, decision, outcome):
    finding = check_brand_mark(BrandMarkInput("Lumora Tea", required, decision, "not installed"))
    assert finding.outcome.value == outcome
