"""The benches this server process runs: one BenchRunner per station that opens a
bench screen, started on first use and stopped with the server. Only this PC's own
station (the station_id setting) gets the devices of the devices file; any other
station's screen works by keyboard and hand scanner input alone."""

from __future__ import annotations

import logging
import threading
from contextlib import asynccontextmanager

from fastapi import FastAPI

from station.benchrun import BenchRunner
from station.benchrun.health import DeviceLog
from station.cli.inspection import policy_of
from station.devices import build_bench, load_devices
from station.fleet.models import Station
from station.identifiers import ScanRules
from station.matching.bench import vision_for
from station.runtime import Runtime
from station.workflow.bench import BenchShell

log = logging.getLogger(__name__)


class Benches:
    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime
        self._runners: dict[str, BenchRunner] = {}
        self._lock = threading.Lock()

    def runner(self, station_id: str) -> BenchRunner:
        with self._lock:
            if station_id not in self._runners:
                self._runners[station_id] = self._start(station_id)
            return self._runners[station_id]

    def _start(self, station_id: str) -> BenchRunner:
        settings = self.runtime.settings
        with self.runtime.db.session() as session:
            station = session.get(Station, station_id)
            warehouse = station.warehouse_id if station else settings.warehouse_id
        policy = policy_of(self.runtime)
        shell = BenchShell(
            self.runtime.db,
            self.runtime.evidence,
            bench_id=station_id,
            station_id=station_id,
            warehouse_id=warehouse,
            policy=policy,
            vision=vision_for(self.runtime),
            sampling=settings.sampling,
            scan_rules=ScanRules.from_settings(settings),
        )
        devices, device_log = None, None
        if station_id == settings.station_id:
            entries = load_devices(settings.devices.file)
            if entries:
                devices = build_bench(entries)
                paths = {e.name: (e.protocol or "", e.path) for e in entries}
                device_log = DeviceLog(self.runtime.db, station_id, paths)
        log.info("bench %s running (%s)", station_id, "with devices" if devices else "screen only")
        return BenchRunner(
            shell, devices=devices, device_log=device_log, empty_below_mg=policy.empty_below_mg
        ).start()

    def stop(self) -> None:
        with self._lock:
            for runner in self._runners.values():
                runner.stop()
            self._runners.clear()


def install(app: FastAPI, runtime: Runtime) -> None:
    """Attach the benches to the app and stop them when the server stops, around
    whatever lifespan the app already has."""
    app.state.benches = Benches(runtime)
    inner = app.router.lifespan_context

    @asynccontextmanager
    async def lifespan(app_: FastAPI):
        async with inner(app_) as state:
            try:
                yield state
            finally:
                app_.state.benches.stop()

    app.router.lifespan_context = lifespan
