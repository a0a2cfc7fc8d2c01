"""The checks of DESIGN.md §5: small functions from typed facts to a Finding.

Rules per category are data (config/rules/), defects come from config/defects.toml.
"""

from station.checks.defects import Defect, defect, most_serious
from station.checks.evaluate import UnitContext, evaluate_unit
from station.checks.findings import Finding, Text
from station.checks.rules import RuleSet, rule_set

__all__ = [
    "Defect",
    "Finding",
    "RuleSet",
    "Text",
    "UnitContext",
    "defect",
    "evaluate_unit",
    "most_serious",
    "rule_set",
]
