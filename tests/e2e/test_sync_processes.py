"""Station and central as real processes: results with their photos reach central
exactly once, through a central crash, a replay, and cut database connections."""

from __future__ import annotations

import re
import time

import psycopg
import pytest
from sqlalchemy import func, select, update
from sqlalchemy.exc import OperationalError

from station.sync.models import OutboxRecord, ReceivedRecord, SyncState
from tests.e2e.sync_site import SyncSite, build_templates, wait_until
from tests.support import postgres
from tests.support.own_postgres import OwnPostgres

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


@pytest.fixture
def own_site(sync_templates, tmp_path):
    """Central on a PostgreSQL server of the test's own, which it may restart."""
    server = OwnPostgres()
    source = postgres.database_url(sync_templates.central).replace("+psycopg", "")
    running = SyncSite(tmp_path / "site", sync_templates,
                       central_database=server.copy_database(source, "central"))  # fmt: skip
    yield running, server
    running.close()
    server.close()


def test_sync_resumes_by_itself_when_centrals_postgresql_restarts(own_site):
    """The PostgreSQL server under central stopped at once (as in a crash: recovery
    at the next start) and started again, twice, while the station pushes."""
    site, server = own_site
    site.start_central()
    site.start_station()
    pilot = site.autopilot(4, seed=6)
    for _ in range(2):
        received = _received(site)
        wait_until(lambda r=received: _received(site) > r, 120, "central to store results")
        server.restart("immediate", down_s=2.0)  # long enough for the station to notice
    assert pilot.wait(timeout=300) == 0
    site.wait_drained()
    site.central.dispose()  # the test's own connections died with the server
    assert site.check_nothing_lost_or_doubled(drained=True) > 10
    assert "database system was interrupted" in server.log()
    log = (site.folder / "central.log").read_text()
    # Requests met the server down: central said "try again shortly", the pusher did.
    assert re.search(r'"(POST|PUT) /v1/sync/\S+ HTTP/1.1" 503', log), "no request met it"


def _received(site: SyncSite) -> int:
    try:
        with site.central.session() as session:
            return session.scalar(select(func.count()).select_from(ReceivedRecord))
    except OperationalError:  # the server is starting
        return -1


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
