"""A bench with simulated devices: a scale and a scanner on pseudo-terminals speaking their
real protocols (drivers.sim), read by the real drivers (drivers.Bench), their readings fed
to the bench shell (DeviceFeed). The autopilot's hands put items on this scale and hold
codes under this scanner; photos are handed over directly (rendered artwork of the unit's
listing). `camera_frames` gives a simulated camera the same pictures."""

from __future__ import annotations

import random
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np

from drivers.bench import Bench
from drivers.scales.stability import StabilityRule
from drivers.scales.worker import ScaleSpec
from drivers.scanners.worker import ScannerSpec
from drivers.sim.scale import ScaleSimulator
from drivers.sim.scanner import ScannerSimulator
from station.errors import StationError
from station.sample.artwork import photograph, render_face
from station.sample.load import design_for
from station.workflow.bench import BenchShell
from station.workflow.devices import DeviceFeed
from station.workflow.operator import PHOTO_SIZE
from station.workflow.state import BenchState

SCALE_PROTOCOL = "mt-sics"
# The autopilot's hands are quick and steady, and its own scale (never an operator's) is
# polled fast with a short stability window: a unit's weighing takes about 0.4 s instead
# of a real pan's 1.5 s. The protocol, the drivers and the stability filter are the real
# ones; only the timings are the autopilot's.
PLACE_SETTLE_S = 0.15
LIFT_SETTLE_S = 0.1
AUTOPILOT_SCALE = {"poll_interval_s": 0.03, "stability": StabilityRule(window_s=0.25)}


class SimulatedHands:
    """Items on the simulated scale, codes under the simulated scanner; waits until the
    bench has taken each reading."""

    def __init__(self, feed: DeviceFeed, scale: ScaleSimulator, scanner: ScannerSimulator):
        self.feed, self.scale, self.scanner = feed, scale, scanner

    def scan(self, text: str) -> BenchState:
        aim, body = (text[:3], text[3:]) if text.startswith("]") else (_aim_of(text), text)
        seen = self.feed.handled["scan"]
        self.scanner.scan(body, aim)
        self.feed.wait_for("scan", seen + 1)
        return self.feed.shell.state()

    def weigh(self, milligrams: int) -> BenchState:
        seen = self.feed.handled["weight:stable"]
        self.scale.place(milligrams / 1000, PLACE_SETTLE_S)
        self.feed.wait_for("weight:stable", seen + 1)
        state = self.feed.shell.state()
        # Lift it, until the bench sees the pan empty: the next placement is a new one.
        changes = self.feed.handled["weight"]
        self.scale.remove(LIFT_SETTLE_S)
        self.feed.wait_for("weight", changes + 1)
        return state


def camera_frames(listing: dict, face: str, seed: int = 0, frames: int = 4) -> list[np.ndarray]:
    """What a simulated camera (drivers.sim.camera.CameraSimulator.show) films when the
    unit of a sample listing lies face up under it: a bench photo of that listing's
    artwork (deterministic for the seed), in frames that differ by sensor noise only, as
    a fixed picture is what a frozen camera sends. For the wrong product, pass the
    listing the unit really is."""
    drawn = face if face in ("front", "back") else "back"
    image = photograph(render_face(design_for(listing), drawn), random.Random(seed), PHOTO_SIZE)
    noise = np.random.default_rng(seed)
    return [
        np.clip(image.astype(np.int16) + noise.integers(-3, 4, image.shape), 0, 255).astype(
            np.uint8
        )
        for _ in range(frames)
    ]


def _aim_of(text: str) -> str:
    if text.isdigit() and len(text) == 13:
        return "]E0"
    if text.isdigit() and len(text) == 12:
        return "]E0"
    return "]C0"


@contextmanager
def simulated_devices(shell: BenchShell, folder: Path) -> Iterator[SimulatedHands]:
    folder.mkdir(parents=True, exist_ok=True)
    scale = ScaleSimulator(SCALE_PROTOCOL, folder / "scale").start()
    scanner = ScannerSimulator(folder / "scanner").start()
    bench = Bench(
        scales=[ScaleSpec("scale", str(folder / "scale"), SCALE_PROTOCOL, **AUTOPILOT_SCALE)],
        scanners=[ScannerSpec("scanner", str(folder / "scanner"))],
    )
    feed = DeviceFeed(shell).start()
    unsubscribe = bench.listen(feed.offer)
    bench.start()
    try:
        _wait_ready(bench)
        yield SimulatedHands(feed, scale, scanner)
    finally:
        bench.stop()
        unsubscribe()
        feed.stop()
        scale.stop()
        scanner.stop()


def _wait_ready(bench: Bench, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        states = bench.states()
        if states and all(s.state == "ready" for s in states):
            return
        time.sleep(0.05)
    raise StationError(
        f"simulated devices not ready: {[(s.device, s.state) for s in bench.states()]}"
    )
