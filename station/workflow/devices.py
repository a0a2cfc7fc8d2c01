"""The bench's devices (drivers) as workflow events, fed to the bench shell in order.

A scale reports several times a second; only what matters to the workflow becomes an
event: the one stable weight of each placement, the moment something is put on the
pan, the moment it is lifted, and a change of the scale's status. Scans and device
states pass through; live camera frames do not (photos are snapshots).
"""

from __future__ import annotations

import logging
import queue
import threading
from collections import Counter
from typing import Any

from drivers.readings import DeviceState, ScanReading, StableWeight, WeightReading
from station.errors import StationError
from station.workflow.bench import BenchShell

log = logging.getLogger(__name__)
STOP = object()


class DeviceFeed:
    """Takes device readings from any thread; one worker thread hands them to the shell."""

    def __init__(self, shell: BenchShell, empty_below_mg: int | None = None) -> None:
        self.shell = shell
        self.empty_below_mg = empty_below_mg or shell.policy.empty_below_mg
        self.handled: Counter[str] = Counter()
        self.errors: list[str] = []
        self._queue: queue.Queue = queue.Queue()
        self._changed = threading.Condition()
        self._loaded: dict[str, bool] = {}
        self._status: dict[str, str] = {}
        self._thread: threading.Thread | None = None

    def start(self) -> DeviceFeed:
        self._thread = threading.Thread(target=self._run, name="device-feed", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._queue.put(STOP)
        if self._thread is not None:
            self._thread.join(timeout=10)

    def offer(self, reading: Any) -> None:
        """A drivers.Bench listener: translate and queue (called from device threads)."""
        event = self.translate(reading)
        if event is not None:
            self._queue.put(event)

    def translate(self, reading: Any) -> dict | None:
        at = getattr(reading, "at", None)
        match reading:
            case StableWeight():
                return _weight(reading.device, reading.milligrams, True, "ok", at)
            case WeightReading():
                return self._weight_change(reading)
            case ScanReading():
                return {
                    "type": "scan",
                    "text": reading.text,
                    "aim": reading.aim,
                    "symbology": reading.symbology,
                    "device": reading.device,
                    "at": at,
                }
            case DeviceState() if reading.kind in ("scale", "camera", "scanner"):
                return {
                    "type": "device",
                    "device": reading.device,
                    "kind": reading.kind,
                    "state": reading.state,
                    "reason": reading.reason,
                    "at": at,
                }
        return None

    def _weight_change(self, reading: WeightReading) -> dict | None:
        status = reading.status.value
        if status not in ("ok", "motion"):
            changed = self._status.get(reading.device) != status
            self._status[reading.device] = status
            return (
                _weight(reading.device, reading.milligrams, False, status, reading.at)
                if changed
                else None
            )
        self._status[reading.device] = status
        if reading.milligrams is None:
            return None
        loaded = reading.milligrams >= self.empty_below_mg
        if self._loaded.get(reading.device, False) == loaded:
            return None
        self._loaded[reading.device] = loaded
        return _weight(reading.device, reading.milligrams, False, "ok", reading.at)

    def wait_for(self, key: str, count: int, timeout: float = 15.0) -> None:
        """Until `count` events of `key` (an event type, or "weight:stable") were handled."""
        with self._changed:
            if not self._changed.wait_for(lambda: self.handled[key] >= count, timeout):
                raise StationError(
                    f"no {key} reached the bench within {timeout:.0f} s; errors: {self.errors}"
                )

    def _run(self) -> None:
        while True:
            event = self._queue.get()
            if event is STOP:
                return
            try:
                self.shell.handle(event)
            except StationError as err:  # one bad reading must not stop the bench
                log.warning("device event not taken: %s", err)
                self.errors.append(str(err))
            key = (
                "weight:stable"
                if event.get("type") == "weight" and event["stable"]
                else event["type"]
            )
            with self._changed:
                self.handled[key] += 1
                self._changed.notify_all()


def _weight(device: str, milligrams: int | None, stable: bool, status: str, at) -> dict:
    return {
        "type": "weight",
        "milligrams": milligrams,
        "stable": stable,
        "status": status,
        "device": device,
        "at": at,
    }
