"""How fast central can publish result events on PostgreSQL (sizes docs/scaling.md).

  .venv/bin/python bench/feed_publish.py [--seconds 20] [--threads 8]

Every result event takes its feed position under one transaction-scoped lock held
until COMMIT (station/inspection/events.py), so all publishers on a server queue
behind each other. Measured in the same run: transactions of one event each (a
station pushing one result at a time) and transactions of 100 events (a batched
push, the baseline that shows what the lock costs), from --threads writers.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from station.db import migrate  # noqa: E402
from station.db.engine import Database  # noqa: E402
from station.inspection.events import EventKind, publish  # noqa: E402
from tests.support import postgres  # noqa: E402


def publish_for(db: Database, seconds: float, threads: int, per_tx: int) -> tuple[float, float]:
    """Events/s and p95 ms of one transaction, from `threads` writers for `seconds`."""
    latencies: list[float] = []
    lock = threading.Lock()
    stop = time.perf_counter() + seconds

    def writer() -> None:
        while time.perf_counter() < stop:
            begin = time.perf_counter()
            with db.transaction() as session:
                for _ in range(per_tx):
                    publish(
                        session,
                        kind=EventKind.INSPECTION_COMPLETED,
                        subject_id=uuid.uuid4(),
                        payload={"verdict": "pass"},
                        warehouse_id="WH1",
                        station_id="ST1",
                    )
            with lock:
                latencies.append(time.perf_counter() - begin)

    workers = [threading.Thread(target=writer) for _ in range(threads)]
    begin = time.perf_counter()
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    elapsed = time.perf_counter() - begin
    p95 = statistics.quantiles(latencies, n=20)[18] * 1000
    return len(latencies) * per_tx / elapsed, p95


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--threads", type=int, default=8)
    args = parser.parse_args()
    name = postgres.create_database(prefix="inbound_bench")
    url = postgres.database_url(name)
    try:
        migrate.upgrade(url)
        db = Database(url)
        print(f"machine: {os.cpu_count()} cores (shared); PostgreSQL {postgres.SERVER}")
        print(f"{args.threads} writers, {args.seconds:g} s each      events/s   p95 transaction")
        for per_tx, label in (
            (100, "100 events per transaction (baseline)"),
            (1, "1 event per transaction"),
        ):
            rate, p95 = publish_for(db, args.seconds, args.threads, per_tx)
            print(f"{label:<38} {rate:>8,.0f}   {p95:>8.1f} ms")
        db.dispose()
    finally:
        postgres.drop_database(name)


if __name__ == "__main__":
    main()
