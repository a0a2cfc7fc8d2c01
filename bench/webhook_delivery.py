"""Webhook delivery rate of one worker on PostgreSQL (sizes the fan-out in docs/scaling.md).

  .venv/bin/python bench/webhook_delivery.py [--deliveries 2000] [--delay-ms 100]

N result events with one pending delivery each go out through station.webhooks'
DeliveryWorker (claim a batch, send up to 8 at once, record each outcome) to a
receiver on 127.0.0.1. Measured twice in the same run: a receiver that answers at
once (the baseline: the worker's own cost) and one that takes --delay-ms per answer,
as a marketplace endpoint across the internet does.
"""

from __future__ import annotations

import argparse
import os
import sys
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from station.db import migrate  # noqa: E402
from station.db.engine import Database  # noqa: E402
from station.settings import load_settings  # noqa: E402
from station.webhooks.delivery import DeliveryWorker  # noqa: E402
from tests.support import postgres  # noqa: E402

EVENTS_SQL = """
INSERT INTO result_events (id, position, kind, subject_id, warehouse_id, station_id, occurred_at,
  payload)
SELECT md5(%(tag)s || g::text)::uuid, %(base)s + g, 'inspection.completed', md5(g::text)::uuid,
  'WH1', 'ST1', now(), jsonb_build_object('verdict', 'pass', 'unit_no', g)
FROM generate_series(1, %(n)s) g
"""
DELIVERIES_SQL = """
INSERT INTO webhook_deliveries (id, subscription_id, event_id, status, attempts, next_attempt_at,
  created_at)
SELECT md5('d' || %(tag)s || g::text)::uuid, %(sub)s, md5(%(tag)s || g::text)::uuid, 'pending', 0,
  now(), now()
FROM generate_series(1, %(n)s) g
"""
# Standard Webhooks secrets are base64 after "whsec_".
SECRET = "whsec_YmVuY2hzZWNyZXRiZW5jaHNlY3JldA=="


def receiver(delay: float) -> ThreadingHTTPServer:
    class Answer(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self) -> None:
            self.rfile.read(int(self.headers["content-length"]))
            time.sleep(delay)
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Answer)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def queue_deliveries(url: str, target: str, n: int, tag: str, base: int) -> None:
    sub = uuid.uuid4()
    with psycopg.connect(url.replace("+psycopg", ""), autocommit=True) as conn:
        conn.execute(
            "INSERT INTO webhook_subscriptions (id, url, description, event_types, secret,"
            " warehouses, active, created_at, updated_at) VALUES (%s, %s, 'bench',"
            " '[\"inspection.completed\"]', %s, NULL, true, now(), now())",
            (sub, target, SECRET),
        )
        conn.execute(EVENTS_SQL, {"tag": tag, "base": base, "n": n})
        conn.execute(DELIVERIES_SQL, {"tag": tag, "sub": sub, "n": n})


def deliver_all(db: Database, n: int) -> float:
    settings = load_settings(webhooks={"allow_private_targets": True}).webhooks
    worker = DeliveryWorker(db, settings)
    start, sent = time.perf_counter(), 0
    while sent < n:
        tried = worker.run_once()
        if not tried:
            raise RuntimeError(f"only {sent} of {n} deliveries were due")
        sent += tried
    return n / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--deliveries", type=int, default=2000)
    parser.add_argument("--delay-ms", type=float, default=100.0)
    args = parser.parse_args()
    name = postgres.create_database(prefix="inbound_bench")
    url = postgres.database_url(name)
    try:
        migrate.upgrade(url)
        db = Database(url)
        print(f"machine: {os.cpu_count()} cores (shared); PostgreSQL {postgres.SERVER}")
        print("receiver answers after    deliveries/s   (one worker, batch of 20, 8 sends at once)")
        for run, delay in enumerate((0.0, args.delay_ms / 1000)):
            server = receiver(delay)
            target = f"http://127.0.0.1:{server.server_address[1]}/hook"
            queue_deliveries(url, target, args.deliveries, f"r{run}", run * args.deliveries)
            rate = deliver_all(db, args.deliveries)
            label = "at once (baseline)" if delay == 0 else f"{delay * 1000:g} ms"
            print(f"{label:<25} {rate:>12,.0f}")
            server.shutdown()
        db.dispose()
    finally:
        postgres.drop_database(name)


if __name__ == "__main__":
    main()
