"""`inbound-station demo` as a person runs it: a real process on a free port with its own
data folder; signed in over HTTP; stopped with Ctrl-C (SIGINT) and started again."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select, text

from station.demo.prepare import DEMO_USERS
from station.workflow.autopilot import SCENARIOS
from tests.support.demo import Demo, signed_in


def counts(data_dir: Path) -> dict[str, int]:
    engine = create_engine(f"sqlite:///{data_dir}/station.db")
    with engine.connect() as db:
        found = {
            name: db.scalar(select(func.count()).select_from(text(name)))
            for name in ("users", "listings", "shipments", "lots", "inspections")
        }
        # Each autopilot inspection announces its own shipment (AP-...).
        found["autopilot_shipments"] = db.scalar(
            text("select count(*) from shipments where id like 'AP-%'")
        )
        states = db.execute(
            text("select state from bench_sessions where bench_id like 'autopilot-%'")
        ).scalars()
        found["benches_holding_work"] = sum(
            json.loads(s).get("shipment") is not None
            if isinstance(s, str)
            else bool(s.get("shipment"))
            for s in states
        )
    engine.dispose()
    return found


@pytest.fixture
def data_dir(tmp_path) -> Path:
    return tmp_path / "demo"


def test_the_demo_serves_the_bench_with_its_panel_and_the_dashboard(data_dir):
    demo = Demo(data_dir)
    try:
        demo.wait_healthy()
        out = demo.output()
        assert demo.url in out
        for username, _role, password, _station in DEMO_USERS:
            assert f"{username} / {password}" in out
        operator = signed_in(demo.url, "operator", "demo-operator")
        deadline = time.monotonic() + 60  # the devices open in the background
        while True:
            bench = operator.get("/bench")
            assert bench.status_code == 200
            page = bench.text
            if page.count('data-state="ready"') == 3 or time.monotonic() > deadline:
                break
            time.sleep(1)
        assert 'id="simulated-devices"' in page
        # The sample shipments waiting at HZ1-B01's warehouse, by their parcel labels.
        assert "EE729871127CN" in page and "ASN-20261124" in page
        # The simulated devices are wired to the bench through the real drivers.
        assert page.count('data-state="ready"') == 3, page
        dashboard = signed_in(demo.url, "supervisor", "demo-supervisor").get("/dashboard")
        assert dashboard.status_code == 200
    finally:
        code = demo.interrupt()
    assert code in (0, 130)
    assert "Traceback" not in demo.stop_output(), demo.output()


@pytest.mark.slow
@pytest.mark.timeout(1800)  # nine inspections and a restart, on a shared machine
def test_autopilot_fills_the_dashboard_and_ctrl_c_keeps_everything(data_dir):
    # The autopilot's cases, not the visual checks (their own tests), are what is checked.
    first = Demo(data_dir, "--autopilot", "9", visual_checks=False)
    try:
        first.wait_for(r"autopilot done: 9 inspections, 9 as expected", timeout=1500)
        out = first.output()
        for scenario in SCENARIOS:
            assert re.search(rf"autopilot \d/9 ok {scenario}:", out), out
        supervisor = signed_in(first.url, "supervisor", "demo-supervisor")
        assert supervisor.get("/dashboard").status_code == 200
        queue = supervisor.get("/dashboard/review")
        assert queue.status_code == 200
    finally:
        code = first.interrupt()
    assert code in (0, 130), first.output()
    assert "Traceback" not in first.stop_output(), first.output()
    assert "demo stopped" in first.output()
    before = counts(data_dir)
    assert before["autopilot_shipments"] == 9
    assert before["users"] == len(DEMO_USERS)

    # Again, and Ctrl-C while the autopilot is in the middle of its work.
    second = Demo(data_dir, "--autopilot", "5")
    try:
        second.wait_healthy()
        second.wait_for(r"autopilot 1/5 ")
        code = second.interrupt()
    finally:
        second.stop_quietly()
    out = second.output()
    assert code in (0, 130), out
    assert "Traceback" not in second.stop_output(), out
    assert "loading the sample data" not in out
    after = counts(data_dir)
    assert after["users"] == before["users"] and after["listings"] == before["listings"]
    assert 10 <= after["autopilot_shipments"] <= 14
    assert after["inspections"] > before["inspections"]
    assert after["benches_holding_work"] == 0
