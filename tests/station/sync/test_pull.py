"""The reference pull: a new bench PC gets its warehouse's data in one go, later
changes incrementally, and central's overrides of its results come back to it."""

from __future__ import annotations

import threading

from sqlalchemy import func, select

from station.db import migrate
from station.db.engine import Database
from station.evidence import EvidenceStore
from station.inspection.models import Inspection, Override
from station.matching import FeatureStore, VisualChecks, load_limits
from station.matching.bench import visual_checks
from station.reference.models import Listing, ListingImage, Shipment
from station.review.service import decide_unit
from station.sync.client import CentralClient
from station.sync.models import OutboxRecord
from station.sync.pull import pull_reference
from station.sync.worker import SyncWorker
from tests.station.sync.conftest import station_settings


def _count(db, model, *where) -> int:
    with db.session() as session:
        return session.scalar(select(func.count()).select_from(model).where(*where))


def test_a_new_bench_pc_is_ready_after_one_pull_and_later_changes_follow(central, tmp_path):
    runtime, client, token = central
    url = f"sqlite:///{tmp_path / 'new-bench.db'}"
    migrate.upgrade(url)
    bench, evidence = Database(url, sync_outbox=True), EvidenceStore(tmp_path / "bench-evidence")
    features = FeatureStore(tmp_path / "bench-features", 64 << 20)
    http = CentralClient("", token, timeout=30, http=client)

    report = pull_reference(bench, evidence, http, features)
    assert _count(bench, Listing) == _count(runtime.db, Listing) > 0
    here = Shipment.warehouse_id == "WH-HZ1"
    assert _count(bench, Shipment) == _count(runtime.db, Shipment, here)
    assert _count(bench, Shipment, Shipment.warehouse_id != "WH-HZ1") == 0
    with bench.session() as session:
        images = set(session.scalars(select(ListingImage.sha256)))
    assert images and all(evidence.has(h) for h in images) and report.images > 0
    # The listing images' match features came with them, as central computed them: the
    # bench's visual checks compute none.
    assert (report.features, report.features_left) == (len(images), 0)
    assert "match features of" in report.summary()
    central_store = visual_checks(runtime).store
    assert all(features.path_for(h).read_bytes() == central_store.path_for(h).read_bytes()
               for h in images)  # fmt: skip
    with bench.session() as session:
        checks = VisualChecks(evidence, features, load_limits())
        for listing in session.scalars(select(Listing)):
            assert len(checks.references(listing)) == len(listing.images)
    assert features.computed == 0

    with runtime.db.transaction() as session:
        listing = session.scalars(select(Listing).order_by(Listing.id)).first()
        listing.title = "Renamed at central"
    again = pull_reference(bench, evidence, http, features)
    with bench.session() as session:
        assert session.get(Listing, listing.id).title == "Renamed at central"
    assert again.features == 0  # the bench has them all already
    bench.dispose()


def test_an_override_made_at_central_comes_back_to_the_station(station, central, tmp_path):
    runtime, client, token = central
    http = CentralClient("", token, timeout=30, http=client)
    settings = station_settings(tmp_path)
    pusher = SyncWorker(station.db, station.evidence, settings, client=http)
    pusher.run(threading.Event(), once=True)
    with station.db.session() as session:
        unit = session.scalars(
            select(Inspection).where(
                Inspection.station_id == "HZ1-B01", Inspection.final_verdict == "pass"
            )
        ).first()
    outbox_before = _count(station.db, OutboxRecord)
    with runtime.db.transaction() as session:
        decide_unit(session, unit.id, verdict="fail", reason="label forged", actor="hq")

    pull_reference(station.db, station.evidence, http)
    with station.db.session() as session:
        assert session.get(Inspection, unit.id).final_verdict.value == "fail"
        reasons = session.scalars(select(Override.reason).where(Override.inspection_id == unit.id))
        assert list(reasons) == ["label forged"]
    assert _count(station.db, OutboxRecord) == outbox_before  # not sent back to central again
