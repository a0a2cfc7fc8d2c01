"""A synthetic inspection history, so dashboards have something to show and
benchmarks something to chew on: completed inspections spread over past days,
with failing and unsure checks, some decided by supervisors.

Written with bulk inserts (no workflow, no events): this is sample data, not
a way to record real inspections.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from station.clock import utcnow
from station.db import schema  # noqa: F401  (every model, for the foreign keys)
from station.db.engine import Database
from station.fleet.models import Station
from station.inspection.models import (
    CheckResult,
    DefectClass,
    Inspection,
    InspectionStatus,
    Outcome,
    Override,
    Verdict,
)
from station.reference.models import Listing, ListingGtin, Shipment

# (check, defect code, class, reason) of the failures the history draws from.
FAILURES = (
    ("weight", "weight_out_of_tolerance", DefectClass.MAJOR, "Weight outside the tolerance"),
    ("identity", "gtin_not_on_listing", DefectClass.CRITICAL, "Product code not on the listing"),
    ("brand", "brand_not_authorised", DefectClass.CRITICAL, "Merchant not authorised for brand"),
    ("visual_match", "visual_mismatch", DefectClass.CRITICAL, "Photos show a different product"),
    ("checklist", "product_damaged", DefectClass.MAJOR, "Product damaged"),
    ("checklist", "manual_missing", DefectClass.MINOR, "Manual missing"),
    (
        "serial_expiry",
        "serial_duplicate",
        DefectClass.CRITICAL,
        "Serial already seen on another unit",
    ),
    ("serial_expiry", "shelf_life_short", DefectClass.MAJOR, "Shelf life too short"),
)
UNSURE = ("visual_match", None, None, "Photos are not clearly the listed product")
BATCH = 5000


@dataclass(frozen=True)
class _World:
    listings: list[tuple[str, str, str]]  # id, merchant, gtin
    stations: list[tuple[str, str]]  # id, warehouse
    shipments: dict[str, str]  # merchant -> a shipment of theirs


def make_history(
    db: Database, count: int, *, days: int = 30, seed: int = 1, open_reviews: int = 25
) -> int:
    """Insert count completed inspections over the last `days` days; the newest
    `open_reviews` unsure ones stay in the review queue. Returns the number written."""
    rng = random.Random(seed)
    with db.session() as session:
        world = _world(session)
    end = utcnow()
    written = 0
    reviews_left = open_reviews
    while written < count:
        size = min(BATCH, count - written)
        # Newest first, so the inspections left in review are the recent ones.
        first = end - timedelta(days=days) * (written / count)
        rows = _batch(rng, world, size, first, days / count, reviews_left)
        reviews_left -= sum(
            1 for r in rows[0] if r["verdict"] == Verdict.REVIEW and r["final_verdict"] is None
        )
        with db.transaction() as session:
            session.execute(insert(Inspection), rows[0])
            if rows[1]:
                session.execute(insert(CheckResult), rows[1])
            if rows[2]:
                session.execute(insert(Override), rows[2])
        written += size
    return written


def _world(session: Session) -> _World:
    gtins = dict(session.execute(select(ListingGtin.listing_id, ListingGtin.gtin)).all())
    listings = [
        (lid, merchant, gtins.get(lid, "0" * 14))
        for lid, merchant in session.execute(select(Listing.id, Listing.merchant_id))
    ]
    stations = [tuple(r) for r in session.execute(select(Station.id, Station.warehouse_id))]
    shipments = dict(session.execute(select(Shipment.merchant_id, Shipment.id)).all())
    if not listings or not stations:
        raise ValueError("make_history needs listings and stations: load the sample first")
    return _World(sorted(listings), sorted(stations), shipments)


def _batch(rng, world: _World, size: int, newest: datetime, step_days: float, reviews: int):
    inspections, checks, overrides = [], [], []
    for i in range(size):
        at = newest - timedelta(days=step_days * i, seconds=rng.randint(0, 59))
        listing, merchant, gtin = rng.choice(world.listings)
        station, warehouse = rng.choice(world.stations)
        # Some merchants send worse goods: their failure rate rises with their id.
        fail_rate = 0.04 + (sum(map(ord, merchant)) % 7) * 0.025
        roll = rng.random()
        iid = uuid.uuid4()
        row = {
            "id": iid,
            "listing_id": listing,
            "shipment_id": world.shipments.get(merchant),
            "station_id": station,
            "warehouse_id": warehouse,
            "status": InspectionStatus.COMPLETED,
            "gtin": gtin,
            "serial": f"SN{rng.randrange(10**9):09d}",
            "started_at": at - timedelta(seconds=rng.randint(40, 160)),
            "completed_at": at,
            "verdict": Verdict.PASS,
            "final_verdict": Verdict.PASS,
            "defect_class": None,
        }
        checks.append(_check(iid, 0, "weight", Outcome.PASS, None, None, ""))
        if roll < fail_rate:
            check, code, cls, reason = rng.choice(FAILURES)
            checks.append(_check(iid, 1, check, Outcome.FAIL, code, cls, reason))
            verdict = Verdict.PASS if cls is DefectClass.MINOR else Verdict.FAIL
            row.update(verdict=verdict, final_verdict=verdict, defect_class=cls)
        elif roll < fail_rate + 0.03:
            checks.append(_check(iid, 1, UNSURE[0], Outcome.REVIEW, None, None, UNSURE[3]))
            # Awaiting a supervisor: no final verdict yet (as station.review has it).
            row.update(verdict=Verdict.REVIEW, final_verdict=None)
            if reviews <= 0:
                decided = Verdict.PASS if rng.random() < 0.7 else Verdict.FAIL
                row["final_verdict"] = decided
                overrides.append(_override(iid, decided, at + timedelta(hours=2)))
            reviews -= 1
        inspections.append(row)
    return inspections, checks, overrides


def _check(iid, position, check, outcome, code, cls, reason) -> dict:
    return {
        "id": uuid.uuid4(),
        "inspection_id": iid,
        "position": position,
        "check": check,
        "outcome": outcome,
        "defect_code": code,
        "defect_class": cls,
        "reason": reason,
        "details": {},
    }


def _override(iid, decided: Verdict, at: datetime) -> dict:
    return {
        "id": uuid.uuid4(),
        "inspection_id": iid,
        "actor": "sample-supervisor",
        "from_value": Verdict.REVIEW.value,
        "to_value": decided.value,
        "reason": "Checked against the listing photos by hand",
        "created_at": at,
    }
