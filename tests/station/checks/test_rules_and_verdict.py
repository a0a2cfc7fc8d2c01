"""Rule sets, the defect library and the unit verdict rule."""

from __future__ import annotations

import pytest

from station.checks import rules as rules_module
from station.checks.defects import defect, library
from station.checks.findings import Finding, Text
from station.checks.rules import CHECK_NAMES, rule_set, rule_set_names
from station.errors import SettingsError
from station.inspection.models import Outcome, Verdict
from station.review.verdict import unit_verdict
from station.sample.generate import build


def test_every_sample_category_names_a_rule_set_that_loads():
    names = {c["rules"] for c in build()["categories"] if c["rules"]}
    assert names == {
        "food",
        "cosmetics",
        "general",
        "electronics",
        "toys",
        "apparel",
        "tools",
        "health",
    }
    assert names <= set(rule_set_names())
    for name in names:
        rules = rule_set(name)
        assert rules.photo_faces and rules.questions
        assert set(rules.checks) <= set(CHECK_NAMES)
        for q in rules.questions:
            assert q.en.endswith("?") and q.zh and q.defect in library()


def test_extends_merges_tables_and_replaces_lists():
    food, general = rule_set("food"), rule_set("general")
    assert food.shelf_life.min_days == 60 and general.shelf_life.min_days == 0
    assert food.quantity == general.quantity  # not named in food.toml: inherited
    assert [q.id for q in food.questions] != [q.id for q in general.questions]


def test_a_broken_rule_set_is_reported_with_its_file(tmp_path, monkeypatch):
    (tmp_path / "bad.toml").write_text('extends = "general"\n[weight]\nfudge = 1\n')
    (tmp_path / "general.toml").write_text((rules_module.rules_dir() / "general.toml").read_text())
    monkeypatch.setattr(rules_module, "rules_dir", lambda: tmp_path)
    rule_set.cache_clear()
    try:
        with pytest.raises(SettingsError, match=r"bad.toml: weight.fudge"):
            rule_set("bad")
        with pytest.raises(SettingsError, match="not found"):
            rule_set("nowhere")
    finally:
        rule_set.cache_clear()


def test_defect_library_classes():
    assert defect("expired").defect_class == "critical"
    assert defect("weight_out_of_tolerance").defect_class == "major"
    assert defect("manual_missing").defect_class == "minor"
    with pytest.raises(SettingsError, match="not in"):
        defect("no_such_defect")


def finding(outcome: str, code: str | None = None) -> Finding:
    return Finding("x", Outcome(outcome), Text("r", "r"), defect=defect(code) if code else None)


@pytest.mark.parametrize(
    ("findings", "verdict", "defect_class"),
    [
        ([finding("pass"), finding("not_applicable")], "pass", None),
        ([finding("fail", "expired"), finding("review", "visual_mismatch")], "fail", "critical"),
        (
            [finding("review", "visual_mismatch"), finding("fail", "weight_out_of_tolerance")],
            "review",
            None,
        ),
        (
            [finding("fail", "weight_out_of_tolerance"), finding("fail", "manual_missing")],
            "fail",
            "major",
        ),
        ([finding("fail", "manual_missing"), finding("pass")], "pass", "minor"),
        ([finding("fail", "manual_missing"), finding("fail", "expired")], "fail", "critical"),
    ],
)
def test_unit_verdict_rule(findings, verdict, defect_class):
    result = unit_verdict(findings)
    assert result.verdict == Verdict(verdict)
    assert (result.defect_class.value if result.defect_class else None) == defect_class
