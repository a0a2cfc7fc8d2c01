"""The systemd units printed for an installation are ones systemd accepts."""

from __future__ import annotations

import configparser
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from station.errors import StationError
from station.operations import systemd

EXPECTED = {
    "station": {"inbound-station-station.service": "serve --role station"},
    "central": {
        "inbound-station-central.service": "serve --role central",
        "inbound-station-webhooks.service": "webhooks run",
    },
}


def installation(tmp_path: Path) -> systemd.Installation:
    return systemd.Installation(
        executable=systemd.executable(),
        config=tmp_path / "station.toml",
        user="inspector",
        group="inspector",
        data_dir=tmp_path / "data",
        evidence_dir=tmp_path / "data" / "evidence",
        backup_dir=tmp_path / "data" / "backups",
    )


def parse(text: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # systemd keys are case-sensitive
    parser.read_string(text)
    return parser


@pytest.mark.parametrize("role", ["station", "central"])
def test_units_have_the_paths_filled_in(role, tmp_path):
    units = systemd.units(role, installation(tmp_path))
    for name, command in EXPECTED[role].items():
        unit = parse(units[name])
        exec_start = unit["Service"]["ExecStart"]
        assert exec_start == f"{systemd.executable()} {command}"
        assert unit["Service"]["User"] == "inspector"
        assert unit["Service"]["Environment"] == f"INBOUND_STATION_CONFIG={tmp_path}/station.toml"
        assert unit["Install"]["WantedBy"] == "multi-user.target"
    assert not any("@" in text.replace("@.service", "") for text in units.values())


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze absent")
@pytest.mark.parametrize("role", ["station", "central"])
def test_systemd_analyze_verify_accepts_the_units(role, tmp_path):
    folder = tmp_path / "units"
    folder.mkdir()
    for name, text in systemd.units(role, installation(tmp_path)).items():
        (folder / name).write_text(text)
    for unit in sorted(folder.iterdir()):
        result = subprocess.run(
            ["systemd-analyze", "verify", str(unit)], capture_output=True, text=True, timeout=120
        )
        assert result.returncode == 0, result.stderr
        assert "Unknown key" not in result.stderr and "Unknown section" not in result.stderr


def test_paths_with_spaces_are_refused(tmp_path):
    spaced = installation(tmp_path / "my data")
    with pytest.raises(StationError, match="space"):
        systemd.units("station", spaced)


def test_print_command_writes_the_units(tmp_path):
    command = str(Path(sys.executable).parent / "inbound-station")
    env = {"PATH": "/usr/bin:/bin", "INBOUND_STATION_DATA_DIR": str(tmp_path)}
    result = subprocess.run(
        [
            command,
            "systemd",
            "print",
            "--role",
            "central",
            "--user",
            "inspector",
            "--out",
            str(tmp_path / "units"),
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in (tmp_path / "units").iterdir()) == sorted(
        systemd.UNITS["central"]
    )
    unit = parse((tmp_path / "units" / "inbound-station-central.service").read_text())
    assert unit["Service"]["ReadWritePaths"].startswith(f"-{tmp_path}")
