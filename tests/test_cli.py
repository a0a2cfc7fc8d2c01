"""The command line as a user runs it: a real process, real files."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

COMMAND = str(Path(sys.executable).parent / "inbound-station")


def run(*args: str, env: dict | None = None, cwd=None) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("INBOUND_STATION_")}
    return subprocess.run(
        [COMMAND, *args],
        capture_output=True,
        text=True,
        env={**clean, **(env or {})},
        cwd=cwd,
        timeout=120,
    )


def test_help_lists_the_commands():
    result = run("--help")
    assert result.returncode == 0
    for command in ("serve", "migrate", "import", "version", "sample", "settings"):
        assert command in result.stdout
    serve = run("serve", "--help").stdout
    for option in ("--host", "--port", "--role", "--config"):
        assert option in serve


def test_version():
    from station import __version__

    assert run("version").stdout.strip() == __version__


def test_migrate_import_and_out_of_date_serve(tmp_path: Path):
    env = {"INBOUND_STATION_DATA_DIR": str(tmp_path)}
    refused = run("serve", "--port", "8999", env=env)
    assert refused.returncode == 1
    assert "run `inbound-station migrate` first" in refused.stderr
    assert "Traceback" not in refused.stderr
    assert "migrated from empty" in run("migrate", env=env).stdout
    assert "nothing to do" in run("migrate", env=env).stdout
    (tmp_path / "wh.csv").write_text("id,name,timezone\nWH9,Hub nine,Europe/Berlin\n")
    result = run("import", "warehouses", str(tmp_path / "wh.csv"), env=env)
    assert result.returncode == 0 and "1 created" in result.stdout
    (tmp_path / "bad.csv").write_text("id,name,timezone\nWH8,Hub,Mars/Olympus\n")
    result = run("import", "warehouses", str(tmp_path / "bad.csv"), env=env)
    assert result.returncode == 1
    assert "line 2, field timezone: unknown time zone 'Mars/Olympus'" in result.stderr


def test_settings_errors_stop_with_a_message(tmp_path: Path):
    config = tmp_path / "site.toml"
    config.write_text("[server]\nport = 0\n")
    result = run("--config", str(config), "settings")
    assert result.returncode == 1
    assert f"server.port (from {config})" in result.stderr and "Traceback" not in result.stderr
    result = run("settings", env={"INBOUND_STATION_ROLE": "robot"})
    assert "environment variable INBOUND_STATION_ROLE" in result.stderr


@pytest.mark.slow
def test_sample_load_twice_changes_nothing(tmp_path: Path):
    env = {"INBOUND_STATION_DATA_DIR": str(tmp_path)}
    run("migrate", env=env)
    first = run("sample", "load", env=env)
    assert first.returncode == 0, first.stderr
    assert "100 created" in first.stdout and "34 created" in first.stdout
    second = run("sample", "load", env=env)
    assert " created" not in second.stdout.replace("0 created", "")
    assert second.stdout.count("0 updated") == 8
