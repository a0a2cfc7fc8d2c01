"""Headless use as a user runs it: `autopilot` on an empty database, `inspect --script`,
then the review queue and the reports, each a real `inbound-station` process."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from station.errors import StationError
from station.identifiers import shipment_qr_payload
from station.sample.load import sample_file
from station.workflow.script import ScriptError, read_script

COMMAND = str(Path(sys.executable).parent / "inbound-station")
KEY = "warehouse-secret"


def run(data_dir: Path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("INBOUND_STATION_")}
    env["INBOUND_STATION_DATA_DIR"] = str(data_dir)
    env["INBOUND_STATION_IDENTIFIERS__SHIPMENT_QR_KEY"] = KEY
    return subprocess.run([COMMAND, *args], capture_output=True, text=True, env=env, timeout=300)


@pytest.mark.slow
def test_autopilot_then_a_script_then_review_and_reports(tmp_path):
    result = run(tmp_path, "autopilot", "--count", "9", "--seed", "7", "--devices", "direct")
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    assert "empty database: loading the sample data" in out
    assert "9 inspections, 9 as expected" in out
    for scenario in (
        "pass",
        "weight_out_of_tolerance",
        "wrong_product",
        "unauthorised_brand",
        "expired_authorisation",
        "outside_paid_category",
        "untraceable_parcel",
        "duplicate_serial",
        "expired_goods",
    ):
        assert f"ok  {scenario}" in out

    with sample_file("shipments").open() as fh:
        tracked = next(row for row in csv.DictReader(fh) if row["tracking_number"])
    untraceable = json.loads(sample_file("scenarios").read_text())["untraceable_parcel"][1]
    script = tmp_path / "bench.jsonl"
    lines = [
        "# a parcel nobody announced, then a shipment without a tracking id",
        {"type": "sign_in", "operator": "ann"},
        {"type": "scan", "text": "SF999999999999"},
        {"type": "scan", "text": shipment_qr_payload(untraceable, KEY)},
        {"type": "scan", "text": tracked["tracking_number"]},
        {"type": "count", "quantity": int(tracked["quantity"])},
        {"type": "device", "device": "scale-1", "kind": "scale", "state": "disconnected"},
        {"type": "scan", "text": "ISCMD:SUPERVISOR"},
        {"type": "answer", "question": "supervisor", "value": "wei"},
        {"type": "photo", "render": {"listing": tracked["listing_id"], "face": "front"}},
    ]
    script.write_text("\n".join(x if isinstance(x, str) else json.dumps(x) for x in lines))
    result = run(tmp_path, "inspect", "--script", str(script), "--station", "SZ1-B01")
    assert result.returncode == 0, result.stderr
    assert "cannot be traced" in result.stdout and "no tracking number" in result.stdout
    assert "bench cli: inspecting after" in result.stdout
    assert "Supervisor wei allows going on without: scale" in result.stdout

    csv_file = tmp_path / "results.csv"
    assert run(tmp_path, "report", "csv", "--out", str(csv_file)).returncode == 0
    rows = csv_file.read_text().splitlines()
    assert rows[0].startswith("inspection_id,scope") and len(rows) > 40
    score = run(tmp_path, "report", "scorecard", "--by", "category", "--period", "month")
    assert score.returncode == 0, score.stderr
    header, *data = score.stdout.splitlines()
    assert header.startswith("category") and data and all("%" in row for row in data)
    queue = run(tmp_path, "review", "queue")
    assert queue.returncode == 0 and "waiting" in queue.stdout


@pytest.mark.slow
def test_autopilot_through_the_simulated_scale_and_scanner(tmp_path):
    result = run(
        tmp_path,
        "autopilot",
        "--count",
        "1",
        "--scenario",
        "weight_out_of_tolerance",
        "--seed",
        "5",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "ok  weight_out_of_tolerance" in result.stdout
    assert "1 inspections, 1 as expected" in result.stdout


def test_script_errors_name_the_line(tmp_path, evidence):
    script = tmp_path / "bad.jsonl"
    script.write_text('{"type": "sign_in", "operator": "ann"}\n{"type": "weight", "stable": 1}\n')
    with pytest.raises(ScriptError, match=r"bad.jsonl, line 2: milligrams: Field required"):
        read_script(script, evidence)
    script.write_text('{"type": "unit_evaluated", "verdict": "pass"}\n')
    with pytest.raises(ScriptError, match='line 1: needs a "type"'):
        read_script(script, evidence)
    script.write_text("not json\n")
    with pytest.raises(StationError, match="line 1: not JSON"):
        read_script(script, evidence)
