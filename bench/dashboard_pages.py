"""Server time of the dashboard pages with 1,000,000 inspections in the database.

    .venv/bin/python bench/dashboard_pages.py [--count 1000000] [--data-dir var/bench-dashboard]

Builds the database once (sample data plus COUNT inspections over a year; about
ten minutes for a million on SQLite) and reuses it. Each page is fetched ROUNDS
times over loopback from the real server, timed inside the server (request in to
last byte out, so TCP's delayed ACKs on loopback do not count); the baseline,
fetched in the same run,
is /health (a schema version check: no page, no figures).
Figures: p50 and p95 in milliseconds, the first (cold) fetch, and p95 over the
baseline's p95. A second pass re-checks rollup staleness on every request
(CHECK_EVERY = 0), the worst case of a dashboard just after a late sync.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
from pathlib import Path

import httpx
from sqlalchemy import func, select

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.web_server import ServerTimes, percentile, running
from station.access.models import User
from station.access.users import create_user
from station.db import migrate
from station.inspection.models import Inspection, Verdict
from station.runtime import Runtime
from station.sample.history import make_history
from station.sample.load import load_sample
from station.scorecards import rollup
from station.settings import load_settings

PASSWORD = "benchmark password"
BASELINE = ("/health",)
SERVER = ServerTimes(None)


def prepare(data_dir: Path, count: int) -> Runtime:
    settings = load_settings(data_dir=str(data_dir))
    migrate.upgrade(settings.database_url)
    runtime = Runtime.from_settings(settings)
    with runtime.db.session() as session:
        have = session.scalar(select(func.count()).select_from(Inspection))
        has_user = session.scalar(select(User.id).where(User.username == "bench-sven"))
    if have < count:
        print(f"building: sample data plus {count - have} inspections in {data_dir} ...")
        started = time.perf_counter()
        load_sample(runtime.db, runtime.evidence, data_dir / "sample-images")
        make_history(runtime.db, count - have, days=365, seed=have + 1)
        print(f"  built in {time.perf_counter() - started:.0f} s")
    if not has_user:
        with runtime.db.transaction() as session:
            create_user(
                session, username="bench-sven", role="supervisor", password=PASSWORD, actor="bench"
            )
    return runtime


def pages(runtime: Runtime) -> list[str]:
    with runtime.db.session() as session:
        review = session.scalar(
            select(Inspection.id)
            .where(Inspection.verdict == Verdict.REVIEW, Inspection.final_verdict.is_(None))
            .limit(1)
        )
        serial = session.scalar(select(Inspection.serial).limit(1).offset(500_000))
    found = [
        "/dashboard",
        "/dashboard/review",
        "/dashboard/lots",
        "/dashboard/lots?q=M08",
        f"/dashboard/lots?q={serial}",
        "/dashboard/scorecards?kind=merchant&id=M08&days=30",
        "/dashboard/scorecards?kind=station&id=HZ1-B01&days=30",
        "/dashboard/scorecards?kind=brand&id=B03&days=90",
        "/dashboard/stations",
    ]
    if review:
        found.append(f"/dashboard/inspections/{review}")
    return found


def sign_in(client: httpx.Client) -> None:
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text).group(1)
    form = {"username": "bench-sven", "password": PASSWORD, "csrf_token": token}
    response = client.post("/login", data=form)
    if response.status_code != 303:
        raise SystemExit(f"sign-in failed: {response.status_code}")


def measure(client: httpx.Client, path: str, rounds: int) -> tuple[float, list[float]]:
    """Server times of rounds + 1 fetches: the first (cold) and the rest."""
    times = []
    for _ in range(rounds + 1):
        response = client.get(path)
        if response.status_code != 200:
            raise SystemExit(f"{path}: HTTP {response.status_code}")
        times.append(SERVER.last_ms)
    return times[0], times[1:]


def report(client: httpx.Client, paths: list[str], rounds: int, title: str) -> None:
    print(f"\n{title}")
    print(f"{'page':58} {'cold':>7} {'p50':>7} {'p95':>7} {'x base':>7}")
    base_all = []
    for path in BASELINE:
        cold, times = measure(client, path, rounds)
        base_all += times
        print(f"{path:58} {cold:7.1f} {statistics.median(times):7.1f} {percentile(times, 95):7.1f}")
    base = percentile(base_all, 95)
    worst = 0.0
    for path in paths:
        cold, times = measure(client, path, rounds)
        p95 = percentile(times, 95)
        worst = max(worst, p95)
        ratio = p95 / base
        print(f"{path[:58]:58} {cold:7.1f} {statistics.median(times):7.1f} {p95:7.1f} {ratio:7.1f}")
    print(f"worst dashboard p95 {worst:.1f} ms (goal < 300 ms); baseline p95 {base:.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1_000_000)
    parser.add_argument("--data-dir", type=Path, default=Path("var/bench-dashboard"))
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    runtime = prepare(args.data_dir, args.count)
    with runtime.db.session() as session:
        total = session.scalar(select(func.count()).select_from(Inspection))
    paths = pages(runtime)
    print(f"{total} inspections, {runtime.db.dialect}, {args.rounds} fetches per page")
    with running(runtime, SERVER) as url, httpx.Client(base_url=url, timeout=60) as client:
        sign_in(client)
        report(client, paths, args.rounds, "rollup staleness checked every 20 s (the default)")
        rollup.CHECK_EVERY = 0.0
        report(client, paths, args.rounds, "staleness checked on every request (worst case)")
    runtime.close()


if __name__ == "__main__":
    main()
