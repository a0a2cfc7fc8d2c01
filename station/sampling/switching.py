"""The switching rules as a pure state machine: state + lot result -> new state (and why).

ISO 2859-1:1999 clause 9 (Z1.4 differs only where its SwitchingRules say so):
* normal -> tightened when 2 of 5 or fewer consecutive lots are not accepted (9.3.1);
* tightened -> normal after 5 consecutive lots accepted (9.3.2);
* normal -> reduced when the switching score reaches 30 (Z1.4: 10 lots accepted in a row),
  production is steady and the responsible authority approves (9.3.3);
* reduced -> normal when a lot is not accepted, is accepted with more than Ac defectives
  (Z1.4's gap), production is irregular or the approval is withdrawn (9.3.4);
* discontinued when the lots not accepted since tightened inspection began reach 5 (9.4);
  only a resume (the supplier improved, the authority agreed) restarts, on tightened.
Only the results of original inspection are recorded here (never resubmitted lots).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from station.sampling.tables import Severity, SwitchingRules


@dataclass(frozen=True)
class SwitchingState:
    severity: Severity = Severity.NORMAL
    discontinued: bool = False
    # Results of the latest lots on normal inspection, oldest first: "A" accepted, "R" not.
    normal_results: str = ""
    consecutive_accepted: int = 0  # on the current severity
    switching_score: int = 0  # kept on normal inspection
    rejected_on_tightened: int = 0  # since tightened inspection began
    accepted_in_a_row: int = 0  # whatever the severity (skip-lot qualification)
    lots: int = 0


@dataclass(frozen=True)
class LotOutcome:
    accepted: bool
    switching_points: int = 2  # see plans.LotJudgement; ignored for a rejected lot
    beyond_acceptance: bool = False


@dataclass(frozen=True)
class Conditions:
    production_steady: bool = True
    reduced_approved: bool = False  # by the responsible authority


@dataclass(frozen=True)
class Transition:
    before: SwitchingState
    after: SwitchingState
    reason: str  # why the severity changed, or what was counted

    @property
    def switched(self) -> bool:
        return (self.before.severity, self.before.discontinued) != (
            self.after.severity,
            self.after.discontinued,
        )


def next_state(
    state: SwitchingState, outcome: LotOutcome, conditions: Conditions, rules: SwitchingRules
) -> Transition:
    """The state after one more lot on original inspection."""
    if state.discontinued:
        return Transition(state, state, "inspection is discontinued; the lot is not counted")
    in_a_row = state.accepted_in_a_row + 1 if outcome.accepted else 0
    counted = replace(state, lots=state.lots + 1, accepted_in_a_row=in_a_row)
    step = {
        Severity.NORMAL: _on_normal,
        Severity.TIGHTENED: _on_tightened,
        Severity.REDUCED: _on_reduced,
    }[state.severity]
    after, reason = step(counted, outcome, conditions, rules)
    return Transition(state, after, reason)


def resume(state: SwitchingState) -> SwitchingState:
    """After discontinuation and corrective action: tightened inspection, counted afresh."""
    return _start(state, Severity.TIGHTENED)


def _start(state: SwitchingState, severity: Severity) -> SwitchingState:
    return SwitchingState(
        severity=severity, accepted_in_a_row=state.accepted_in_a_row, lots=state.lots
    )


def _on_normal(state, outcome, conditions, rules):
    results = (state.normal_results + ("A" if outcome.accepted else "R"))[-rules.tightened_window :]
    if not outcome.accepted and results.count("R") >= rules.tightened_after_rejected:
        return _start(state, Severity.TIGHTENED), (
            f"{results.count('R')} of the last {len(results)} lots not accepted on normal "
            "inspection: tightened inspection"
        )
    accepted = state.consecutive_accepted + 1 if outcome.accepted else 0
    points = outcome.switching_points if outcome.accepted else 0
    score = state.switching_score + points if points > 0 else 0
    after = replace(
        state, normal_results=results, consecutive_accepted=accepted, switching_score=score
    )
    earned = (
        score >= (rules.reduced_switching_score or 0)
        if rules.reduced_by == "switching_score"
        else accepted >= (rules.reduced_after_accepted or 0)
    )
    if not earned:
        return (
            after,
            f"lot {'accepted' if outcome.accepted else 'not accepted'} on normal inspection",
        )
    if not conditions.reduced_approved:
        return after, "reduced inspection earned but not approved by the responsible authority"
    if not conditions.production_steady:
        return after, "reduced inspection earned but production is not steady"
    why = (
        f"switching score {score}"
        if rules.reduced_by == "switching_score"
        else f"{accepted} lots accepted"
    )
    return _start(
        state, Severity.REDUCED
    ), f"{why}, production steady, approved: reduced inspection"


def _on_tightened(state, outcome, conditions, rules):
    if outcome.accepted:
        accepted = state.consecutive_accepted + 1
        if accepted >= rules.normal_after_accepted_on_tightened:
            return _start(state, Severity.NORMAL), (
                f"{accepted} consecutive lots accepted on tightened inspection: normal inspection"
            )
        return replace(state, consecutive_accepted=accepted), "lot accepted on tightened inspection"
    rejected = state.rejected_on_tightened + 1
    after = replace(state, consecutive_accepted=0, rejected_on_tightened=rejected)
    if rejected >= rules.discontinue_after_rejected_on_tightened:
        return replace(after, discontinued=True), (
            f"{rejected} lots not accepted on tightened inspection: inspection discontinued "
            "until the merchant has improved and a supervisor resumes it"
        )
    return after, f"lot not accepted on tightened inspection ({rejected} so far)"


def _on_reduced(state, outcome, conditions, rules):
    if not outcome.accepted:
        why = "lot not accepted on reduced inspection"
    elif outcome.beyond_acceptance:
        why = "lot accepted with more defectives than Ac on reduced inspection"
    elif not conditions.production_steady:
        why = "production no longer steady"
    elif not conditions.reduced_approved:
        why = "reduced inspection no longer approved"
    else:
        accepted = state.consecutive_accepted + 1
        return replace(state, consecutive_accepted=accepted), "lot accepted on reduced inspection"
    return _start(state, Severity.NORMAL), f"{why}: normal inspection"
