"""Lot decision and disposition from a lot's plan and its sampled units' verdicts. Pure.

Decision: while any sampled unit awaits review the decision is pending; otherwise
the lot is rejected when, for any defect class, the defectives of that class reach
its rejection number (Re), and accepted otherwise. A defective unit counts once,
under its most serious defect class.

Disposition: accepted -> accept to stock (units that failed are set aside and
returned on their own); pending -> quarantine until the reviews are done; rejected
with a critical defective (counterfeit, unauthorised, expired...) -> quarantine, so
the goods are held for the brand owner and the marketplace; rejected otherwise ->
return to the merchant.
"""

from __future__ import annotations

from station.workflow.state import PlanView, Tally

ACCEPTED, REJECTED, PENDING = "accepted", "rejected", "pending"


def decide(plan: PlanView, tally: Tally) -> str:
    if tally.review:
        return PENDING
    for defect_class, class_plan in plan.classes.items():
        if tally.defectives.get(defect_class, 0) >= class_plan.reject:
            return REJECTED
    return ACCEPTED


def disposition(decision: str, tally: Tally) -> str:
    if decision == ACCEPTED:
        return "accept_to_stock"
    if decision == PENDING or tally.defectives.get("critical", 0):
        return "quarantine"
    return "return_to_merchant"
