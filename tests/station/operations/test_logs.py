"""JSON log lines: one object per record, carrying the inspection a bench works on."""

from __future__ import annotations

import json
import logging
import uuid

import pytest

from station.errors import SettingsError
from station.logs import configure_logging, inspection_in_context
from station.settings import load_settings
from station.workflow import effects as fx
from station.workflow.records import Bench, carry_out
from station.workflow.state import BenchState, UnitState


@pytest.fixture
def restore_logging():
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


def lines(err: str) -> list[dict]:
    return [json.loads(line) for line in err.splitlines() if line.strip()]


def test_json_lines_carry_time_level_logger_message_and_inspection(capsys, restore_logging):
    configure_logging("INFO", json_lines=True)
    log = logging.getLogger("station.test")
    inspection = uuid.uuid4()
    log.info("outside")
    with inspection_in_context(inspection):
        log.warning("scale %s unstable", "S1")
    log.info("after")
    outside, inside, after = lines(capsys.readouterr().err)
    assert inside["message"] == "scale S1 unstable"
    assert inside["level"] == "WARNING" and inside["logger"] == "station.test"
    assert inside["inspection_id"] == str(inspection)
    assert "time" in inside and inside["time"].endswith("+00:00")
    assert "inspection_id" not in outside and "inspection_id" not in after


def test_text_lines_name_the_inspection_too(capsys, restore_logging):
    configure_logging("INFO", json_lines=False)
    with inspection_in_context("0199-abc"):
        logging.getLogger("station.test").info("weighed")
    assert "[inspection 0199-abc]: weighed" in capsys.readouterr().err


def test_the_bench_names_the_inspection_it_works_on(sqlite_db, capsys, restore_logging):
    configure_logging("DEBUG", json_lines=True)
    inspection = uuid.uuid4()
    state = BenchState(unit=UnitState(unit_no=1, index=0, inspection_id=inspection))
    bench = Bench(bench_id="B1", station_id=None, warehouse_id=None, vision=None, sampling=None)
    with sqlite_db.transaction() as session:
        carry_out(session, bench, state, fx.Audit(actor="op", action="test", detail={}))
    records = [r for r in lines(capsys.readouterr().err) if r["logger"].startswith("station.")]
    assert records and all(r["inspection_id"] == str(inspection) for r in records)


def test_log_format_setting(monkeypatch):
    monkeypatch.setenv("INBOUND_STATION_LOG__FORMAT", "json")
    assert load_settings().log.as_json
    monkeypatch.setenv("INBOUND_STATION_LOG__FORMAT", "xml")
    with pytest.raises(SettingsError, match="log.format"):
        load_settings()
    monkeypatch.delenv("INBOUND_STATION_LOG__FORMAT")
    assert not load_settings().log.as_json
