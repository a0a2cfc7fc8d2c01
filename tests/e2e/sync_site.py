"""Real processes for the sync tests: central (`serve --role central`, PostgreSQL in a
temp database), a station (`serve --role station`, SQLite in a temp data dir) and
`autopilot` runs writing inspections into the station's database."""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from sqlalchemy import func, select

from station.access.keys import create_key
from station.db.engine import Database
from station.evidence import EvidenceStore
from station.inspection.models import PhotoEvidence, ResultEvent
from station.sample.load import load_sample
from station.sync.models import OutboxRecord, ReceivedRecord
from tests.support import postgres, sample_db
from tests.support.ports import free_port

COMMAND = str(Path(sys.executable).parent / "inbound-station")
STATION = "HZ1-B01"


def clean_env(**values: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("INBOUND_STATION_")}
    # What travels is tested here, not the visual checks (seconds per unit on two cores).
    env["INBOUND_STATION_MATCHING__ENABLED"] = "false"
    env.update({f"INBOUND_STATION_{k.upper()}": str(v) for k, v in values.items()})
    return env


def wait_until(check, timeout: float, what: str, interval: float = 0.2):
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up after {timeout:.0f} s waiting for {what}")
        time.sleep(interval)


@dataclass(frozen=True)
class Templates:
    station: Path  # SQLite file with the sample data; its evidence folder beside it
    central: str  # PostgreSQL database with the sample data
    central_evidence: Path


def build_templates(folder: Path, pg_template: str) -> Templates:
    station = sample_db.sqlite_template(folder)
    central = postgres.create_database(template=pg_template, prefix="inbound_synctpl")
    db = Database(postgres.database_url(central))
    load_sample(db, EvidenceStore(folder / "central-evidence"), sample_db.IMAGES)
    db.dispose()
    return Templates(station, central, folder / "central-evidence")


