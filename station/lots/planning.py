"""Sampling plans for a lot: which units to inspect and the accept/reject numbers.

INTERIM until the sampling area (station.sampling, ISO 2859-1) is on main: every lot
is inspected 100 % and any defective unit of a class rejects it (Ac 0, Re 1). This is
stricter than any ISO plan, never mistaken for one (scheme "interim-100pct"), and
replaced by station.sampling.plan_lot / draw_units when that lands.
"""

from __future__ import annotations

import secrets

from station.checks.rules import SamplingRules
from station.workflow.state import ClassPlan, PlanView

INTERIM_SCHEME = "interim-100pct"


def new_seed() -> int:
    """A seed for drawing the sample, recorded on the lot so the draw can be repeated."""
    return secrets.randbits(62)


def plan_for(lot_size: int, rules: SamplingRules, severity: str, seed: int) -> PlanView:
    if lot_size < 1:
        raise ValueError(f"a lot needs at least one unit, got {lot_size}")
    classes = {
        str(cls.value if hasattr(cls, "value") else cls): ClassPlan(
            aql=str(aql), sample_size=lot_size, accept=0, reject=1
        )
        for cls, aql in rules.aql.items()
    }
    return PlanView(
        scheme=INTERIM_SCHEME,
        level=rules.level,
        severity=severity,
        code_letter=None,
        sample_size=lot_size,
        hundred_percent=True,
        seed=seed,
        units=list(range(1, lot_size + 1)),
        classes=classes,
        rule="ISO 2859-1 tables not installed: every unit inspected, any defective rejects",
    )


def current_severity(_session, _merchant_id: str, _listing_id: str) -> str:
    """Normal inspection until the switching rules of station.sampling are wired in."""
    return "normal"


def record_lot_result(_session, _merchant_id: str, _listing_id: str, _accepted: bool) -> None:
    """Nothing to record until the switching rules of station.sampling are wired in."""
