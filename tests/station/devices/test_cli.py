"""The devices and sim commands as a user runs them: real processes, real pseudo-terminals."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
import pytest

from drivers.sim.scale import ScaleSimulator
from drivers.sim.scenario import send_order
from station.cli import main

COMMAND = str(Path(sys.executable).parent / "inbound-station")


def clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("INBOUND_STATION_")}
    return {**env, **extra}


@dataclass
class Result:
    returncode: int
    stdout: str
    stderr: str


@pytest.fixture
def cli(capsys, monkeypatch) -> Callable[..., Result]:
    """Run the command in this process (the same entry point, without the start-up cost)."""
    for name in [n for n in os.environ if n.startswith("INBOUND_STATION_")]:
        monkeypatch.delenv(name)

    def invoke(*args: str) -> Result:
        capsys.readouterr()
        monkeypatch.setattr(sys, "argv", ["inbound-station", *args])
        try:
            main()
            code = 0
        except SystemExit as exit:
            code = exit.code or 0
        out = capsys.readouterr()
        return Result(int(code), out.out, out.err)

    return invoke


@contextmanager
def simulator(*args: str) -> Iterator[str]:
    """Run `inbound-station sim ...` until its banner; stop it (SIGTERM) afterwards."""
    proc = subprocess.Popen(
        [COMMAND, "sim", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env=clean_env(),
    )  # fmt: skip
    try:
        banner = proc.stdout.readline()
        assert banner, proc.stderr.read()
        yield banner.strip()
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(10)


def test_sim_scale_and_devices_read_json(tmp_path: Path, cli):
    link, control = tmp_path / "scale", tmp_path / "scale.sock"
    with simulator("scale", "--protocol", "mt-sics", "--link", str(link), "--grams", "168.2",
                   "--control", str(control)) as banner:  # fmt: skip
        assert "mt-sics scale on" in banner and "/dev/pts/" in banner
        result = cli("devices", "read", "--kind", "scale", "--protocol", "mt-sics",
                     "--port", str(link), "--count", "3", "--json")  # fmt: skip
        assert result.returncode == 0, result.stderr
        lines = [json.loads(line) for line in result.stdout.splitlines()]
        assert len(lines) == 3
        assert {(r["grams"], r["stable"], r["status"]) for r in lines} == {("168.2", True, "ok")}
        assert send_order(control, {"do": "overload"}) == {"ok": True}
        assert "unknown order" in send_order(control, {"do": "explode"})["error"]
        time.sleep(0.3)
        over = cli("devices", "read", "--kind", "scale", "--protocol", "mt-sics",
                   "--port", str(link), "--count", "1", "--json")  # fmt: skip
        assert json.loads(over.stdout)["status"] == "overload"
        assert json.loads(over.stdout)["grams"] is None

        probe = cli("devices", "probe", str(link), "--protocol", "mt-sics")
        assert probe.returncode == 0 and "yes mt-sics: serial number 0123456789" in probe.stdout

        wrong = cli("devices", "read", "--kind", "scale", "--protocol", "sma",
                    "--port", str(link), "--count", "1", "--timeout", "2")  # fmt: skip
        assert wrong.returncode == 1 and wrong.stdout == ""
        assert "expected SMA records" in wrong.stderr or "no answer" in wrong.stderr
    assert not link.exists()  # the simulator took its link away


def test_sim_scanner_and_devices_read_scanner(tmp_path: Path, cli):
    link, control = tmp_path / "scanner", tmp_path / "scanner.sock"
    with simulator("scanner", "--link", str(link), "--control", str(control)):
        step = {"do": "scan", "text": "\x1d0109501101530003\x1d10LOT-7", "aim": "]d2"}
        later = threading.Timer(1.0, send_order, (control, step))
        later.start()
        result = cli("devices", "read", "--kind", "scanner", "--port", str(link), "--count", "1",
                     "--json")  # fmt: skip
        later.join()
    scan = json.loads(result.stdout)
    assert scan["text"] == "0109501101530003\x1d10LOT-7"
    assert (scan["symbology"], scan["aim"], scan["gs1"]) == ("GS1 DataMatrix", "]d2", True)


def test_devices_lists_the_configured_devices(tmp_path: Path, cli, monkeypatch):
    link = tmp_path / "scale"
    devices = tmp_path / "devices.toml"
    devices.write_text(
        f'[devices.bench-scale]\nrole = "scale"\nprotocol = "sma"\npath = "{link}"\n'
        f'[devices.gone]\nrole = "scanner"\npath = "{tmp_path / "absent"}"\n'
    )
    sim = ScaleSimulator("sma", link).start()
    sim.place(500, 0)
    monkeypatch.setenv("INBOUND_STATION_DEVICES__FILE", str(devices))
    try:
        result = cli("devices", "--wait", "1.0", "--json")
        text = cli("devices", "--wait", "0.5")
    finally:
        sim.stop()
    assert result.returncode == 0, result.stderr
    records = {r["name"]: r for r in map(json.loads, result.stdout.splitlines())}
    assert records["bench-scale"]["state"] == "ready"
    assert records["bench-scale"]["last"]["grams"] == "500"
    assert records["bench-scale"]["reconnects"] == 0
    assert records["gone"]["state"] == "disconnected"
    assert "does not exist" in records["gone"]["reason"]
    assert "last reading: 500 g (ok, stable)   reconnects: 0" in text.stdout


def test_no_devices_file_says_where_it_looked(tmp_path: Path, cli, monkeypatch):
    monkeypatch.setenv("INBOUND_STATION_DATA_DIR", str(tmp_path))
    result = cli("devices")
    assert result.returncode == 0
    assert f"no devices configured in {tmp_path / 'devices.toml'}" in result.stdout


def test_sim_camera_serves_mjpeg_to_opencv(tmp_path: Path):
    for i in range(2):
        cv2.imwrite(str(tmp_path / f"{i}.png"), np.full((48, 64, 3), i * 80 + 40, np.uint8))
    with simulator("camera", "--images", str(tmp_path), "--fps", "20") as banner:
        url = banner.split("camera on ")[1]
        assert url.startswith("http://127.0.0.1:")
        capture = cv2.VideoCapture(url, cv2.CAP_FFMPEG)
        ok, image = capture.read()
        capture.release()
    assert ok and image.shape == (48, 64, 3)


def test_bad_input_gets_a_message_not_a_traceback(tmp_path: Path, cli):
    result = cli("devices", "read", "--kind", "scale", "--protocol", "mettler", "--port", "/dev/x")
    assert result.returncode == 1 and "--protocol 'mettler': expected one of" in result.stderr
    result = cli("sim", "scale", "--protocol", "nope", "--link", str(tmp_path / "x"))
    assert result.returncode == 1 and "no simulator for protocol 'nope'" in result.stderr
    result = cli("devices", "probe", str(tmp_path / "absent"))
    assert result.returncode == 1 and "does not exist" in result.stderr
    result = cli("sim", "scale", "--protocol", "sma", "--link", str(tmp_path / "y"),
                 "--scenario", str(tmp_path / "absent.toml"))  # fmt: skip
    assert result.returncode == 1 and "absent.toml" in result.stderr
    assert not (tmp_path / "y").exists()
