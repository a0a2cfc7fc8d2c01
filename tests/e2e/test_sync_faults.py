"""1,000 results with photos through a link that misbehaves on purpose (latency, dropped
connections, resets, half-open connections, cut-off answers): each arrives once."""

from __future__ import annotations

import os

import pytest

from station.evidence import EvidenceStore
from tests.support.fault_proxy import FaultProxy, Faults
from tests.support.sync_records import fill_outbox

pytestmark = [pytest.mark.postgres, pytest.mark.slow, pytest.mark.timeout(1200)]
RESULTS = int(os.environ.get("SYNC_FAULT_RESULTS", "1000"))
FAULTS = Faults(latency=0.005, jitter=0.01, drop=0.03, reset=0.01, half_open=0.003, truncate=0.02)


def test_a_thousand_results_through_a_faulty_link_arrive_once(site):
    assert site.autopilot(1, seed=11).wait(timeout=300) == 0  # real records to clone
    made = site.outbox_rows()
    fill_outbox(site.station, EvidenceStore(site.station_dir / "evidence"), RESULTS - made,
                photo_bytes=24_000)  # fmt: skip
    site.start_central()
    with FaultProxy(upstream=("127.0.0.1", site.central_port), faults=FAULTS, seed=9) as proxy:
        site.station_env_extra = {"sync__central_url": proxy.url, "sync__timeout_seconds": "3"}
        site.start_station()
        site.wait_drained(timeout=900)
        stats = proxy.stats
    assert site.check_outbox_arrived_once() == RESULTS
    assert stats.dropped and stats.reset and stats.truncated and stats.half_open, stats
