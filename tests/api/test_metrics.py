"""GET /metrics: Prometheus text a scraper can parse, only for keys allowed to read it."""

from __future__ import annotations

from datetime import timedelta

import pytest

from station.clock import FixedClock, set_clock
from station.db.engine import Database
from station.fleet.models import Device, DeviceKind
from station.inspection.models import Inspection, Verdict
from station.operations import metrics
from tests.api.support import START, make_results


def parse(text: str) -> dict[str, float]:
    """Sample lines as {'name{labels}': value}; fails on a line the format does not allow."""
    samples = {}
    for line in text.splitlines():
        if line.startswith("# HELP ") or line.startswith("# TYPE "):
            continue
        name, value = line.rsplit(" ", 1)
        assert name.startswith("inbound_station_"), line
        samples[name] = float(value)
    return samples


@pytest.fixture
def at_start_plus_50_min():
    clock = FixedClock(START + timedelta(minutes=50))
    previous = set_clock(clock)
    yield clock
    set_clock(previous)


def test_metrics_show_inspections_verdicts_backlog_and_devices(world, at_start_plus_50_min):
    world.client.post(
        "/v1/webhook-subscriptions",
        json={"url": "http://127.0.0.1:9/hook", "event_types": ["inspection.completed"]},
        headers=world.admin,
    ).raise_for_status()
    results = make_results(world.db, world.runtime.evidence)  # 10, 2 fail, in 41 minutes
    with world.db.transaction() as session:  # a supervisor overrides one failed unit
        overridden = session.get(Inspection, results.inspections["WH1"][2])
        assert overridden.verdict is Verdict.FAIL
        overridden.final_verdict = Verdict.PASS
    with world.db.transaction() as session:
        session.add(
            Device(
                station_id="ST1",
                name="scale1",
                kind=DeviceKind.SCALE,
                protocol="x",
                path="/dev/inbound/scale",
                state="disconnected",
                reconnects=3,
            )
        )
    response = world.client.get("/metrics", headers=world.auth("metrics:read"))
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/plain; version=0.0.4")
    got = parse(response.text)
    assert got["inbound_station_inspections_last_hour"] == 10
    assert got['inbound_station_verdicts_last_hour{verdict="pass"}'] == 8
    assert got['inbound_station_verdicts_last_hour{verdict="fail"}'] == 2
    assert got['inbound_station_verdicts_last_hour{verdict="review"}'] == 0
    assert got['inbound_station_final_verdicts_last_hour{verdict="fail"}'] == 1
    assert got['inbound_station_final_verdicts_last_hour{verdict="pass"}'] == 9
    assert got["inbound_station_webhook_backlog"] == 10
    assert got["inbound_station_webhook_oldest_pending_seconds"] >= 0
    state = 'device="scale1",kind="scale",state="disconnected",station="ST1"'
    assert got[f"inbound_station_device_state{{{state}}}"] == 1
    device = 'device="scale1",kind="scale",station="ST1"'
    assert got[f"inbound_station_device_reconnects_total{{{device}}}"] == 3
    assert all(v == 1 for k, v in got.items() if k.startswith("inbound_station_collector_up"))


def test_metrics_need_a_key_with_the_scope(api):
    assert api.client.get("/metrics").status_code == 401
    refused = api.client.get("/metrics", headers=api.auth("results:read"))
    assert refused.status_code == 403
    assert "metrics:read" in refused.json()["detail"]
    assert api.client.get("/metrics", headers=api.admin).status_code == 200


def test_loopback_may_scrape_without_a_key_when_allowed(api):
    # The test client calls from "testclient", not a loopback address.
    api.runtime.settings.operations.metrics_from_loopback = True
    assert api.client.get("/metrics").status_code == 401
    from fastapi.testclient import TestClient

    from api.main import create_app

    local = TestClient(create_app(api.runtime), client=("127.0.0.1", 50000))
    assert local.get("/metrics").status_code == 200


def test_a_failing_collector_is_reported_and_the_rest_still_shown(api):
    def broken(runtime):
        raise RuntimeError("no table")
        yield  # pragma: no cover

    text = metrics.render(metrics.collect(api.runtime, [metrics.info, broken]))
    got = parse(text)
    assert got['inbound_station_collector_up{collector="broken"}'] == 0
    assert got['inbound_station_collector_up{collector="info"}'] == 1
    assert any(k.startswith("inbound_station_info{") for k in got)


def test_label_values_are_escaped():
    series = metrics.Series("x", "gauge", "help").add(1, name='a "quoted"\\ new\nline')
    assert metrics.render([series]).splitlines()[-1] == (
        'inbound_station_x{name="a \\"quoted\\"\\\\ new\\nline"} 1'
    )


def test_a_station_shows_its_outbox_depth_and_sync_lag(world, at_start_plus_50_min):
    station_db = Database(world.db.url, sync_outbox=True)
    try:
        make_results(station_db, world.runtime.evidence)  # 10 inspections + a lot decision
    finally:
        station_db.dispose()
    world.runtime.settings.role = "station"
    at_start_plus_50_min.advance(90)  # the outbox rows were written 90 s ago
    got = parse(world.client.get("/metrics", headers=world.admin).text)
    assert got["inbound_station_outbox_depth"] == 11
    assert got["inbound_station_sync_lag_seconds"] == 90
    assert got["inbound_station_sync_offline"] == 0
    assert got["inbound_station_disk_free_bytes"] > 0
    assert got['inbound_station_collector_up{collector="sync"}'] == 1


def test_central_shows_when_each_station_was_last_heard(api, at_start_plus_50_min):
    from station.ids import uuid7
    from station.sync.models import ReceivedRecord

    with api.db.transaction() as session:
        for seq, station in enumerate(["ST1", "ST1", "ST2"]):
            session.add(
                ReceivedRecord(record_id=uuid7(), station_id=station, seq=seq, kind="event")
            )
        session.flush()
        at_start_plus_50_min.advance(600)
        session.add(ReceivedRecord(record_id=uuid7(), station_id="ST2", seq=9, kind="event"))
    at_start_plus_50_min.advance(30)
    api.runtime.settings.role = "central"
    got = parse(api.client.get("/metrics", headers=api.admin).text)
    assert got['inbound_station_station_last_sync_seconds{station="ST1"}'] == 630
    assert got['inbound_station_station_last_sync_seconds{station="ST2"}'] == 30
    assert "inbound_station_outbox_depth" not in got
