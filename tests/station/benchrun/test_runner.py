"""The bench runner's picture of its devices: what the screen's device strip shows."""

from __future__ import annotations

from datetime import UTC, datetime

from drivers.readings import DeviceState
from station.benchrun.runner import BenchRunner
from station.workflow.bench import BenchShell


class SpeaksDuringStart:
    """Devices whose scanner becomes ready while the runner reads their start-up
    states (a device thread is faster than the start-up loop on a busy machine)."""

    def __init__(self) -> None:
        self.listeners = []

    def listen(self, listener):
        self.listeners.append(listener)
        return lambda: self.listeners.remove(listener)

    def start(self) -> None:
        pass

    def stop(self) -> None:
        pass

    def states(self) -> list[DeviceState]:
        before = [_state("connecting")]  # read first...
        for listener in self.listeners:  # ...then the device thread reports it ready
            listener(_state("ready"))
        return before


def _state(value: str) -> DeviceState:
    return DeviceState("scanner", "scanner", value, value, 0, datetime.now(UTC))


def test_a_start_up_picture_never_covers_what_a_device_said_since(sqlite_db, evidence):
    shell = BenchShell(sqlite_db, evidence, bench_id="HZ1-B01", station_id="HZ1-B01")
    seen = []
    runner = BenchRunner(shell, devices=SpeaksDuringStart())
    runner.listen(lambda update: seen.append(update))
    runner.start()
    try:
        assert runner.device_states["scanner"].state == "ready"
        assert [u.data["state"] for u in seen if u.kind == "device"] == ["ready"]
    finally:
        runner.stop()
