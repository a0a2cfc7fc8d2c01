"""A station's link to central on its dashboard and bench strip: "offline since ...",
what waits, and a disk-space warning."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi.testclient import TestClient

from api.main import create_app
from station.runtime import Runtime
from station.sync.models import SyncState
from tests.api.screens.conftest import sign_in
from tests.support.site import open_site


def _station_site(site_template, tmp_path, **sync):
    site = open_site(site_template, tmp_path / "station-site", role="station")
    for name, value in sync.items():
        setattr(site.settings.sync, name, value)
    site.runtime = Runtime.from_settings(site.settings)
    return site


def test_a_station_offline_says_since_when_on_the_dashboard_and_the_bench(site_template, tmp_path):
    site = _station_site(site_template, tmp_path, disk_warn_free_mb=10**9)  # always "low"
    with site.runtime.db.transaction() as session:
        session.add(SyncState(id=1, offline_since=datetime(2026, 11, 28, 7, 30, tzinfo=UTC)))
    client = TestClient(create_app(site.runtime))
    sign_in(client, "sven")
    page = client.get("/dashboard/stations").text
    assert 'data-sync-offline="yes"' in page
    assert "offline since 2026-11-28 07:30 UTC, 0 waiting" in page
    assert "data-disk-low" in page
    bench = TestClient(create_app(site.runtime))
    sign_in(bench, "olga", station="HZ1-B01")
    strip = bench.get("/bench").text.split('id="devices"', 1)[1].split("</section>", 1)[0]
    assert "offline since 2026-11-28 07:30 UTC" in strip
    site.runtime.close()


def test_an_all_in_one_site_shows_no_sync_line(site, client):
    sign_in(client, "sven")
    assert "data-sync-offline" not in client.get("/dashboard/stations").text  # no sync here
