"""SIGKILL at random moments: the autopilot (inspections being written), the station
server (its pusher mid-sync) or both. After every kill the station's database is
intact, every committed result has its outbox row, and central holds nothing twice
and nothing the station did not make; at the end everything has arrived.

SYNC_KILLS sets how many kills: 12 by default, as one kill and restart takes 10-25 s on
two busy cores; the issue's 50 (SYNC_KILLS=50) is a run of its own, 15-20 minutes,
beyond the suite's budget. SYNC_KILL_SEED the random moments (printed, to repeat a run)."""

from __future__ import annotations

import os
import random
import time

import pytest

from tests.e2e.sync_site import SyncSite, build_templates, wait_until
from tests.support import postgres

pytestmark = [pytest.mark.postgres, pytest.mark.slow, pytest.mark.timeout(1800)]
KILLS = int(os.environ.get("SYNC_KILLS", "12"))
SEED = int(os.environ.get("SYNC_KILL_SEED", str(random.randrange(10**6))))


@pytest.fixture
def site(tmp_path, pg_template):
    templates = build_templates(tmp_path / "templates", pg_template)
    running = SyncSite(tmp_path / "site", templates)
    yield running
    running.close()
    postgres.drop_database(templates.central)


def test_killed_again_and_again_nothing_is_lost_or_doubled(site):
    print(f"SYNC_KILL_SEED={SEED} SYNC_KILLS={KILLS}")
    rng = random.Random(SEED)
    site.start_central()
    site.start_station()
    _start_autopilot(site, SEED)
    victims = {"autopilot": 0, "station": 0}
    for n in range(KILLS):
        time.sleep(rng.uniform(0.0, 3.0))
        chosen = rng.choice([("autopilot",), ("station",), ("autopilot", "station")])
        for name in chosen:
            victims[name] += 1
            site.kill(name)
        assert site.integrity() == "ok", f"kill {n + 1}: station database damaged"
        site.check_nothing_lost_or_doubled(drained=False)
        if "autopilot" in chosen:
            site.forget_autopilot_benches()
            _start_autopilot(site, SEED + n + 1)
        if "station" in chosen:
            site.start_station()
    site.kill("autopilot")
    site.wait_drained()
    assert site.integrity() == "ok"
    assert site.check_nothing_lost_or_doubled(drained=True) > KILLS
    assert victims["autopilot"] > 0 and victims["station"] > 0, victims


def _start_autopilot(site: SyncSite, seed: int) -> None:
    """A long autopilot run; returns once it records results (kills then land mid-work,
    not during its start-up)."""
    written = site.outbox_rows()
    pilot = site.autopilot(10_000, seed=seed)
    started = lambda: site.outbox_rows() > written or pilot.poll() is not None  # noqa: E731
    wait_until(started, 180, "the autopilot to record results")
    assert pilot.poll() is None, "the autopilot stopped by itself: see autopilot.log"
