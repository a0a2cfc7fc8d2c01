"""SIGKILL at random moments: the autopilot (inspections being written), the station
server (its pusher mid-sync) or both. After every kill the station's database is
intact, every committed result has its outbox row, and central holds nothing twice
and nothing the station did not make; at the end everything has arrived.

SYNC_KILLS sets how many kills (the issue's 50 by default), SYNC_KILL_SEED the random
moments (printed, to repeat a run). A restarted autopilot abandons the shipment the
killed one left open (as after a power cut at a real bench) and starts a new one."""

from __future__ import annotations

import os
import random
import time

import pytest

from tests.e2e.sync_site import SyncSite, wait_until

pytestmark = [pytest.mark.postgres, pytest.mark.slow, pytest.mark.timeout(1800)]
KILLS = int(os.environ.get("SYNC_KILLS", "50"))
SEED = int(os.environ.get("SYNC_KILL_SEED", str(random.randrange(10**6))))


def test_killed_again_and_again_nothing_is_lost_or_doubled(site):
    print(f"SYNC_KILL_SEED={SEED} SYNC_KILLS={KILLS}")
    rng = random.Random(SEED)
    site.start_central()
    site.start_station()
    pilot = site.autopilot(10_000, seed=SEED)
    _wait_working(site, pilot, site.outbox_rows())
    victims = {"autopilot": 0, "station": 0}
    for n in range(KILLS):
        # Both run all the time: the autopilot writes a step every few milliseconds and
        # the pusher sends what it wrote, so any moment is mid-inspection and mid-sync.
        time.sleep(rng.uniform(0.1, 1.5))
        chosen = rng.choice([("autopilot",), ("station",), ("autopilot", "station")])
        for name in chosen:
            victims[name] += 1
            site.kill(name)
        assert site.integrity() == "ok", f"kill {n + 1}: station database damaged"
        site.check_nothing_lost_or_doubled(drained=False)
        written = site.outbox_rows()
        if "station" in chosen:
            site.start_station(wait=False)
        if "autopilot" in chosen:
            pilot = site.autopilot(10_000, seed=SEED + n + 1)
        if "station" in chosen:
            site.wait_station()
        _wait_working(site, pilot, written)
    site.kill("autopilot")
    site.wait_drained()
    assert site.integrity() == "ok"
    assert site.check_nothing_lost_or_doubled(drained=True) > KILLS
    assert victims["autopilot"] > 0 and victims["station"] > 0, victims


def _wait_working(site: SyncSite, pilot, written: int) -> None:
    """Until the autopilot records results again (so the next kill lands mid-work, not
    during a start-up)."""
    started = lambda: site.outbox_rows() > written or pilot.poll() is not None  # noqa: E731
    wait_until(started, 180, "the autopilot to record results")
    assert pilot.poll() is None, "the autopilot stopped by itself: see autopilot.log"
