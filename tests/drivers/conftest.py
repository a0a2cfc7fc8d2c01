"""Helpers for end-to-end device tests: a running bench and a record of its events."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator

import pytest

from drivers.bench import Bench
from drivers.readings import DeviceState, Event, StableWeight, WeightReading
from drivers.scales.stability import StabilityRule

# Settles quickly so tests stay short; the defaults are for real benches.
QUICK = StabilityRule(window_s=0.3, min_samples=3, range_mg=100, slope_mg_per_s=500,
                      min_load_mg=2000, zero_band_mg=500, stale_after_s=0.5)  # fmt: skip


class Recorder:
    """Every event a bench publishes, with the monotonic time it arrived."""

    def __init__(self) -> None:
        self.events: list[tuple[float, Event]] = []
        self._cond = threading.Condition()

    def __call__(self, event: Event) -> None:
        with self._cond:
            self.events.append((time.monotonic(), event))
            self._cond.notify_all()

    def wait_for(self, test: Callable[[Event], bool], timeout: float = 5.0, after: float = 0.0):
        """The first event (arrived after `after`) passing `test`; fails after `timeout`."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                for t, e in self.events:
                    if t >= after and test(e):
                        return e
                left = deadline - time.monotonic()
                if left <= 0:
                    states = [e for _, e in self.events if isinstance(e, DeviceState)][-3:]
                    pytest.fail(f"no such event within {timeout} s; last states: {states}")
                self._cond.wait(left)

    def since(self, after: float, kind: type | tuple = object) -> list:
        with self._cond:
            return [e for t, e in self.events if t >= after and isinstance(e, kind)]

    def weights(self, after: float = 0.0) -> list[WeightReading]:
        return self.since(after, WeightReading)

    def stable(self, after: float = 0.0) -> list[StableWeight]:
        return self.since(after, StableWeight)


def state_is(name: str, state: str, words: str = "") -> Callable[[Event], bool]:
    return lambda e: (
        isinstance(e, DeviceState) and e.device == name and e.state == state and words in e.reason
    )


@pytest.fixture
def run_bench() -> Iterator[Callable[..., tuple[Bench, Recorder]]]:
    benches: list[Bench] = []

    def start(**specs) -> tuple[Bench, Recorder]:
        bench = Bench(**specs)
        recorder = Recorder()
        bench.listen(recorder)
        benches.append(bench.start())
        return bench, recorder

    yield start
    for bench in benches:
        bench.stop()


@pytest.fixture
def simulators() -> Iterator[list]:
    """Simulators a test started; stopped (links removed) afterwards."""
    started: list = []
    yield started
    for sim in started:
        sim.stop()
