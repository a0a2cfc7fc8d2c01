"""Operations figures on a station-sized SQLite database (figures with a baseline
measured in the same run):

    .venv/bin/python bench/operations.py [--inspections 200000] [--photos 1000]

1. `backup` of the database (online backup API + integrity check of the copy), MB/s,
   beside a plain file copy of the same file (the baseline);
2. a writer committing audit entries: commits/s while backups run, beside the same
   writer alone (does a backup hold the bench up?);
3. evidence mirror: the first copy of N photos, then the next backup with nothing new
   (the incremental cost), beside a plain `shutil.copytree` of the same folder;
4. one /metrics collection (every collector), beside /health's schema look-up and
   the verdict counts over all time that /metrics does not make.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import threading
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import func, insert, select  # noqa: E402

from station.audit.models import record  # noqa: E402
from station.clock import utcnow  # noqa: E402
from station.db import migrate  # noqa: E402
from station.db.engine import Database  # noqa: E402
from station.evidence import EvidenceStore  # noqa: E402
from station.ids import uuid7  # noqa: E402
from station.inspection.models import Inspection, InspectionStatus, Verdict  # noqa: E402
from station.operations import metrics  # noqa: E402
from station.operations.backup import back_up, mirror_evidence  # noqa: E402
from station.runtime import Runtime  # noqa: E402
from station.settings import load_settings  # noqa: E402


def fill(db: Database, count: int) -> None:
    verdicts = [Verdict.PASS] * 8 + [Verdict.FAIL, Verdict.REVIEW]
    now = utcnow()
    for start in range(0, count, 10_000):
        rows = [
            {
                "id": uuid7(),
                "status": InspectionStatus.COMPLETED,
                "verdict": verdicts[n % 10],
                "final_verdict": verdicts[n % 10],
                "gtin": "04006381333931",
                "serial": f"SN{n:09d}",
                "started_at": now - timedelta(seconds=30 * (count - n) + 60),
                "completed_at": now - timedelta(seconds=30 * (count - n)),
            }
            for n in range(start, min(start + 10_000, count))
        ]
        with db.transaction() as session:
            session.execute(insert(Inspection), rows)


def _copy_synced(source: Path, target: Path) -> None:
    shutil.copyfile(source, target)
    with target.open("rb+") as fh:
        os.fsync(fh.fileno())


def _all_time_verdicts(db: Database) -> None:
    query = select(Inspection.verdict, Inspection.final_verdict, func.count()).group_by(
        Inspection.verdict, Inspection.final_verdict
    )
    with db.session() as session:
        session.execute(query).all()


def timed(action) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def writer_rate(db: Database, seconds: float, during=None) -> float:
    """Commits/s of a writer (10 audit entries each) over `seconds`, optionally while
    `during` runs in another thread."""
    stop, commits = threading.Event(), [0]

    def write() -> None:
        while not stop.is_set():
            with db.transaction() as session:
                for n in range(10):
                    record(session, actor="bench", action="w", subject_type="t", subject_id=str(n))
            commits[0] += 1

    thread = threading.Thread(target=write)
    started = time.perf_counter()
    thread.start()
    if during is not None:
        during()
    remaining = seconds - (time.perf_counter() - started)
    if remaining > 0:
        time.sleep(remaining)
    stop.set()
    thread.join()
    return commits[0] / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--inspections", type=int, default=200_000)
    parser.add_argument("--photos", type=int, default=1000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        url = f"sqlite:///{folder / 'station.db'}"
        migrate.upgrade(url)
        db = Database(url)
        print(f"filling {args.inspections:,} inspections ...", flush=True)
        fill(db, args.inspections)
        size_mb = (folder / "station.db").stat().st_size / 2**20
        print(f"database: {size_mb:.0f} MB")

        copy = timed(lambda: _copy_synced(folder / "station.db", folder / "plain.db"))
        backup = timed(lambda: back_up(url, folder / "b1.db", None, None))
        print(f"1. backup + integrity check: {backup:.2f} s = {size_mb / backup:.0f} MB/s;"
              f" baseline file copy + fsync {copy:.2f} s = {size_mb / copy:.0f} MB/s")  # fmt: skip

        alone = writer_rate(db, 5.0)
        counter = iter(range(100))
        during = writer_rate(
            db, 5.0, lambda: back_up(url, folder / f"w{next(counter)}.db", None, None)
        )
        print(f"2. writer: {during:.0f} commits/s during a backup;"
              f" baseline {alone:.0f} commits/s alone")  # fmt: skip

        store = EvidenceStore(folder / "evidence")
        for n in range(args.photos):
            store.put(os.urandom(150_000) + n.to_bytes(4, "big"))
        photos_mb = args.photos * 150_000 / 2**20
        first = timed(lambda: mirror_evidence(store.root, folder / "mirror"))
        again = timed(lambda: mirror_evidence(store.root, folder / "mirror"))
        tree = timed(lambda: shutil.copytree(store.root, folder / "tree"))
        print(f"3. evidence mirror of {args.photos} photos ({photos_mb:.0f} MB): first "
              f"{first:.2f} s, next backup with nothing new {again:.2f} s;"
              f" baseline shutil.copytree {tree:.2f} s")  # fmt: skip

        settings = load_settings(data_dir=str(folder), database_url=url)
        runtime = Runtime(settings=settings, db=db, evidence=store)
        metrics.collect(runtime)  # warm the caches, as a running server would be
        scrape = min(timed(lambda: metrics.collect(runtime)) for _ in range(3))
        health = min(timed(lambda: migrate.schema_status(db.engine)) for _ in range(3))
        total = min(timed(lambda: _all_time_verdicts(db)) for _ in range(3))
        print(f"4. /metrics collection: {scrape * 1000:.0f} ms on {args.inspections:,} "
              f"inspections; baselines: /health schema look-up {health * 1000:.0f} ms, "
              f"verdict counts over all time (not used) {total * 1000:.0f} ms")  # fmt: skip
        db.dispose()


if __name__ == "__main__":
    main()
