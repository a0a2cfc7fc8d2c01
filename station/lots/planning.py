"""Sampling plans for a lot, from station.sampling (ISO 2859-1 or Z1.4, by settings).

The category's rule set may name its own inspection level and AQLs ([sampling] in
config/rules/); the installation's sampling settings give the rest. The merchant's
service indicators and the switching state decide whether the lot is sampled,
inspected 100 % or skipped (skip-lot), and at which severity.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from station import sampling
from station.checks.rules import SamplingRules
from station.settings import SamplingSettings
from station.workflow.state import ClassPlan, PlanView


def plan_for(
    session: Session,
    *,
    merchant_id: str,
    listing_id: str,
    lot_size: int,
    rules: SamplingRules | None,
    settings: SamplingSettings,
) -> PlanView:
    """Plan the lot and draw its units; the seed is recorded with the plan."""
    seed = sampling.new_seed()
    mode = sampling.lot_mode(session, merchant_id, listing_id, seed=seed, settings=settings)
    level = (rules.level if rules and rules.level else None) or settings.level
    aqls = {str(k): v for k, v in settings.aql.items()}
    if rules and rules.aql:
        aqls.update({str(k.value if hasattr(k, "value") else k): v for k, v in rules.aql.items()})
    plan = sampling.plan_lot(
        lot_size,
        level,
        aqls,
        mode.severity,
        scheme=settings.scheme,
        every_unit=mode.mode == "hundred_percent",
    )
    units = [] if mode.mode == "skip" else sampling.draw_units(lot_size, plan.sample_size, seed)
    reason = f"{mode.reason}; {plan.rule}" if mode.mode != "skip" else mode.reason
    return plan_view(plan, units, seed, mode.mode, reason)


def plan_view(
    plan: sampling.LotPlan, units: list[int], seed: int, mode: str, rule: str
) -> PlanView:
    """The plan as the bench keeps it (plain data, saved with the bench state)."""
    return PlanView(
        mode=mode,
        scheme=plan.scheme,
        level=plan.level,
        severity=str(plan.severity),
        code_letter=plan.code_letter,
        lot_size=plan.lot_size,
        sample_size=len(units),
        hundred_percent=plan.hundred_percent,
        seed=seed,
        units=units,
        classes={
            c.value: ClassPlan(
                aql=str(plan.aqls[c]),
                code_letter=p.code_letter,
                sample_size=p.sample_size,
                judged_on=plan.units_for(c),
                accept=p.accept,
                reject=p.reject,
            )
            for c, p in plan.per_class.items()
        },
        rule=rule,
    )
