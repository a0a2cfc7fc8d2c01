"""`inbound-station aql ...`: as a user runs it (a real process), and in-process for the rest."""

import json
import os
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from station.cli import app
from station.db import migrate
from station.db.engine import Database
from station.sampling import SamplingError, draw_units
from tests.station.sampling.test_service import _reference

COMMAND = str(Path(sys.executable).parent / "inbound-station")


def run(*args, env=None):
    clean = {k: v for k, v in os.environ.items() if not k.startswith("INBOUND_STATION_")}
    return subprocess.run(
        [COMMAND, *args], capture_output=True, text=True, env={**clean, **(env or {})}, timeout=120
    )


def invoke(*args, env=None):
    return CliRunner().invoke(app, list(args), env=env)


def test_plan_json_from_the_command_line():
    result = run(
        "aql",
        "plan",
        "--lot-size",
        "500",
        "--level",
        "II",
        "--aql",
        "2.5",
        "--severity",
        "normal",
        "--json",
    )
    assert result.returncode == 0, result.stderr
    plan = json.loads(result.stdout)
    assert {k: plan[k] for k in ("code_letter", "sample_size", "accept", "reject")} == {
        "code_letter": "H",
        "sample_size": 50,
        "accept": 3,
        "reject": 4,
    }
    bad = run("aql", "plan", "--lot-size", "100", "--aql", "3")
    assert bad.returncode == 1 and "Traceback" not in bad.stderr
    assert "AQL 3 is not a column of the iso2859-1 tables" in bad.stderr


def test_supervisor_commands_from_the_command_line(tmp_path):
    url = f"sqlite:///{tmp_path / 'station.db'}"
    migrate.upgrade(url)
    database = Database(url)
    _reference(database)
    database.dispose()
    env = {"INBOUND_STATION_DATABASE_URL": url, "INBOUND_STATION_DATA_DIR": str(tmp_path)}
    approved = run("aql", "approve-reduced", "M1", "L1", "--by", "qa-manager", env=env)
    assert approved.returncode == 0 and "approved for M1 / L1" in approved.stdout
    status = json.loads(run("aql", "status", "M1", "L1", "--json", env=env).stdout)
    assert status["severity"] == "normal" and status["discontinued"] is False
    refused = invoke("aql", "resume", "M1", "L1", "--by", "sup", "--reason", "fixed", env=env)
    assert isinstance(refused.exception, SamplingError)
    assert "is not discontinued" in str(refused.exception)


def test_plan_arrow_case_and_readable_forms():
    # Lot 60 at level S-3 is code letter C; reduced, AQL 6.5 -> arrow down to E: 5 units, 1/2.
    plan = json.loads(
        invoke(
            "aql",
            "plan",
            "--lot-size",
            "60",
            "--level",
            "S-3",
            "--aql",
            "6.5",
            "--severity",
            "reduced",
            "--json",
        ).stdout
    )
    assert (plan["lot_code_letter"], plan["code_letter"], plan["sample_size"]) == ("C", "E", 5)
    assert (plan["accept"], plan["reject"], plan["hundred_percent"]) == (1, 2, False)
    one = invoke("aql", "plan", "--lot-size", "4", "--aql", "2.5").stdout
    assert "Code letter A (Table 1); the table's arrow leads to code letter C." in one
    assert "inspect all 4 units (100 %)" in one
    per_class = invoke("aql", "plan", "--lot-size", "1000", "--severity", "tightened").stdout
    assert "draw 80 units" in per_class and "major    AQL 2.5" in per_class
    lot = json.loads(invoke("aql", "plan", "--lot-size", "1000", "--json").stdout)
    assert lot["classes"]["major"] == {"aql": "2.5", "code_letter": "J", "n": 80, "ac": 5, "re": 6}


def test_table_and_draw():
    table = invoke("aql", "table", "--severity", "tightened", "--scheme", "z1.4").stdout
    assert "S 3150" in table and "tightened inspection" in table
    assert invoke("aql", "table", "--letters").stdout.splitlines()[-1].split() == [
        "500001+",
        "D",
        "E",
        "H",
        "K",
        "N",
        "Q",
        "R",
    ]
    drawn = invoke(
        "aql", "draw", "--lot-size", "900", "--sample-size", "20", "--seed", "77", "--json"
    )
    assert json.loads(drawn.stdout) == draw_units(900, 20, 77)
