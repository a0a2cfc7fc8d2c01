"""`pip install .` gives a working command with config/ installed alongside."""

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(out),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    return next(out.glob("inbound_station-*.whl"))


def test_wheel_carries_packages_config_and_command(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for needed in (
        "station/_config/defaults.toml",
        "station/_config/sample/listings.json",
        "station/db/migrations/env.py",
        "api/templates/login.html",
        "api/templates/bench/bench.html",
        "api/i18n/zh.json",
        "api/static/screens.css",
        "drivers/__init__.py",
        "vision/__init__.py",
    ):
        assert needed in names, needed
    assert not any(n.startswith("tests/") for n in names)
    entry = next(n for n in names if n.endswith("entry_points.txt"))
    assert "inbound-station = station.cli:main" in zipfile.ZipFile(wheel).read(entry).decode()


def test_installed_copy_finds_its_config(wheel, tmp_path):
    target = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--no-deps",
            "-q",
            "--target",
            str(target),
            str(wheel),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    code = (
        "from station.paths import config_dir; from station.settings import load_settings; "
        "print(config_dir()); print(load_settings().role)"
    )
    env = {**os.environ, "PYTHONPATH": str(target)}
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [str(target / "station" / "_config"), "all-in-one"]


def test_installed_command_runs_from_the_wheel_alone(wheel, tmp_path):
    """The console script from the wheel, away from the source tree: help, version,
    and a migrated database in a fresh data folder."""
    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target)]
        + [str(wheel)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    command = target / "bin" / "inbound-station"
    env = {k: v for k, v in os.environ.items() if not k.startswith("INBOUND_STATION_")}
    env |= {"PYTHONPATH": str(target), "INBOUND_STATION_DATA_DIR": str(tmp_path / "data")}

    def run(*args: str) -> str:
        result = subprocess.run(
            [str(command), *args], cwd=tmp_path, env=env, capture_output=True, text=True
        )
        assert result.returncode == 0, f"{args}: {result.stdout}{result.stderr}"
        return result.stdout

    assert all(name in run("--help") for name in ("serve", "migrate", "import", "version"))
    assert run("version").strip()
    run("migrate")
    assert (tmp_path / "data" / "station.db").stat().st_size > 0
    assert (target / "api" / "static" / "screens.css").is_file()
    assert (target / "api" / "templates" / "bench" / "bench.html").is_file()
