"""Marketplace API benchmark on PostgreSQL (DESIGN.md §9: figures with a baseline
measured in the same run).

  .venv/bin/python bench/api_feed_ingest.py [--events 1000000] [--listings 100000]

1. Loads N inspections and their result events straight into PostgreSQL
   (generate_series, a few seconds), then through a real `uvicorn` server:
   - reads the whole feed in pages of 500 (results/s), one client;
   - the time of one feed page at the start, middle and end (keyset, via the API)
     beside OFFSET pagination of the same query (directly in SQL, the baseline);
2. bulk listing import: POST /v1/bulk/listings with M listings (rows/s), beside
   the same rows through the station import (station.reference.batch) in process;
3. write ingest with two API worker processes: PUT /v1/listings/{id} from 8
   client threads (results/s, p95), beside the same load on one worker process.
   (The station result-ingest endpoint is issue 9; reference PUTs stand in.)
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import httpx
import psycopg

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from station.access.keys import create_key  # noqa: E402
from station.db import migrate  # noqa: E402
from station.db.engine import Database  # noqa: E402
from tests.support import postgres  # noqa: E402

REFERENCE_SQL = """
INSERT INTO warehouses (id, name, timezone, created_at, updated_at)
  VALUES ('WH1', 'Hub one', 'UTC', now(), now());
INSERT INTO stations (id, warehouse_id, name, created_at, updated_at)
  VALUES ('ST1', 'WH1', 'Bench 1', now(), now());
INSERT INTO categories (id, name, created_at, updated_at) VALUES ('TEA', 'Tea', now(), now());
INSERT INTO merchants (id, kind, enterprise_id, legal_name, status, country, service_indicators,
  created_at, updated_at)
  VALUES ('M1', 'individual', NULL, 'Bench merchant', 'active', 'CN', '{}', now(), now());
INSERT INTO brands (id, name, owner_name, nice_classes, status, created_at, updated_at)
  VALUES ('B1', 'Lumora', 'Lumora Foods', '[30]', 'registered', now(), now());
INSERT INTO listings (id, merchant_id, brand_id, category_id, title, attributes, unit_weight_mg,
  weight_tolerance_mg, requires_serial, requires_expiry, status, created_at, updated_at)
  VALUES ('L1', 'M1', 'B1', 'TEA', 'Tea', '{}', 168000, 5000, false, false, 'active', now(), now());
"""
RESULTS_SQL = """
INSERT INTO inspections (id, listing_id, warehouse_id, station_id, unit_no, status, verdict,
  final_verdict, started_at, completed_at)
SELECT md5(g::text)::uuid, 'L1', 'WH1', 'ST1', g, 'completed',
  CASE WHEN g %% 17 = 0 THEN 'fail' ELSE 'pass' END,
  CASE WHEN g %% 17 = 0 THEN 'fail' ELSE 'pass' END,
  timestamptz '2026-01-01' + g * interval '1 second' - interval '90 seconds',
  timestamptz '2026-01-01' + g * interval '1 second'
FROM generate_series(1, %(n)s) g;
INSERT INTO result_events (id, position, kind, subject_id, warehouse_id, station_id, occurred_at,
  payload)
SELECT md5('e' || g::text)::uuid, g, 'inspection.completed', md5(g::text)::uuid, 'WH1', 'ST1',
  timestamptz '2026-01-01' + g * interval '1 second',
  jsonb_build_object('verdict', CASE WHEN g %% 17 = 0 THEN 'fail' ELSE 'pass' END, 'unit_no', g)
