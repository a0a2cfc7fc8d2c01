"""One bench in a server process. Every input, from a device or from the screen, goes
through one worker thread into the workflow's bench shell, so steps never interleave;
whoever watches (the bench screens) gets an Update after each step and for every live
weight and device change."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import queue
import threading
import uuid
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Any

import cv2

from drivers.bench import Bench
from drivers.readings import DeviceState, Frame, WeightReading
from station.benchrun.health import DeviceLog
from station.errors import StationError
from station.workflow.bench import BenchShell, StepReport
from station.workflow.devices import DeviceFeed
from station.workflow.events import Answer, Command, Event, Photo, Scan, Tick, UnitEvaluated
from station.workflow.state import BenchState, Phase
from station.workflow.unit import missing_steps

log = logging.getLogger(__name__)
Listener = Callable[["Update"], None]
WAIT_S = 30.0
CARD_PREFIX = "ISCMD:"


@dataclass(frozen=True)
class Update:
    """What changed: 'state' (a step was taken), 'verdict', 'weight' or 'device'."""

    kind: str
    data: dict = field(default_factory=dict)


class BenchRunner:
    def __init__(
        self,
        shell: BenchShell,
        *,
        devices: Bench | None = None,
        device_log: DeviceLog | None = None,
        empty_below_mg: int = 2000,
        tick_every_s: float = 5.0,
    ) -> None:
        self.shell, self.devices, self.device_log = shell, devices, device_log
        self.tick_every_s = tick_every_s
        # The workflow's own reading of device events (which weights matter); its
        # queue is not used: this runner's one worker also takes the screen's input.
        self.feed = DeviceFeed(shell, empty_below_mg)
        self.weights: dict[str, dict] = {}
        self.device_states: dict[str, DeviceState] = {}
        self.frames: dict[str, Frame] = {}
        self.last_verdict: dict | None = None
        self._state = shell.state()
        self._inbox: queue.Queue = queue.Queue()
        self._listeners: list[Listener] = []
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._unlisten: Callable[[], None] | None = None

    # lifecycle -----------------------------------------------------------------------
    def start(self) -> BenchRunner:
        self._thread = threading.Thread(target=self._work, name="bench-runner", daemon=True)
        self._thread.start()
        if self.devices is not None:
            self._unlisten = self.devices.listen(self._on_device)
            self.devices.start()
            for state in self.devices.states():  # what they were before any spoke
                self._on_device(state, first=True)
        return self

    def stop(self) -> None:
        if self._unlisten:
            self._unlisten()
        if self.devices is not None:
            self.devices.stop()
        self._inbox.put(None)
        if self._thread:
            self._thread.join(timeout=5)

    # watching ------------------------------------------------------------------------
    def listen(self, listener: Listener) -> Callable[[], None]:
        with self._lock:
            self._listeners.append(listener)

        def unlisten() -> None:
            with self._lock, contextlib.suppress(ValueError):
                self._listeners.remove(listener)

        return unlisten

    def _tell(self, update: Update) -> None:
        with self._lock:
            listeners = list(self._listeners)
        for listener in listeners:
            try:
                listener(update)
            except Exception:
                log.exception("bench listener failed")

    def state(self) -> BenchState:
        return self._state

    # input ---------------------------------------------------------------------------
    def submit(self, event: Event | dict) -> StepReport:
        """Hand an event to the bench and wait for its step to be taken."""
        done: Future = Future()
        self._inbox.put((event, done))
        return done.result(timeout=WAIT_S)

    def command(self, name: str, argument: str | None = None) -> StepReport:
        """A bench command, as the screen's buttons and keys give it."""
        return self.submit(Command(name=name, argument=argument))

    def take_photo(self, face: str | None = None) -> StepReport:
        """Photograph the unit now (the screen's camera button)."""
        return self.submit(TakePhoto(face))

    def photo_wanted(self) -> str | None:
        """The face the unit on the bench needs photographed next, if that is its next step."""
        step = self._next_step()
        return step.split(":", 1)[1] if step and step.startswith("photo:") else None

    def question_wanted(self) -> str | None:
        step = self._next_step()
        return step.split(":", 1)[1] if step and step.startswith("question:") else None

    def _next_step(self) -> str | None:
        state = self._state
        line = state.current_line()
        if state.phase != Phase.INSPECTING or state.unit is None or line is None:
            return None
        steps = missing_steps(state.unit, line, state.waivers)
        return steps[0] if steps else None

    def cameras(self) -> list[str]:
        if self.devices is None:
            return []
        return [n for n, s in self.device_states.items() if s.kind == "camera"]

    def _expand(self, event: Any) -> Any:
        """What a scanner-only operator means: NEXT on a photo step takes the photo, YES
        or NO on a checklist step answers it. Everything else goes on as it is."""
        name = _card(event)
        if isinstance(event, TakePhoto) or (name == "NEXT" and self.photo_wanted()):
            if self.cameras():
                face = event.face if isinstance(event, TakePhoto) else self.photo_wanted()
                return self._photo(face)
            if isinstance(event, TakePhoto):
                raise StationError("this bench has no camera: skip the photo with SKIP")
        question = self.question_wanted()
        if name in ("YES", "NO") and question:
            return Answer(question=question, value=name.lower())
        return event

    def _photo(self, face: str | None) -> Photo:
        """A full-resolution snapshot from the camera, stored (the shell judges it)."""
        name = self.cameras()[0]
        try:
            frame = asyncio.run(self.devices.snapshot(name))
        except Exception as err:
            raise StationError(f"camera {name} gave no picture: {err}") from None
        ok, jpeg = cv2.imencode(".jpg", frame.image, [cv2.IMWRITE_JPEG_QUALITY, 92])
        if not ok:
            raise StationError(f"camera {name}: the picture could not be encoded")
        stored = self.shell.evidence.put(jpeg.tobytes())
        height, width = frame.image.shape[:2]
        return Photo(sha256=stored.sha256, face=face, camera=name, width=width, height=height,
                     media_type="image/jpeg")  # fmt: skip

    # devices (called from device threads) --------------------------------------------
    def _on_device(self, reading: Any, first: bool = False) -> None:
        if isinstance(reading, Frame):
            self.frames[reading.device] = reading
            return
        if isinstance(reading, WeightReading):
            self._show_weight(reading)
        elif isinstance(reading, DeviceState) and not self._state_changed(reading, first):
            return
        event = self.feed.translate(reading)
        if event is not None:
            self._inbox.put((event, None))

    def _show_weight(self, reading: WeightReading) -> None:
        live = {
            "device": reading.device,
            "grams": None if reading.milligrams is None else reading.milligrams / 1000,
            "stable": reading.stable,
            "status": str(getattr(reading.status, "value", reading.status)),
        }
        if live != self.weights.get(reading.device):
            self.weights[reading.device] = live
            self._tell(Update("weight", live))

    def _state_changed(self, state: DeviceState, first: bool = False) -> bool:
        with self._lock:
            before = self.device_states.get(state.device)
            if first and before is not None:
                # The start-up picture was read before the device spoke; what it said
                # since is newer (a "connecting" must not cover its "ready").
                return False
            self.device_states[state.device] = state
        if before is not None and (before.state, before.reason) == (state.state, state.reason):
            return False
        if self.device_log is not None:
            self.device_log.record(state)
        self._tell(Update("device", {"device": state.device, "kind": state.kind,
                                     "state": state.state, "reason": state.reason}))  # fmt: skip
        return True

    # the worker ----------------------------------------------------------------------
    def _work(self) -> None:
        while True:
            try:
                item = self._inbox.get(timeout=self.tick_every_s)
            except queue.Empty:
                item = (Tick(), None)
                if self.device_log is not None:
                    self.device_log.seen()
            if item is None:
                return
            event, done = item
            try:
                report = self._step(self._expand(event))
            except Exception as err:
                if done is not None:
                    done.set_exception(err)
                else:
                    log.exception("bench %s: event %s failed", self.shell.bench_id, event)
                continue
            if done is not None:
                done.set_result(report)

    def _step(self, event: Event | dict) -> StepReport:
        previous = self._state
        before = previous.unit.inspection_id if previous.unit else None
        report = self.shell.handle(event)
        self._state = report.state
        for answer in report.events:
            if isinstance(answer, UnitEvaluated):
                self.last_verdict = _verdict(answer, before)
                self._tell(Update("verdict", self.last_verdict))
        # A tick that changed nothing but the clock is not worth a screen refresh.
        changed = report.state.model_dump(
            exclude={"last_activity", "steps"}
        ) != previous.model_dump(exclude={"last_activity", "steps"})
        if changed or not isinstance(event, Tick):
            self._tell(Update("state", {"steps": report.state.steps}))
        return report


@dataclass(frozen=True)
class TakePhoto:
    """The screen asks for a photo now."""

    face: str | None = None


def _card(event: Any) -> str | None:
    """The command a scan or a command event carries (NEXT, YES, ...), upper case."""
    if isinstance(event, Command):
        return event.name.strip().upper()
    text = event.text if isinstance(event, Scan) else None
    if isinstance(event, dict) and event.get("type") == "scan":
        text = event.get("text")
    if text and text.strip().upper().startswith(CARD_PREFIX):
        return text.strip()[len(CARD_PREFIX) :].split(":", 1)[0].upper()
    return None


def _verdict(event: UnitEvaluated, inspection_id: uuid.UUID | None) -> dict:
    return {
        "inspection_id": str(inspection_id) if inspection_id else None,
        "verdict": event.verdict,
        "defect_class": event.defect_class,
        "reason_en": event.reason_en,
        "reason_zh": event.reason_zh,
    }
