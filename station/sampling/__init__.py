"""Acceptance sampling by attributes: ISO 2859-1 (or ANSI/ASQ Z1.4) single sampling plans,
drawing the units, lot decisions and the switching rules per merchant x listing.

    seed = new_seed()                                              # store it on the lot
    mode = lot_mode(session, merchant_id, listing_id, seed=seed)   # sample / 100 % / skip
    severity = current_severity(session, merchant_id, listing_id)  # normal / tightened / reduced
    plan = plan_lot(500, "II", {"critical": 0, "major": "2.5", "minor": "4.0"}, severity,
                    every_unit=mode.mode == "hundred_percent")
    units = draw_units(500, plan.sample_size, seed)       # 1-based unit numbers, in order
    judgement = judge_lot(plan, count_defectives(plan, units, defect_by_unit))
    record_lot_result(session, merchant_id, listing_id, judgement.accepted,
                      switching_points=judgement.switching_points,
                      beyond_acceptance=judgement.beyond_acceptance, lot_id=lot.id)
"""

from station.sampling.draw import draw_units, new_seed
from station.sampling.plans import (
    LotJudgement,
    LotPlan,
    Plan,
    code_letter,
    count_defectives,
    decide_lot,
    judge_lot,
    plan_lot,
    single_plan,
)
from station.sampling.policy import LotMode
from station.sampling.scheme_file import load_scheme
from station.sampling.service import (
    approve_reduced,
    current_severity,
    lot_mode,
    record_lot_result,
    resume_sampling,
    switching_state,
)
from station.sampling.switching import SwitchingState, Transition
from station.sampling.tables import LEVELS, SamplingError, Severity

__all__ = [
    "LEVELS",
    "LotJudgement",
    "LotMode",
    "LotPlan",
    "Plan",
    "SamplingError",
    "Severity",
    "SwitchingState",
    "Transition",
    "approve_reduced",
    "code_letter",
    "count_defectives",
    "current_severity",
    "decide_lot",
    "draw_units",
    "judge_lot",
    "load_scheme",
    "lot_mode",
    "new_seed",
    "plan_lot",
    "record_lot_result",
    "resume_sampling",
    "single_plan",
    "switching_state",
]
