"""Station and central as real processes: results with their photos reach central
exactly once, through a central crash, a replay, and cut database connections."""

from __future__ import annotations

import time

import psycopg
import pytest
from sqlalchemy import update

from station.sync.models import OutboxRecord, SyncState
from tests.e2e.sync_site import SyncSite, build_templates, wait_until
from tests.support import postgres

pytestmark = [pytest.mark.postgres, pytest.mark.slow, pytest.mark.timeout(900)]


@pytest.fixture(scope="module")
def sync_templates(tmp_path_factory, pg_template):
    templates = build_templates(tmp_path_factory.mktemp("sync-templates"), pg_template)
    yield templates
    postgres.drop_database(templates.central)


@pytest.fixture
def site(sync_templates, tmp_path):
    running = SyncSite(tmp_path / "site", sync_templates)
    yield running
    running.close()


def _offline_since(site: SyncSite):
    with site.station.session() as session:
        row = session.get(SyncState, 1)
        return row.offline_since if row else None


def test_results_arrive_once_through_a_central_crash_and_a_replay(site):
    site.start_central()
    site.start_station()
    assert site.autopilot(2, seed=1).wait(timeout=300) == 0
    site.wait_drained()
    assert site.check_nothing_lost_or_doubled(drained=True) > 10

    pilot = site.autopilot(3, seed=2)  # the bench keeps inspecting while central dies
    wait_until(lambda: site.pending() > 0 or pilot.poll() is not None, 120, "new results")
    site.kill("central")
    assert pilot.wait(timeout=300) == 0
    wait_until(lambda: _offline_since(site), 60, "the station to notice central is gone")
    assert site.pending() > 0
    site.check_nothing_lost_or_doubled(drained=False)

    site.start_central()  # nobody tells the station: it finds central back by itself
    site.wait_drained()
    assert _offline_since(site) is None
    count = site.check_nothing_lost_or_doubled(drained=True)

    with site.station.transaction() as session:  # every answer lost: all sent again
        session.execute(update(OutboxRecord).values(sent_at=None))
    site.wait_drained()
    assert site.check_nothing_lost_or_doubled(drained=True) == count


def test_ingest_survives_its_database_connections_being_cut(site):
    """PostgreSQL going away under central (its backends terminated, as in a restart)."""
    site.start_central()
    site.start_station()
    pilot = site.autopilot(3, seed=4)
    cuts = 0
    while pilot.poll() is None or (site.pending() and cuts < 40):
        with psycopg.connect(postgres.SERVER, autocommit=True) as conn:
            cuts += conn.execute(
                "SELECT count(*) FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE datname = %s AND pid <> pg_backend_pid()) AS cut",
                (site.pg_name,),
            ).fetchone()[0]
        time.sleep(0.7)
    assert pilot.wait(timeout=300) == 0
    site.wait_drained()
    assert site.check_nothing_lost_or_doubled(drained=True) > 10
    assert cuts > 0