FROM generate_series(1, %(n)s) g;
ANALYZE inspections; ANALYZE result_events;
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def server(url: str, data_dir: Path, workers: int):
    port = free_port()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("INBOUND_STATION_")},
        "INBOUND_STATION_DATABASE_URL": url,
        "INBOUND_STATION_DATA_DIR": str(data_dir),
        "INBOUND_STATION_API__RATE_PER_SECOND": "1000000",
        "INBOUND_STATION_API__RATE_BURST": "1000000",
        "INBOUND_STATION_WEBHOOKS__RUN_IN_SERVER": "false",
        "INBOUND_STATION_LOG__LEVEL": "WARNING",
    }
    command = [
        str(Path(sys.executable).parent / "uvicorn"),
        "api.main:app_from_environment",
        "--factory",
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--log-level",
        "warning",
        "--no-access-log",
    ]
    process = subprocess.Popen(command, cwd=ROOT, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                if httpx.get(base + "/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        else:
            raise RuntimeError("the server did not start")
        yield base
    finally:
        process.terminate()
        process.wait(30)


def timed(fn, repeat: int = 5) -> float:
    """Median seconds of `repeat` calls."""
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def feed_figures(base: str, token: str, url: str, n: int) -> None:
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=base, headers=headers, timeout=60) as client:
        start, after, read = time.perf_counter(), None, 0
        while True:
            page = client.get(
                "/v1/feed", params={"limit": 500, **({"after": after} if after else {})}
            )
            body = page.json()
            if not body["items"]:
                break
            read += len(body["items"])
            after = body["next"]
        elapsed = time.perf_counter() - start
        print(
            f"feed, whole: {read:,} results in {elapsed:.1f} s = {read / elapsed:,.0f} results/s "
            "(one client, pages of 500, keyset cursor)"
        )
        from station.inspection.feed import encode_cursor

        print("page of 500 at position   keyset via API   keyset SQL   OFFSET SQL (baseline)")
        with psycopg.connect(url.replace("+psycopg", "")) as conn:
            for at in (0, n // 2, n - 1000):
                api = timed(
                    lambda at=at: client.get(
                        "/v1/feed", params={"limit": 500, "after": encode_cursor(at)}
                    ).raise_for_status()
                )
                keyset = timed(
                    lambda at=at: conn.execute(
                        "SELECT * FROM result_events WHERE position > %s "
                        "ORDER BY position LIMIT 500",
                        (at,),
                    ).fetchall()
                )
                offset = timed(
                    lambda at=at: conn.execute(
                        "SELECT * FROM result_events ORDER BY position OFFSET %s LIMIT 500", (at,)
                    ).fetchall()
                )
                print(
                    f"{at:>22,}   {api * 1000:>10.1f} ms   {keyset * 1000:>7.1f} ms"
                    f"   {offset * 1000:>10.1f} ms"
                )


def listing(n: int) -> dict:
    from station.identifiers import gs1_check_digit

    body = f"69{n:010d}"
    return {
        "id": f"BL{n:06d}",
        "merchant_id": "M1",
        "brand_id": "B1",
        "category_id": "TEA",
        "title": f"Lumora tea variant {n}",
        "gtins": [body + str(gs1_check_digit(body))],
        "unit_weight_g": 100 + n % 50,
        "weight_tolerance_g": 5,
        "attributes": {"variant": f"v{n % 13}"},
    }


def bulk_figures(base: str, token: str, url: str, m: int) -> None:
    from station.reference.batch import validate_rows, write_batch
    from station.reference.files import Row

    rows = [listing(n) for n in range(m)]
    body = "\n".join(json.dumps(r) for r in rows).encode()
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/x-ndjson"}
    start = time.perf_counter()
    response = httpx.post(base + "/v1/bulk/listings", content=body, headers=headers, timeout=3600)
    elapsed = time.perf_counter() - start
    assert response.status_code == 200, response.text[:500]
    print(
        f"bulk import via API: {m:,} listings ({len(body) / 2**20:.0f} MiB NDJSON) in "
        f"{elapsed:.1f} s = {m / elapsed:,.0f} rows/s  {response.json()}"
    )
    db = Database(url)
    other = [{**r, "id": "X" + r["id"]} for r in rows]
    start = time.perf_counter()
    located, problems = validate_rows(
        "listings", [Row(f"line {i}", r) for i, r in enumerate(other)]
    )
    with db.transaction() as session:
        write_batch(session, "listings", located, problems=problems)
    elapsed = time.perf_counter() - start
    print(
        f"baseline, same rows through station.reference.batch in process: {elapsed:.1f} s = "
        f"{m / elapsed:,.0f} rows/s"
    )
    db.dispose()


def ingest_figures(
    url: str, data_dir: Path, token: str, workers: int, clients: int = 8, seconds: float = 20.0
) -> None:
    with server(url, data_dir, workers) as base:
        latencies: list[float] = []
        lock = threading.Lock()
        stop = time.perf_counter() + seconds

        def client(k: int) -> None:
            n = 0
            with httpx.Client(
                base_url=base, timeout=60, headers={"Authorization": f"Bearer {token}"}
            ) as http:
                while time.perf_counter() < stop:
                    body = listing(500_000 + k * 100_000 + n)
                    body["id"] = f"W{workers}C{k}N{n}"
                    begin = time.perf_counter()
                    http.put(f"/v1/listings/{body['id']}", json=body).raise_for_status()
                    with lock:
                        latencies.append(time.perf_counter() - begin)
                    n += 1

        threads = [threading.Thread(target=client, args=(k,)) for k in range(clients)]
        begin = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.perf_counter() - begin
    p95 = statistics.quantiles(latencies, n=20)[18] * 1000
    print(
        f"ingest (PUT /v1/listings/{{id}}), {workers} worker process(es), {clients} clients: "
        f"{len(latencies) / elapsed:,.0f} writes/s, p95 {p95:.0f} ms, median "
        f"{statistics.median(latencies) * 1000:.0f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--listings", type=int, default=100_000)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()
    name = postgres.create_database(prefix="inbound_bench")
    url = postgres.database_url(name)
    data_dir = Path(f"/tmp/{name}")
    try:
        migrate.upgrade(url)
        start = time.perf_counter()
        with psycopg.connect(url.replace("+psycopg", ""), autocommit=True) as conn:
            conn.execute(REFERENCE_SQL)
            for statement in filter(str.strip, RESULTS_SQL.split(";")):
                conn.execute(statement, {"n": args.events} if "%(n)s" in statement else None)
        print(
            f"loaded {args.events:,} inspections and events in {time.perf_counter() - start:.1f} s"
        )
        db = Database(url)
        with db.transaction() as session:
            token = create_key(session, name="bench", scopes=["admin"]).token
        db.dispose()
        print(f"machine: {os.cpu_count()} cores (shared); PostgreSQL {postgres.SERVER}")
        with server(url, data_dir, 1) as base:
            feed_figures(base, token, url, args.events)
            bulk_figures(base, token, url, args.listings)
        for workers in (1, 2):
            ingest_figures(url, data_dir, token, workers)
    finally:
        if not args.keep:
            postgres.drop_database(name)


if __name__ == "__main__":
    main()
