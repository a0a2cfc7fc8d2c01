"""A bench: one worker per configured device, a watchdog, and one event stream.

    bench = Bench(scales=[ScaleSpec(...)], scanners=[...], cameras=[...])
    bench.start()
    async for event in bench.events():   # WeightReading, StableWeight, ScanReading,
        ...                              # Frame, DeviceState (current states first)
    frame = await bench.snapshot("top-camera")
    bench.stop()

The watchdog looks at every worker once per `watchdog_s`: a worker whose thread ended,
whose loop has not turned for `restart_after_s` (hung in a driver call) or that has been
stalled that long is replaced by a fresh one (the port is closed and reopened).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
import time
from collections.abc import AsyncIterator, Callable, Sequence
from typing import Any

from drivers.cameras.source import CameraSpec
from drivers.cameras.worker import CameraWorker
from drivers.connection import DeviceWorker, Now, Opener, utc_now
from drivers.errors import DriverError
from drivers.link import open_port
from drivers.readings import (
    DeviceState,
    Event,
    Frame,
    LinkState,
    ScanReading,
    WeightReading,
)
from drivers.scales.worker import ScaleSpec, ScaleWorker
from drivers.scanners.hid import read_events
from drivers.scanners.worker import HidScannerWorker, ScannerSpec, SerialScannerWorker

log = logging.getLogger(__name__)
Listener = Callable[[Event], None]


class Bench:
    def __init__(
        self,
        scales: Sequence[ScaleSpec] = (),
        scanners: Sequence[ScannerSpec] = (),
        cameras: Sequence[CameraSpec] = (),
        *,
        now: Now = utc_now,
        opener: Opener = open_port,
        hid_events=read_events,
        watchdog_s: float = 1.0,
        queue_size: int = 1000,
    ) -> None:
        self.now, self.watchdog_s, self.queue_size = now, watchdog_s, queue_size
        self._factories: dict[str, tuple[Callable[[], DeviceWorker], float]] = {}
        for spec in scales:
            self._add(spec.name, lambda s=spec: ScaleWorker(s, self._publish, now, opener),
                      spec.restart_after_s)  # fmt: skip
        for spec in scanners:
            if spec.interface == "hid":
                make = lambda s=spec: HidScannerWorker(s, self._publish, now, hid_events)  # noqa: E731
            else:
                make = lambda s=spec: SerialScannerWorker(s, self._publish, now, opener)  # noqa: E731
            self._add(spec.name, make, 30.0)
        for spec in cameras:
            self._add(spec.name, lambda s=spec: CameraWorker(s, self._publish, now),
                      spec.restart_after_s)  # fmt: skip
        self.workers: dict[str, DeviceWorker] = {n: f() for n, (f, _) in self._factories.items()}
        self.last: dict[str, Event] = {}
        self._listeners: list[Listener] = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._watchdog: threading.Thread | None = None

    def _add(self, name: str, factory: Callable[[], DeviceWorker], restart_after: float) -> None:
        if name in self._factories:
            raise DriverError(f"two devices are named {name!r}")
        self._factories[name] = (factory, restart_after)

    # lifecycle ------------------------------------------------------------------------
    def start(self) -> Bench:
        for worker in self.workers.values():
            worker.start()
        self._stop.clear()
        self._watchdog = threading.Thread(target=self._watch, name="bench-watchdog", daemon=True)
        self._watchdog.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        for worker in self.workers.values():
            worker.stop()
        if self._watchdog:
            self._watchdog.join(2)

    def __enter__(self) -> Bench:
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    # events ---------------------------------------------------------------------------
    def listen(self, listener: Listener) -> Callable[[], None]:
        """Call `listener(event)` (from device threads) for every event; returns unsubscribe."""
        with self._lock:
            self._listeners.append(listener)

        def unsubscribe() -> None:
            with self._lock, contextlib.suppress(ValueError):
                self._listeners.remove(listener)

        return unsubscribe

    def _publish(self, event: Event) -> None:
        if isinstance(event, (WeightReading, ScanReading, Frame)):
            self.last[event.device] = event
        with self._lock:
            listeners = list(self._listeners)
        for listener in listeners:
            try:
                listener(event)
            except Exception:
                log.exception("bench listener failed")

    async def events(self) -> AsyncIterator[Event]:
        """Every event, in order, on the caller's event loop; current states come first.
        A consumer that falls `queue_size` events behind loses the oldest ones."""
        loop = asyncio.get_running_loop()
        queue: asyncio.Queue[Event] = asyncio.Queue(self.queue_size)

        def put(event: Event) -> None:
            if queue.full():
                queue.get_nowait()
            queue.put_nowait(event)

        def deliver(event: Event) -> None:
            with contextlib.suppress(RuntimeError):  # loop closed
                loop.call_soon_threadsafe(put, event)

        unsubscribe = self.listen(deliver)
        try:
            for state in self.states():
                yield state
            while True:
                yield await queue.get()
        finally:
            unsubscribe()

    def states(self) -> list[DeviceState]:
        return [w.state_event() for w in self.workers.values()]

    async def snapshot(self, camera: str, timeout: float = 2.0) -> Frame:
        worker = self.workers.get(camera)
        if not isinstance(worker, CameraWorker):
            raise DriverError(f"no camera named {camera!r}")
        return await asyncio.to_thread(worker.snapshot, timeout)

    def request(self, scale: str, command: str) -> None:
        """Queue 'zero' or 'tare' for a scale; sent when no other command is outstanding."""
        worker = self.workers.get(scale)
        if not isinstance(worker, ScaleWorker):
            raise DriverError(f"no scale named {scale!r}")
        data = getattr(worker.protocol, command, None)
        if command not in ("zero", "tare") or data is None:
            raise DriverError(f"{worker.protocol.title} cannot {command} from here")
        worker.requests.put(data)

    # watchdog -------------------------------------------------------------------------
    def _watch(self) -> None:
        while not self._stop.wait(self.watchdog_s):
            for name, worker in list(self.workers.items()):
                why = self._needs_restart(worker, self._factories[name][1])
                if why:
                    self._restart(name, worker, why)

    @staticmethod
    def _needs_restart(worker: DeviceWorker, limit: float) -> str | None:
        now = time.monotonic()
        if not worker.alive:
            return "its worker had ended"
        if now - worker.heartbeat > limit:
            return f"its worker was stuck for more than {limit:g} s"
        if worker.state == LinkState.STALLED and now - worker.state_since > limit:
            return f"stalled for more than {limit:g} s ({worker.reason})"
        return None

    def _restart(self, name: str, old: DeviceWorker, why: str) -> None:
        log.warning("device %s restarted by the watchdog: %s", name, why)
        old.stop(wait=1.0)  # a worker hung in a driver call is abandoned (daemon thread)
        fresh = self._factories[name][0]()
        fresh.reconnects = old.reconnects + 1
        fresh.set_state(LinkState.CONNECTING, f"restarted by the watchdog: {why}")
        self.workers[name] = fresh
        fresh.start()
