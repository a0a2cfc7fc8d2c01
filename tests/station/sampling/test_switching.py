"""The switching rules: scenarios from the standard's wording, and random lot sequences."""

from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from station.sampling import load_scheme
from station.sampling.switching import (
    Conditions,
    LotOutcome,
    SwitchingState,
    next_state,
    resume,
)
from station.sampling.tables import Severity

ISO = load_scheme("iso2859-1").switching
Z14 = load_scheme("z1.4").switching
APPROVED = Conditions(production_steady=True, reduced_approved=True)
NORMAL, TIGHTENED, REDUCED = Severity.NORMAL, Severity.TIGHTENED, Severity.REDUCED


def run(results, rules=ISO, conditions=APPROVED, state=None, points=2):
    state = state or SwitchingState()
    for accepted in results:
        state = next_state(state, LotOutcome(accepted, points), conditions, rules).after
    return state


def lots(text):
    return [c == "A" for c in text]


def test_two_rejections_within_five_lots_tighten():
    assert run(lots("ARAAAR")).severity is TIGHTENED  # lots 2 and 6: within 5 lots
    assert run(lots("ARAAAAR")).severity is NORMAL  # lots 2 and 7: 6 lots apart
    assert run(lots("RR")).severity is TIGHTENED


def test_five_accepted_on_tightened_return_to_normal():
    tightened = run(lots("RR"))
    assert run(lots("AAAA"), state=tightened).severity is TIGHTENED
    assert run(lots("AAAAA"), state=tightened).severity is NORMAL
    assert run(lots("AAAARAAAA"), state=tightened).severity is TIGHTENED  # not consecutive


def test_fifth_rejection_on_tightened_discontinues_and_resume_restarts_tightened():
    tightened = run(lots("RR"))
    four = run(lots("RAARARAR"), state=tightened)
    assert four.severity is TIGHTENED and not four.discontinued and four.rejected_on_tightened == 4
    stopped = run(lots("R"), state=four)
    assert stopped.discontinued
    assert run(lots("AAAAAAAA"), state=stopped) == stopped  # no lot counts any more
    restarted = resume(stopped)
    assert (restarted.severity, restarted.discontinued, restarted.rejected_on_tightened) == (
        TIGHTENED,
        False,
        0,
    )


def test_switching_score_reaches_reduced_at_30():
    assert run(lots("A" * 14)).severity is NORMAL  # 14 x 2 = 28
    assert run(lots("A" * 15)).severity is REDUCED  # 30
    assert run(lots("A" * 10), points=3).severity is REDUCED
    assert run(lots("A" * 9), points=3).switching_score == 27


def test_a_reset_or_rejection_starts_the_score_again():
    state = run(lots("A" * 12))
    assert next_state(state, LotOutcome(True, 0), APPROVED, ISO).after.switching_score == 0
    assert run(lots("R"), state=state).switching_score == 0


def test_reduced_needs_approval_and_steady_production():
    assert run(lots("A" * 20), conditions=Conditions(True, False)).severity is NORMAL
    assert run(lots("A" * 20), conditions=Conditions(False, True)).severity is NORMAL
    earned = run(lots("A" * 20), conditions=Conditions(True, False))
    assert run(lots("A"), state=earned).severity is REDUCED  # approved later: next lot


def test_z1_4_reduces_after_ten_accepted_lots():
    assert run(lots("A" * 9), rules=Z14, points=0).severity is NORMAL
    assert run(lots("A" * 10), rules=Z14, points=0).severity is REDUCED


def test_reduced_returns_to_normal():
    reduced = run(lots("A" * 15))
    assert run(lots("R"), state=reduced).severity is NORMAL
    gap = LotOutcome(True, 2, beyond_acceptance=True)
    assert next_state(reduced, gap, APPROVED, Z14).after.severity is NORMAL
    irregular = Conditions(production_steady=False, reduced_approved=True)
    assert next_state(reduced, LotOutcome(True), irregular, ISO).after.severity is NORMAL
    assert run(lots("AAAA"), state=reduced).severity is REDUCED


outcomes = st.builds(
    lambda accepted, points, beyond: LotOutcome(accepted, points, beyond and accepted),
    st.booleans(),
    st.sampled_from([0, 2, 3]),
    st.booleans(),
)
conditions = st.builds(Conditions, st.booleans(), st.booleans())


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(outcomes, st.booleans()), max_size=80), st.sampled_from([ISO, Z14]))
def test_never_reduced_without_approval(sequence, rules):
    state = SwitchingState()
    for outcome, steady in sequence:
        state = next_state(state, outcome, Conditions(steady, False), rules).after
        assert state.severity is not REDUCED


class SwitchingMachine(RuleBasedStateMachine):
    """Random lot sequences; each step is checked against the standard's rules, with the
    counts the test keeps itself (independently of the state machine's own counters)."""

    def __init__(self):
        super().__init__()
        self.state = SwitchingState()
        self.rejected_since_tightened = 0
        self.normal_history = ""  # lots since normal inspection (re)started

    @rule(outcome=outcomes, cond=conditions, z14=st.booleans())
    def lot(self, outcome, cond, z14):
        before = self.state
        after = next_state(before, outcome, cond, Z14 if z14 else ISO).after
        self.state = after
        if before.discontinued:
            assert after == before
            return
        mark = "A" if outcome.accepted else "R"
        if before.severity is NORMAL:
            window = (self.normal_history + mark)[-5:]
            tighten = not outcome.accepted and window.count("R") >= 2
            assert (after.severity is TIGHTENED) == tighten
            if after.severity is REDUCED:
                assert cond.reduced_approved and cond.production_steady and outcome.accepted
            self.normal_history += mark
        if before.severity is TIGHTENED:
            self.rejected_since_tightened += not outcome.accepted
            assert after.discontinued == (self.rejected_since_tightened >= 5)
            back = outcome.accepted and before.consecutive_accepted == 4
            assert (after.severity is NORMAL) == back
        if before.severity is REDUCED and (not outcome.accepted or outcome.beyond_acceptance):
            assert after.severity is NORMAL
        if after.severity != before.severity:
            assert {before.severity, after.severity} != {TIGHTENED, REDUCED}
            self.normal_history = ""
            self.rejected_since_tightened = 0

    @rule()
    def supervisor_resumes(self):
        if self.state.discontinued:
            self.state = resume(self.state)
            assert self.state.severity is TIGHTENED and not self.state.discontinued
            self.rejected_since_tightened = 0

    @invariant()
    def counters_stay_in_range(self):
        assert self.state.switching_score >= 0
        assert len(self.state.normal_results) <= 5
        assert self.state.rejected_on_tightened <= 5
        assert self.state.discontinued <= (self.state.severity is TIGHTENED)


SwitchingMachine.TestCase.settings = settings(
    max_examples=60, stateful_step_count=60, deadline=None
)
test_switching_machine = SwitchingMachine.TestCase
