"""A scripted operator: looks at what the bench asks for and supplies it, unit after unit.

Used by the autopilot (and tests). It plays the devices too: until the device
simulators are wired in, scans, weights and photos go straight into the bench shell.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import cv2

from station.checks.rules import rule_set
from station.sample.artwork import photograph, render_face
from station.sample.load import design_for
from station.workflow.bench import BenchShell, StepReport
from station.workflow.state import BenchState, Phase
from station.workflow.unit import DEVICE_OF_STEP, missing_steps

GS = "\x1d"
PHOTO_SIZE = (640, 480)  # what the simulated bench camera delivers (width, height)


@dataclass(frozen=True)
class UnitPlan:
    """What the unit in hand really is (the product, its codes, its weight)."""

    listing: dict  # the sample listing dict (id, brand_id, title, gtins, attributes)
    weight_mg: int
    serial: str | None = None
    expiry: date | None = None


# (bench state, unit number) -> the unit the operator picks up
UnitSource = Callable[[BenchState, int], UnitPlan]


class DirectHands:
    """Device events straight into the shell (no device in between)."""

    def __init__(self, send) -> None:
        self.send = send

    def scan(self, text: str) -> BenchState:
        return self.send({"type": "scan", "text": text})

    def weigh(self, milligrams: int) -> BenchState:
        self.send({"type": "weight", "milligrams": milligrams // 2, "stable": False})
        return self.send({"type": "weight", "milligrams": milligrams, "stable": True})


@dataclass
class ScriptedOperator:
    shell: BenchShell
    rng: random.Random
    photos: dict[tuple[str, str], bytes] = field(default_factory=dict)
    reports: list[StepReport] = field(default_factory=list)
    # How scans and weights reach the bench: straight in, or through simulated devices.
    hands: Any = None

    def __post_init__(self) -> None:
        if self.hands is None:
            self.hands = DirectHands(self.send)

    def send(self, event: dict) -> BenchState:
        report = self.shell.handle(event)
        self.reports.append(report)
        return report.state

    def inspect_parcel(self, label: str, count: Callable[[int], int], unit: UnitSource) -> None:
        """Scan the parcel, then work through every line until the bench is idle again."""
        state = self.send({"type": "scan", "text": label})
        for _ in range(100_000):
            if state.phase == Phase.COUNTING:
                line = state.current_line()
                assert line is not None
                state = self.send({"type": "count", "quantity": count(line.quantity)})
            elif state.phase == Phase.INSPECTING:
                assert state.unit is not None
                state = self.do_unit(state, unit(state, state.unit.unit_no))
            elif state.phase == Phase.LOT_COMPLETE:
                state = self.send({"type": "command", "name": "CONFIRM"})
            else:
                return
        raise RuntimeError("the bench never came back to idle")

    def do_unit(self, state: BenchState, unit: UnitPlan) -> BenchState:
        line = state.current_line()
        assert line is not None and state.unit is not None
        rules = rule_set(line.rules)
        start = state.unit.inspection_id
        while state.unit is not None and state.unit.inspection_id == start:
            # Whatever can be done now; a step whose device is down waits for it to come
            # back or for a supervisor's permission.
            steps = [
                step
                for step in missing_steps(state.unit, line, state.waivers)
                if DEVICE_OF_STEP.get(step.split(":")[0]) not in state.devices_down
            ]
            if not steps:
                break
            retake = steps[0].removeprefix("photo:") in state.unit.retakes
            state = self._supply(steps[0], unit, rules, retake)
        return state

    def _supply(self, step: str, unit: UnitPlan, rules, retake: bool = False) -> BenchState:
        if step in ("scan", "serial", "expiry"):
            return self.hands.scan(unit_code(unit))
        if step == "weight":
            return self.hands.weigh(unit.weight_mg)
        if step.startswith("photo:"):
            face = step.removeprefix("photo:")
            image, (width, height) = self.photo(unit.listing, face, fresh=retake)
            return self.shell.take_photo(
                image, face=face, width=width, height=height, media_type="image/jpeg"
            ).state
        question = rules.question(step.removeprefix("question:"))
        good = "yes" if question.fail_on == "no" else "no"
        return self.send({"type": "answer", "question": question.id, "value": good})

    def photo(self, listing: dict, face: str, fresh: bool = False) -> tuple[bytes, tuple]:
        """A bench photo of the unit's face (the sample artwork as the camera sees it) and
        its size; `fresh`: the item put down again and photographed anew (a retake)."""
        drawn = face if face in ("front", "back") else "back"
        key = (listing["id"], drawn)
        if fresh or key not in self.photos:
            self.photos[key] = sample_photo(listing, drawn, self.rng)
        return self.photos[key], PHOTO_SIZE


def sample_photo(listing: dict, face: str, rng: random.Random) -> bytes:
    """JPEG bytes of a bench photo of a sample listing's face ("front" or "back")."""
    image = photograph(render_face(design_for(listing), face), rng, size=PHOTO_SIZE)
    ok, data = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, 85])
    assert ok
    return data.tobytes()


def unit_code(unit: UnitPlan) -> str:
    """The code printed on the unit: a GS1 DataMatrix when it carries a serial or expiry."""
    gtin = unit.listing["gtins"][0]
    if unit.serial is None and unit.expiry is None:
        return gtin
    text = "]d201" + gtin.zfill(14)
    if unit.expiry is not None:
        text += "17" + unit.expiry.strftime("%y%m%d")
    if unit.serial is not None:
        text += "21" + unit.serial + GS
    return text.rstrip(GS)
