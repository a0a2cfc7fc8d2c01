"""Random event sequences against the pure state machine, with a model of the bench shell
answering its effects. Invariants: the state stays valid, every sampled unit ends with
exactly one verdict (or is abandoned), and every lot decision matches its counts."""

from __future__ import annotations

import random
import uuid
from datetime import UTC, datetime, timedelta

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from station import sampling
from station.identifiers import identify as read_scan
from station.lots.planning import plan_view
from station.workflow import effects as fx
from station.workflow import events as ev
from station.workflow.commands import NAMES
from station.workflow.machine import Policy, step
from station.workflow.state import (
    TRANSIENT,
    BenchState,
    LineView,
    Phase,
    PlanView,
    ShipmentView,
)
from station.workflow.unit import missing_steps

GTINS = ["06915881399867", "06998797309113", "04006381333931"]
POLICY = Policy(pause_after_s=300, abandon_after_s=1200, on_timeout="abandon")


def identify(text: str) -> ev.Identification:
    found = read_scan(text).to_json()
    return ev.Identification(
        kind=found["kind"], valid=found["valid"], reason=found["reason"], fields=found["fields"]
    )


def shipment(rng: random.Random) -> ShipmentView:
    lines = []
    for n in range(1, rng.randint(1, 2) + 1):
        lines.append(
            LineView(
                line_no=n,
                listing_id=f"L{n}",
                title=f"listing {n}",
                quantity=rng.randint(1, 20),
                gtins=[GTINS[n - 1]],
                requires_serial=rng.random() < 0.3,
                requires_expiry=rng.random() < 0.3,
                rules="general",
                photo_faces=["front"] if rng.random() < 0.7 else [],
                questions=["q1"] if rng.random() < 0.7 else [],
                done=rng.random() < 0.1,
            )
        )
    tracked = rng.random() < 0.85
    return ShipmentView(
        id="ASN-1",
        merchant_id="M1",
        warehouse_id="WH",
        tracking_number="SF123456789012" if tracked else None,
        lines=lines,
    )


def plan(rng: random.Random, lot_size: int) -> PlanView:
    """A real ISO 2859-1 plan (station.sampling) for the lot, with its draw."""
    aqls = {
        "critical": "0",
        "major": rng.choice(["0.65", "2.5", "6.5", "15"]),
        "minor": rng.choice(["1.0", "4.0", "10"]),
    }
    level = rng.choice(["S-1", "S-3", "I", "II", "III"])
    severity = rng.choice(["normal", "tightened", "reduced"])
    lot_plan = sampling.plan_lot(lot_size, level, aqls, severity)
    seed = rng.randrange(2**62)
    units = sampling.draw_units(lot_size, lot_plan.sample_size, seed)
    return plan_view(lot_plan, units, seed, "sample", lot_plan.rule)


