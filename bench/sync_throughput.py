"""Station -> central sync throughput, and catch-up after eight hours offline.

  .venv/bin/python bench/sync_throughput.py [--results 2000] [--photos 3] [--photo-kb 60]
                                            [--faulty-results 300] [--each-fault]

A station's outbox is filled with RESULTS results (real autopilot records cloned
with fresh ids) and RESULTS x PHOTOS photo files of PHOTO_KB each: what a bench
piles up in about eight hours offline. Then, each time into a fresh central
database (PostgreSQL, sample data):

1. baseline: the same records and photos stored in process (ingest_batch and the
   photo receiver, no HTTP), in batches of the worker's size;
2. catch-up: the sync worker pushes everything to a real central server
   (`inbound-station serve --role central`) with no faults: the time until the
   outbox is empty is the catch-up time (goal: under 10 minutes on 2 cores);
3. faults: FAULTY_RESULTS results through the fault proxy (latency 5 +- 10 ms,
   3 % dropped connections, 1 % resets, 0.3 % half-open, 2 % cut-off answers);
   with --each-fault, each of those alone too.

Figures: results/s and photo MB/s for each, and the ratio to the baseline.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx
from sqlalchemy import update

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pydantic import SecretStr  # noqa: E402

from station.access.keys import create_key  # noqa: E402
from station.clock import utcnow  # noqa: E402
from station.db import migrate  # noqa: E402
from station.db.engine import Database  # noqa: E402
from station.evidence import EvidenceStore  # noqa: E402
from station.sample.load import load_sample  # noqa: E402
from station.settings import load_settings  # noqa: E402
from station.sync.ingest import ingest_batch  # noqa: E402
from station.sync.models import OutboxRecord  # noqa: E402
from station.sync.photos import PhotoReceiver  # noqa: E402
from station.sync.worker import SyncWorker, wire  # noqa: E402
from station.workflow.autopilot import Autopilot  # noqa: E402
from tests.e2e.sync_site import clean_env, free_port, wait_until  # noqa: E402
from tests.support import postgres, sample_db  # noqa: E402
from tests.support.fault_proxy import FaultProxy, Faults  # noqa: E402
from tests.support.sync_records import fill_outbox  # noqa: E402

STATION = "HZ1-B01"
BATCH = 100
FAULTS = Faults(latency=0.005, jitter=0.01, drop=0.03, reset=0.01, half_open=0.003, truncate=0.02)


def build_station(folder: Path, results: int, photos: int, photo_kb: int) -> tuple[Database, int]:
    url = sample_db.sqlite_copy(sample_db.sqlite_template(folder), folder / "station.db")
    db = Database(url, sync_outbox=True)
    evidence = EvidenceStore(folder / "evidence")
    Autopilot(db, evidence, seed=1, devices="direct").run(1, ["pass"])
    with db.session() as session:
        made = session.query(OutboxRecord.seq).count()
    written = fill_outbox(db, evidence, results, photo_kb * 1000, photos)
    with db.transaction() as session:  # keep only the clones: every result has PHOTOS photos
        session.query(OutboxRecord).filter(OutboxRecord.seq <= made).delete()
    return db, written


def central_template(folder: Path) -> str:
    name = postgres.create_database(prefix="inbound_benchtpl")
    migrate.upgrade(postgres.database_url(name))
    db = Database(postgres.database_url(name))
    load_sample(db, EvidenceStore(folder), sample_db.IMAGES)
    db.dispose()
    return name


def fresh_central(template: str) -> tuple[str, Database, str]:
    name = postgres.create_database(template=template, prefix="inbound_bench")
    db = Database(postgres.database_url(name))
    with db.transaction() as session:
        token = create_key(session, name="bench", scopes=["station:sync"], station_id=STATION).token
    return name, db, token


def pending_records(station: Database, limit: int | None = None) -> list[dict]:
    with station.transaction() as session:
        session.execute(update(OutboxRecord).values(sent_at=None))
        query = session.query(OutboxRecord).order_by(OutboxRecord.seq)
        rows = query.limit(limit).all() if limit else query.all()
        return [wire(r) for r in rows]


def baseline(station: Database, evidence: EvidenceStore, template: str, folder: Path) -> float:
    name, central, _ = fresh_central(template)
    receiver = PhotoReceiver(EvidenceStore(folder / "baseline-evidence"))
    records = pending_records(station)
    started = time.perf_counter()
    for start in range(0, len(records), BATCH):
        batch = records[start : start + BATCH]
        for sha in {h for r in batch for h in r["photos"]}:
            data = evidence.read(sha)
            receiver.receive(sha, 0, len(data), data)
        with central.transaction() as session:
            answers = ingest_batch(session, STATION, batch, receiver.store)
        assert all(a.status == "stored" for a in answers), answers[-1]
    elapsed = time.perf_counter() - started
    central.dispose()
    postgres.drop_database(name)
    return elapsed


def through_http(station, evidence, template, folder, records: int | None, faults) -> float:
    name, central, token = fresh_central(template)
    central_dir = folder / f"central-{name}"
    port = free_port()
    env = clean_env(data_dir=central_dir, api__rate_per_second=100000, api__rate_burst=100000,
                    webhooks__run_in_server="false")  # fmt: skip
    url = postgres.database_url(name)
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "inbound-station"), "serve", "--role", "central",
         "--database-url", url, "--port", str(port)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    try:
        wait_until(lambda: _up(port), 120, "central to start")
        pending_records(station)  # all pending again
        if records:
            with station.transaction() as session:  # only the first `records` are pending
                cut = session.query(OutboxRecord.seq).order_by(OutboxRecord.seq).offset(records)
                first_beyond = cut.limit(1).scalar()
                if first_beyond:
                    session.execute(update(OutboxRecord).where(OutboxRecord.seq >= first_beyond)
                                    .values(sent_at=utcnow()))  # fmt: skip
        return _push(station, evidence, folder, port, token, faults)
    finally:
        server.terminate()
        server.wait(timeout=30)
        central.dispose()
        postgres.drop_database(name)


def _up(port: int) -> bool:
    try:
        return httpx.get(f"http://127.0.0.1:{port}/health", timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


def _push(station, evidence, folder, port, token, faults) -> float:
    settings = load_settings(role="station", station_id=STATION, data_dir=str(folder / "st"))
    settings.sync.batch, settings.sync.pull_seconds = BATCH, 0
    settings.sync.first_retry_seconds, settings.sync.max_retry_seconds = 0.2, 2
    settings.sync.station_key = SecretStr(token)
    proxy = FaultProxy(upstream=("127.0.0.1", port), faults=faults, seed=3) if faults else None
    if proxy:
        proxy.start()
    settings.sync.central_url = proxy.url if proxy else f"http://127.0.0.1:{port}"
    worker = SyncWorker(station, evidence, settings)
    started = time.perf_counter()
    stop = threading.Event()
    thread = threading.Thread(target=worker.run, args=(stop,), daemon=True)
    thread.start()
    wait_until(lambda: _drained(station), 3600, "the outbox to drain", 0.2)
    elapsed = time.perf_counter() - started
    stop.set()
    thread.join(timeout=30)
    if proxy:
        proxy.stop()
    return elapsed


def _drained(station: Database) -> bool:
    with station.session() as session:
        return session.query(OutboxRecord).filter(OutboxRecord.sent_at.is_(None)).count() == 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--results", type=int, default=2000)
    parser.add_argument("--photos", type=int, default=3, help="photos per result")
    parser.add_argument("--photo-kb", type=int, default=60)
    parser.add_argument("--faulty-results", type=int, default=300)
    parser.add_argument(
        "--each-fault", action="store_true", help="also each fault alone: which costs the time"
    )
    args = parser.parse_args()
    postgres.require_postgres = lambda: None  # a bench reports, it does not skip
    folder = Path(tempfile.mkdtemp(prefix="sync-bench-"))
    template = None
    try:
        station, written = build_station(
            folder / "station", args.results, args.photos, args.photo_kb
        )
        evidence = EvidenceStore(folder / "station" / "evidence")
        template = central_template(folder / "central-sample")
        mb = written / 1e6
        print(f"outbox: {args.results} results, {args.results * args.photos} photos, {mb:.0f} MB")
        base = baseline(station, evidence, template, folder)
        _line("baseline: in-process ingest (no HTTP)", args.results, mb, base, base)
        http = through_http(station, evidence, template, folder, None, None)
        _line("catch-up over HTTP, no faults", args.results, mb, http, base)
        print(f"  catch-up after eight hours offline: {http / 60:.1f} min (goal < 10 min)")
        n = args.faulty_results
        faulty = through_http(station, evidence, template, folder, n, FAULTS)
        share = n / args.results
        _line(f"through the fault proxy ({n} results)", n, mb * share, faulty, base * share)
        if args.each_fault:
            for name, alone in _each_fault().items():
                took = through_http(station, evidence, template, folder, n, alone)
                _line(f"  {name} alone ({n} results)", n, mb * share, took, base * share)
    finally:
        if template:
            postgres.drop_database(template)
        shutil.rmtree(folder, ignore_errors=True)


def _each_fault() -> dict[str, Faults]:
    """The fault mix taken apart: which fault costs the time."""
    return {
        "latency": Faults(latency=FAULTS.latency, jitter=FAULTS.jitter),
        "drops and resets": Faults(drop=FAULTS.drop, reset=FAULTS.reset),
        "half-open": Faults(half_open=FAULTS.half_open),
        "cut-off answers": Faults(truncate=FAULTS.truncate),
    }


def _line(label: str, results: int, mb: float, seconds: float, base_seconds: float) -> None:
    speed = f"{results / seconds:7.1f} results/s  {mb / seconds:6.2f} photo MB/s"
    print(f"{label:<44} {seconds:7.1f} s  {speed}  ({base_seconds / seconds:.2f} x baseline)")


if __name__ == "__main__":
    main()
