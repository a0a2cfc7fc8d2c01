"""Time to a unit verdict from the last event: all checks but vision, or (--vision) with
the visual checks switched on against off.

For each database engine: the sample data, then K units inspected through the bench
shell while the clock runs only around the unit's last event (its last checklist
answer: the step that runs every check, records the verdict, publishes the result
event and opens the next unit). Measured twice in the same run: on the sample data
alone (the baseline) and after bulk-loading 100,000 listings and 1,000,000 earlier
inspections (the target). Prints p50 / p95 / mean per engine and the ratio.

    .venv/bin/python bench/workflow_verdict.py [--units 200] [--listings 100000]
        [--inspections 1000000] [--engines sqlite,postgres]

With --vision: the sample data only, real (rendered) bench photos of the unit, and K
units timed twice in the same run: visual checks off (the baseline) and on (listing
match against the listing and its siblings, brand mark; reference features computed
before timing, as on a station that has seen the listing). The photo quality gate's
time per photo is printed too.

    .venv/bin/python bench/workflow_verdict.py --vision [--units 20] [--engines sqlite]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import insert, text  # noqa: E402

from station.db import migrate  # noqa: E402
from station.db.engine import Database  # noqa: E402
from station.evidence import EvidenceStore  # noqa: E402
from station.identifiers import gs1_check_digit  # noqa: E402
from station.inspection.models import Inspection  # noqa: E402
from station.matching import FeatureStore, VisualChecks, load_limits  # noqa: E402
from station.matching.bench import EarlyChecks  # noqa: E402
from station.reference.models import Listing, ListingGtin  # noqa: E402
from station.sample.load import load_sample  # noqa: E402
from station.workflow.evaluation import Vision  # noqa: E402
from station.workflow.operator import sample_photo  # noqa: E402
from tests.support import postgres  # noqa: E402
from tests.support.benches import LISTINGS, announce, shell  # noqa: E402

LISTING = "L041"  # electronics: serial (a duplicate look-up every unit), 3 photos, 4 answers
IMAGES = ROOT / "var" / "test-cache" / "sample-images"


def unit_events(gtin: str, serial: str, shas: list[str]) -> list[dict]:
    events = [
        {"type": "scan", "text": f"]d201{gtin.zfill(14)}21{serial}"},
        {"type": "weight", "milligrams": 96_000, "stable": True},
    ]
    events += [{"type": "photo", "sha256": sha} for sha in shas]
    for question in ("seal_intact", "accessories_complete", "manual_present", "safety_mark"):
        events.append({"type": "answer", "question": question, "value": "yes"})
    return events


def measure(
    db: Database,
    evidence: EvidenceStore,
    units: int,
    tag: str,
    vision: Vision | None = None,
    photos: list[bytes] | None = None,
    gate: list[float] | None = None,
    think_s: float = 0.0,
) -> list[float]:
    # A lot of 10,000: ISO 2859-1 level II draws 200 units (code letter L), or all of them
    # when the merchant's indicators call for 100 %; K of them are timed.
    shipment_id, label = announce(
        db, [(LISTING, 10_000)], shipment_id=f"BENCH-{tag}", s10=f"{random.randrange(10**8):08d}"
    )
    bench = shell(db, evidence, bench=f"bench-{tag}")
    if vision is not None:
        bench.target.vision = vision
    photos = photos or [f"photo {face}".encode() for face in ("f", "b", "l")]
    shas = [evidence.put(data).sha256 for data in photos]
    for event in (
        {"type": "sign_in", "operator": "bench"},
        {"type": "scan", "text": label},
        {"type": "count", "quantity": 10_000},
    ):
        state = bench.handle(event).state
    assert state.lot and state.lot.plan and len(state.lot.plan.units) >= units, "sample too small"
    gtin = LISTINGS[LISTING]["gtins"][0]
    timings = []
    for n in range(units):
        *leading, last = unit_events(gtin, f"B{tag}{n:06d}", shas)
        for event in leading:
            start = time.perf_counter()
            bench.handle(event)
            if gate is not None and event["type"] == "photo":
                gate.append((time.perf_counter() - start) * 1000)
        time.sleep(think_s)  # the operator reading the last checklist question
        start = time.perf_counter()
        report = bench.handle(last)
        timings.append((time.perf_counter() - start) * 1000)
        assert any(e.type == "unit_evaluated" for e in report.events), "no verdict"
    return timings


def bulk_load(db: Database, listings: int, inspections: int) -> float:
    """Listings and earlier inspections in big batches; returns the seconds it took."""
    start = time.perf_counter()
    rng = random.Random(1)
    merchants, brands = ["M01", "M02", "M15"], ["B01", "B08", "B09"]
    categories = ["FOOD-TEA", "ELEC-AUDIO", "ELEC-ACC"]
    now = datetime(2026, 5, 1, tzinfo=UTC)
    gtins = []
    listing_rows, gtin_rows = [], []
    for n in range(listings):
        body = f"69{n:010d}"
        gtin = (body + str(gs1_check_digit(body))).zfill(14)
        gtins.append((f"BL{n:06d}", gtin))
        listing_rows.append(
            {
                "id": f"BL{n:06d}",
                "merchant_id": merchants[n % 3],
                "brand_id": brands[n % 3],
                "category_id": categories[n % 3],
                "title": f"bench listing {n}",
                "attributes": {},
                "unit_weight_mg": 100_000,
                "weight_tolerance_mg": 3_000,
                "requires_serial": True,
                "requires_expiry": False,
                "status": "active",
                "created_at": now,
                "updated_at": now,
            }
        )
        gtin_rows.append({"listing_id": f"BL{n:06d}", "gtin": gtin})
    with db.transaction() as session:
        for chunk in range(0, listings, 20_000):
            session.execute(insert(Listing), listing_rows[chunk : chunk + 20_000])
            session.execute(insert(ListingGtin), gtin_rows[chunk : chunk + 20_000])
    target_gtin = LISTINGS[LISTING]["gtins"][0].zfill(14)
    batch = 50_000
    for chunk in range(0, inspections, batch):
        rows = []
        for n in range(chunk, min(chunk + batch, inspections)):
            listing_id, gtin = gtins[rng.randrange(listings)]
            if n % 50 == 0:  # some earlier units of the measured GTIN, other serials
                listing_id, gtin = LISTING, target_gtin
            at = now + timedelta(seconds=n)
            rows.append(
                {
                    "id": uuid.UUID(bytes=os.urandom(16), version=4),
                    "listing_id": listing_id,
                    "gtin": gtin,
                    "serial": f"S{n:09d}",
                    "status": "completed",
                    "verdict": "pass",
                    "final_verdict": "pass",
                    "unit_no": 1,
                    "started_at": at,
                    "completed_at": at,
                }
            )
        with db.transaction() as session:
            session.execute(insert(Inspection), rows)
    if db.dialect == "postgresql":
        with db.engine.connect() as conn:
            conn.execution_options(isolation_level="AUTOCOMMIT").execute(text("ANALYZE"))
    else:  # and fold the bulk load's write-ahead log into the file, as a running bench would
        with db.engine.connect() as conn:
            conn.execute(text("ANALYZE"))
            conn.commit()
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    return time.perf_counter() - start


def summary(name: str, timings: list[float]) -> tuple[float, float]:
    ordered = sorted(timings)
    p50 = statistics.median(ordered)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * len(ordered))) - 1)]
    print(
        f"  {name:<34} n={len(ordered):4d}  p50 {p50:7.2f} ms  p95 {p95:7.2f} ms  "
        f"mean {statistics.fmean(ordered):7.2f} ms"
    )
    return p50, p95


def run_engine(engine: str, args, folder: Path) -> None:
    print(f"\n{engine}:")
    if engine == "sqlite":
        url, cleanup = f"sqlite:///{folder / 'bench.db'}", None
    else:
        name = postgres.create_database(prefix="inbound_bench")
        url, cleanup = postgres.database_url(name), name
    try:
        migrate.upgrade(url)
        db = Database(url)
        evidence = EvidenceStore(folder / f"evidence-{engine}")
        load_sample(db, evidence, IMAGES)
        base = measure(db, evidence, args.units, "base")
        seconds = bulk_load(db, args.listings, args.inspections)
        print(
            f"  bulk load: {args.listings:,} listings + {args.inspections:,} inspections "
            f"in {seconds:.1f} s"
        )
        loaded = measure(db, evidence, args.units, "loaded")
        _, base95 = summary("baseline (sample data only)", base)
        _, loaded95 = summary("100k listings, 1M inspections", loaded)
        print(f"  p95 ratio loaded/baseline: {loaded95 / base95:.2f}  (goal: p95 < 20 ms)")
        db.dispose()
    finally:
        if cleanup:
            postgres.drop_database(cleanup)


def run_vision(engine: str, args, folder: Path) -> None:
    """Visual checks off, then on, on the same database and the same photos."""
    print(f"\n{engine}, visual checks off against on:")
    if engine == "sqlite":
        url, cleanup = f"sqlite:///{folder / 'vision.db'}", None
    else:
        name = postgres.create_database(prefix="inbound_bench")
        url, cleanup = postgres.database_url(name), name
    try:
        migrate.upgrade(url)
        db = Database(url)
        evidence = EvidenceStore(folder / f"vision-evidence-{engine}")
        load_sample(db, evidence, IMAGES)
        rng = random.Random(7)
        # front, back, label: three pictures (the label photo is another shot of the back)
        photos = [sample_photo(LISTINGS[LISTING], face, rng) for face in ("front", "back", "back")]
        checks = VisualChecks(
            evidence, FeatureStore(folder / f"features-{engine}", 256 << 20), load_limits()
        )
        vision = Vision(checks.match_evidence, checks.brand_mark_evidence, checks.photo_verdict)
        off = measure(db, evidence, args.units, "off", None, photos)
        measure(db, evidence, 1, "warm", vision, photos)  # reference features computed
        gate: list[float] = []
        on = measure(db, evidence, args.units, "on", vision, photos, gate)
        early = EarlyChecks(checks, db)
        started = Vision(early.match, early.brand_mark, checks.photo_verdict, early.prefetch)
        think = measure(db, evidence, args.units, "early", started, photos, think_s=args.think)
        _, off95 = summary("visual checks off (baseline)", off)
        _, on95 = summary("visual checks on, all at the verdict", on)
        _, early95 = summary(f"on, started with the photos, {args.think:g} s answering", think)
        summary("photo event with the quality gate", gate)
        print(f"  p95 ratio on/off: {on95 / off95:.1f}; started early/off: {early95 / off95:.1f}")
        db.dispose()
    finally:
        if cleanup:
            postgres.drop_database(cleanup)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=200)
    parser.add_argument("--listings", type=int, default=100_000)
    parser.add_argument("--inspections", type=int, default=1_000_000)
    parser.add_argument("--engines", default="sqlite,postgres")
    parser.add_argument(
        "--think", type=float, default=4.0, help="--vision: seconds between photos and verdict"
    )
    parser.add_argument(
        "--vision", action="store_true", help="visual checks on against off (sample data only)"
    )
    args = parser.parse_args()
    print(
        f"time to a unit verdict from its last event; {os.cpu_count()} cores, "
        f"load average {os.getloadavg()[0]:.1f}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        for engine in args.engines.split(","):
            (run_vision if args.vision else run_engine)(engine, args, Path(tmp))


if __name__ == "__main__":
    main()