@dataclass
class SyncSite:
    folder: Path
    templates: Templates
    station_env_extra: dict[str, str] = field(default_factory=dict)
    # A central database the caller made (holding the sample data) and keeps: e.g. on a
    # PostgreSQL server of the test's own; by default a copy of the template here.
    central_database: str | None = None
    central_port: int = field(default_factory=free_port)
    station_port: int = field(default_factory=free_port)
    procs: dict[str, subprocess.Popen] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.central_dir, self.station_dir = self.folder / "central", self.folder / "station"
        shutil.copytree(self.templates.central_evidence, self.central_dir / "evidence")
        self.station_dir.mkdir(parents=True)
        shutil.copy(self.templates.station, self.station_dir / "station.db")
        shutil.copytree(self.templates.station.parent / "evidence", self.station_dir / "evidence")
        self.pg_name = None
        self.central_db_url = self.central_database
        if self.central_db_url is None:
            self.pg_name = postgres.create_database(
                template=self.templates.central, prefix="inbound_sync"
            )
            self.central_db_url = postgres.database_url(self.pg_name)
        self.central = Database(self.central_db_url)
        self.station = Database(f"sqlite:///{self.station_dir / 'station.db'}")
        with self.central.transaction() as session:
            self.key = create_key(
                session, name="e2e", scopes=["station:sync"], station_id=STATION
            ).token
        with self.central.session() as session:
            self.baseline = session.scalar(select(func.count()).select_from(ResultEvent))

    # --- processes -------------------------------------------------------------
    @property
    def central_url(self) -> str:
        return f"http://127.0.0.1:{self.central_port}"

    def _start(self, name: str, args: list[str], env: dict[str, str]) -> subprocess.Popen:
        log = (self.folder / f"{name}.log").open("ab")
        proc = subprocess.Popen([COMMAND, *args], env=env, stdout=log, stderr=subprocess.STDOUT,
                                start_new_session=True)  # fmt: skip
        self.procs[name] = proc
        return proc

    def start_central(self) -> None:
        env = clean_env(data_dir=self.central_dir, api__rate_per_second=100000,
                        api__rate_burst=100000, webhooks__run_in_server="false")  # fmt: skip
        self._start("central", ["serve", "--role", "central", "--database-url", self.central_db_url,
                                "--port", str(self.central_port)], env)  # fmt: skip
        self._wait_http(self.central_url, "central")

    def station_env(self, **more: str) -> dict[str, str]:
        values = {"data_dir": self.station_dir, "role": "station", "station_id": STATION,
                  "sync__central_url": self.central_url, "sync__station_key": self.key,
                  "sync__first_retry_seconds": 0.2, "sync__max_retry_seconds": 2,
                  "sync__poll_seconds": 0.3, "sync__timeout_seconds": 10,
                  "sync__chunk_bytes": 16384, "sync__batch": 25,
                  "sync__pull_seconds": 0}  # fmt: skip
        return clean_env(**{**values, **self.station_env_extra, **more})

    def start_station(self, *, wait: bool = True) -> None:
        self._start("station", ["serve", "--port", str(self.station_port)], self.station_env())
        if wait:
            self.wait_station()

    def wait_station(self) -> None:
        self._wait_http(f"http://127.0.0.1:{self.station_port}", "station")

    def autopilot(self, count: int, seed: int) -> subprocess.Popen:
        args = ["autopilot", "--count", str(count), "--devices", "direct", "--seed", str(seed)]
        return self._start("autopilot", args, self.station_env())

    def kill(self, name: str, sig: int = signal.SIGKILL) -> None:
        proc = self.procs.pop(name, None)
        if proc is not None and proc.poll() is None:
            proc.send_signal(sig)
        if proc is not None:
            proc.wait(timeout=60)  # reaped: its pid no longer holds the sync lease

    def _wait_http(self, url: str, name: str) -> None:
        def up() -> bool:
            if self.procs[name].poll() is not None:
                raise AssertionError(f"{name} exited: see {self.folder / (name + '.log')}")
            try:
                return httpx.get(url + "/health", timeout=2).status_code == 200
            except httpx.HTTPError:
                return False

        wait_until(up, 120, f"{name} to answer on {url}")

    def close(self) -> None:
        for name in list(self.procs):
            self.kill(name)
        self.central.dispose()
        self.station.dispose()
        if self.pg_name is not None:
            postgres.drop_database(self.pg_name)

    # --- what the tests check --------------------------------------------------
    def station_events(self) -> set[uuid.UUID]:
        with self.station.session() as session:
            return set(session.scalars(select(ResultEvent.id)))

    def pending(self) -> int:
        with self.station.session() as session:
            return session.scalar(
                select(func.count()).select_from(OutboxRecord).where(OutboxRecord.sent_at.is_(None))
            )

    def outbox_rows(self) -> int:
        with self.station.session() as session:
            return session.scalar(select(func.count()).select_from(OutboxRecord))

    def wait_drained(self, timeout: float = 240) -> None:
        wait_until(lambda: self.pending() == 0, timeout, "the station's outbox to drain", 0.5)

    def integrity(self) -> str:
        with sqlite3.connect(self.station_dir / "station.db") as conn:
            return conn.execute("PRAGMA integrity_check").fetchone()[0]

    def check_nothing_lost_or_doubled(self, *, drained: bool) -> int:
        """Every station event has one outbox row; central holds each at most once (all of
        them once drained), with its photos; central invented nothing. Central is read
        first, then the station in one snapshot, as the autopilot may be writing."""
        with self.central.session() as session:
            session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
            mine = ReceivedRecord.station_id == STATION
            received = list(session.scalars(select(ReceivedRecord.record_id).where(mine)))
            total = session.scalar(select(func.count()).select_from(ResultEvent))
            central_photos = set(session.scalars(select(PhotoEvidence.sha256)))
        with self.station.session() as session, session.begin():
            station_ids = set(session.scalars(select(ResultEvent.id)))
            outbox = set(session.scalars(select(OutboxRecord.record_id)))
            # The photos of results (an inspection killed half-way has none to send yet).
            photos = {h for row in session.scalars(select(OutboxRecord.photos)) for h in row}
        assert outbox == station_ids, "a committed result event has no outbox row, or vice versa"
        assert len(received) == len(set(received)), "a record was stored twice"
        assert set(received) <= station_ids, "central holds a record the station never made"
        assert total - self.baseline == len(received), "central's feed has events not received"
        if drained:
            assert set(received) == station_ids, "a station record never reached central"
            assert photos <= central_photos
            central_store = EvidenceStore(self.central_dir / "evidence")
            assert all(central_store.has(h) for h in photos), "a photo file is missing at central"
        return len(station_ids)

    def check_outbox_arrived_once(self) -> int:
        """Every outbox record (made by the autopilot or cloned) is at central once,
        with its photo files; central's feed grew by exactly that many events."""
        with self.station.session() as session:
            records = set(session.scalars(select(OutboxRecord.record_id)))
            photos = {h for row in session.scalars(select(OutboxRecord.photos)) for h in row}
        with self.central.session() as session:
            mine = ReceivedRecord.station_id == STATION
            received = list(session.scalars(select(ReceivedRecord.record_id).where(mine)))
            total = session.scalar(select(func.count()).select_from(ResultEvent))
        assert len(received) == len(set(received)) and set(received) == records
        assert total - self.baseline == len(records)
        central_store = EvidenceStore(self.central_dir / "evidence")
        assert all(central_store.has(h) for h in photos), "a photo file is missing at central"
        return len(records)
