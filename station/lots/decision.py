"""Lot decision and disposition from a lot's plan and its sampled units. Pure.

Decision: while any sampled unit awaits review the decision is pending; otherwise it is
station.sampling's (ISO 2859-1 single sampling, one AQL per defect class): each class is
judged on the first n units of the draw order, n being its plan's sample size, and the
lot is rejected when any class's defective units reach its rejection number (Re). A
defective unit counts once, under its most serious defect class. A lot skipped by
skip-lot (nothing drawn) is accepted.

Disposition: accepted -> accept to stock (units that failed are set aside and returned
on their own); pending -> quarantine until the reviews are done; rejected with a
critical defective (counterfeit, unauthorised, expired...) -> quarantine, so the goods
are held for the brand owner and the marketplace; rejected otherwise -> return to the
merchant.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from station.inspection.models import DefectClass
from station.sampling import LotJudgement, LotPlan, Plan, count_defectives, judge_lot
from station.workflow.state import PlanView, Tally

ACCEPTED, REJECTED, PENDING = "accepted", "rejected", "pending"


def lot_plan(plan: PlanView) -> LotPlan:
    """The sampling area's plan object for a stored plan."""
    return LotPlan(
        sample_size=plan.sample_size,
        per_class={
            DefectClass(c): Plan(p.code_letter, p.sample_size, p.accept, p.reject)
            for c, p in plan.classes.items()
        },
        hundred_percent=plan.hundred_percent,
        rule=plan.rule,
        lot_size=plan.lot_size,
        level=plan.level,
        severity=plan.severity,
        scheme=plan.scheme,
        code_letter=plan.code_letter,
        aqls={DefectClass(c): Decimal(p.aql) for c, p in plan.classes.items()},
    )


def judge(plan: PlanView, defects: Mapping[int, str]) -> LotJudgement:
    """station.sampling's judgement from the defect class of each drawn unit."""
    sampling_plan = lot_plan(plan)
    counts = count_defectives(sampling_plan, plan.units, defects)
    return judge_lot(sampling_plan, counts)


def decide(plan: PlanView, tally: Tally, defects: Mapping[int, str]) -> str:
    if tally.review:
        return PENDING
    if plan.mode == "skip" or not plan.units:
        return ACCEPTED
    return ACCEPTED if judge(plan, defects).accepted else REJECTED


def disposition(decision: str, tally: Tally) -> str:
    if decision == ACCEPTED:
        return "accept_to_stock"
    if decision == PENDING or tally.defectives.get("critical", 0):
        return "quarantine"
    return "return_to_merchant"