class BenchModel(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.state = BenchState()
        self.now = datetime(2026, 6, 1, 8, tzinfo=UTC)
        self.opened: dict[uuid.UUID, str | None] = {}  # inspection -> verdict/abandoned
        self.lot_verdicts: dict[uuid.UUID, dict[int, tuple[str, str | None]]] = {}
        self.closed_lots: set[uuid.UUID] = set()
        self.plans: dict[uuid.UUID, PlanView] = {}
        self.rng = random.Random(0)

    # --- the shell's model ---------------------------------------------------------
    def feed(self, event) -> None:
        queue = [event]
        while queue:
            current = queue.pop(0)
            result = step(self.state, current, POLICY)
            assert current is event or self.state.phase in TRANSIENT
            self.state = result.state
            for effect in result.effects:
                answer = self.answer(effect)
                if answer is not None:
                    queue.append(answer)
        assert self.state.phase not in TRANSIENT, "a step ended between effect and answer"

    def answer(self, effect):
        rng = self.rng
        match effect:
            case fx.FindShipment():
                if effect.parcel.valid and rng.random() < 0.8:
                    return ev.ShipmentFound(shipment=shipment(rng))
                return ev.ShipmentUnknown(reason="unknown")
            case fx.OpenLot():
                line = self.state.shipment.line(effect.line_no)
                lot_id = uuid.uuid4()
                self.lot_verdicts[lot_id] = {}
                return ev.LotOpened(lot_id=lot_id, line=line)
            case fx.PlanLot():
                self.plans[effect.lot_id] = plan(rng, effect.lot_size)
                return ev.LotPlanned(plan=self.plans[effect.lot_id])
            case fx.OpenUnit():
                inspection = uuid.uuid4()
                self.opened[inspection] = None
                return ev.UnitOpened(inspection_id=inspection)
            case fx.EvaluateUnit():
                inspection = effect.unit.inspection_id
                assert self.opened[inspection] is None, "a unit evaluated twice"
                verdict = rng.choice(["pass", "fail", "review"])
                cls = (
                    rng.choice([None, "critical", "major", "minor"])
                    if verdict != "review"
                    else None
                )
                self.opened[inspection] = verdict
                units = self.lot_verdicts[effect.lot_id]
                assert effect.unit.unit_no not in units, "a sampled unit got a second verdict"
                units[effect.unit.unit_no] = (verdict, cls)
                return ev.UnitEvaluated(verdict=verdict, defect_class=cls)
            case fx.AbandonUnit():
                assert self.opened[effect.inspection_id] is None
                self.opened[effect.inspection_id] = "abandoned"
            case fx.CloseLot():
                self.check_lot_decision(effect)
        return None

    def check_lot_decision(self, effect: fx.CloseLot) -> None:
        assert effect.lot_id not in self.closed_lots, "a lot closed twice"
        self.closed_lots.add(effect.lot_id)
        verdicts = self.lot_verdicts[effect.lot_id]
        tally = effect.tally
        assert tally.passed + tally.failed + tally.review == len(verdicts)
        assert tally.review == sum(v == "review" for v, _ in verdicts.values())
        for cls in ("critical", "major", "minor"):
            counted = sum(c == cls and v != "review" for v, c in verdicts.values())
            assert tally.defectives.get(cls, 0) == counted
        plan_view = self.plans.get(effect.lot_id)
        if plan_view is None:  # the line did not arrive
            assert effect.decision == "rejected" and not verdicts
            return
        assert sorted(verdicts) == sorted(plan_view.units), "every sampled unit has one verdict"
        # The decision, worked out here from the harness's own record of the verdicts: each
        # class counts its defective units among the first n drawn, n its plan's size.
        if any(v == "review" for v, _ in verdicts.values()):
            expected = "pending"
        else:
            order = plan_view.units
            counts = {
                c: sum(verdicts[u][1] == c for u in order[: min(p.sample_size, len(order))])
                for c, p in plan_view.classes.items()
            }
            rejects = any(counts[c] >= p.reject for c, p in plan_view.classes.items())
            expected = "rejected" if rejects else "accepted"
        assert effect.decision == expected
        if expected == "accepted":
            assert effect.disposition == "accept_to_stock"
        elif expected == "pending":
            assert effect.disposition == "quarantine"

    def at(self, seconds: float = 5) -> datetime:
        self.now += timedelta(seconds=seconds)
        return self.now

    # --- rules: what can happen at a bench -------------------------------------------
    @rule(seed=st.integers(0, 2**32))
    def reseed(self, seed):
        self.rng = random.Random(seed)

    @rule(name=st.sampled_from(["ann", "bo"]))
    def sign_in(self, name):
        self.feed(ev.SignIn(operator=name, at=self.at()))

    @rule()
    def sign_out(self):
        self.feed(ev.SignOut(at=self.at()))

    @rule(
        text=st.sampled_from(["EE858176250CN", "EE858176251CN", "ASN-1", "junk", "SF5689832982229"])
    )
    def scan_parcel(self, text):
        self.feed(ev.Scan(text=text, identification=identify(text), at=self.at()))

    @rule(
        gtin=st.sampled_from(GTINS + ["6915881399868"]),
        serial=st.none() | st.just("S1"),
        expiry=st.none() | st.sampled_from(["251231", "291231"]),
    )
    def scan_unit(self, gtin, serial, expiry):
        text = gtin
        if serial or expiry:
            text = (
                "01"
                + gtin.zfill(14)
                + ("17" + expiry if expiry else "")
                + ("21" + serial if serial else "")
            )
        self.feed(ev.Scan(text=text, identification=identify(text), at=self.at()))

    @rule(
        mg=st.integers(0, 500_000),
        stable=st.booleans(),
        status=st.sampled_from(["ok", "ok", "overload"]),
    )
    def weigh(self, mg, stable, status):
        self.feed(ev.Weight(milligrams=mg, stable=stable, status=status, at=self.at()))

    @rule(face=st.none() | st.just("front"), problems=st.sampled_from([[], [], ["blurred"]]))
    def photo(self, face, problems):
        self.feed(ev.Photo(sha256="a" * 64, face=face, problems=problems, at=self.at()))

    @rule(
        question=st.sampled_from(["q1", "expiry", "serial", "nope"]),
        value=st.sampled_from(["yes", "no", "2027-01-31", "x"]),
    )
    def answer_question(self, question, value):
        self.feed(ev.Answer(question=question, value=value, at=self.at()))

    @rule(quantity=st.integers(0, 5))
    def count(self, quantity):
        self.feed(ev.Count(quantity=quantity, at=self.at()))

    @rule(
        name=st.sampled_from(NAMES + ("BOGUS",)), arg=st.sampled_from([None, "", "boss", "front"])
    )
    def command(self, name, arg):
        self.feed(ev.Command(name=name, argument=arg, at=self.at()))

    @rule(
        kind=st.sampled_from(["scale", "camera", "scanner"]),
        state=st.sampled_from(["ready", "stalled", "disconnected", "connecting"]),
    )
    def device(self, kind, state):
        self.feed(ev.DeviceStatus(device=kind, kind=kind, state=state, at=self.at(0)))

    @rule(seconds=st.sampled_from([10, 400, 2000]))
    def tick(self, seconds):
        self.feed(ev.Tick(at=self.at(seconds)))

    @rule(times=st.integers(1, 12))
    def operator_follows_the_screen(self, times):
        """A diligent operator: supplies whatever the bench asks for next."""
        for _ in range(times):
            self.feed(self.next_thing_to_do())

    def next_thing_to_do(self):
        s, at = self.state, self.at()
        if s.phase == Phase.SIGNED_OUT:
            return ev.SignIn(operator="ann", at=at)
        if s.phase == Phase.IDLE:
            return ev.Scan(text="EE858176250CN", identification=identify("EE858176250CN"), at=at)
        if s.phase == Phase.COUNTING:
            line = s.current_line()
            return ev.Count(
                quantity=self.rng.randint(max(1, line.quantity - 2), line.quantity + 2), at=at
            )
        if s.phase != Phase.INSPECTING:
            return ev.Command(name="CONFIRM", at=at)
        line = s.current_line()
        needed = missing_steps(s.unit, line, s.waivers)
        first = needed[0] if needed else "question:q1"
        if first in ("scan", "serial", "expiry"):
            text = "01" + line.gtins[0] + "17291231" + "21" + f"S{self.rng.randrange(10**6)}"
            return ev.Scan(text=text, identification=identify(text), at=at)
        if first == "weight":
            return ev.Weight(milligrams=150_000, stable=True, at=at)
        if first.startswith("photo:"):
            return ev.Photo(sha256="b" * 64, at=at)
        return ev.Answer(question=first.removeprefix("question:"), value="yes", at=at)

    @rule(kind=st.sampled_from(["unit_evaluated", "lot_planned"]))
    def stray_answer(self, kind):
        """An answer arriving in the wrong phase changes nothing but the notice."""
        before = self.state
        event = (
            ev.UnitEvaluated(verdict="pass")
            if kind == "unit_evaluated"
            else ev.LotPlanned(plan=plan(self.rng, 2))
        )
        if before.phase in TRANSIENT:
            return
        result = step(before, event, POLICY)
        assert result.effects == []
        assert result.state.model_dump(exclude={"notice", "steps"}) == before.model_dump(
            exclude={"notice", "steps"}
        )

    # --- invariants ------------------------------------------------------------------
    @invariant()
    def state_is_valid(self):
        s = self.state
        BenchState.model_validate(s.model_dump(mode="json"))  # survives a save and reload
        if s.phase in (Phase.SIGNED_OUT, Phase.IDLE):
            assert s.shipment is None and s.lot is None and s.unit is None
        if s.phase == Phase.SIGNED_OUT:
            assert s.operator is None
        if s.phase == Phase.PAUSED:
            assert s.paused_from is not None
        if s.phase == Phase.INSPECTING:
            assert s.unit is not None and s.unit.inspection_id is not None
            assert s.lot is not None and s.lot.plan is not None
            assert s.unit.unit_no == s.lot.plan.units[s.unit.index]
            assert s.unit.index == s.lot.next_index
        if s.phase == Phase.COUNTING:
            assert s.lot is not None and s.lot.plan is None and s.unit is None
        if s.lot is not None:
            tally = s.lot.tally
            assert tally.passed + tally.failed + tally.review == len(s.lot.verdicts)
            assert len(s.lot.verdicts) == s.lot.next_index

    @invariant()
    def every_unit_left_behind_is_decided_or_abandoned(self):
        current = self.state.unit.inspection_id if self.state.unit else None
        for inspection, outcome in self.opened.items():
            if inspection != current:
                assert outcome is not None, f"unit {inspection} left without a verdict"


BenchModel.TestCase.settings = settings(
    max_examples=60,
    stateful_step_count=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
TestBenchMachine = BenchModel.TestCase
