"""Continuous modes of poll devices, commands from the bench, scenarios and control orders."""

from __future__ import annotations

import threading
import time
from decimal import Decimal
from pathlib import Path

import pytest

from drivers.errors import DriverError
from drivers.readings import StableWeight, WeightReading
from drivers.scales.worker import ScaleSpec
from drivers.sim.pan import Pan
from drivers.sim.scale import ScaleSimulator
from drivers.sim.scale_devices import MtSicsDevice
from drivers.sim.scenario import ControlSocket, load_scenario, play, send_order
from station.paths import config_dir
from tests.drivers.conftest import QUICK, state_is


@pytest.mark.parametrize(
    "protocol, options", [("mt-sics", {}), ("sma", {}), ("adam", {"continuous": True})]
)
def test_continuous_mode(protocol, options, tmp_path, run_bench, simulators):
    sim = ScaleSimulator(protocol, tmp_path / "scale", **options).start()
    simulators.append(sim)
    sim.place(250.0, 0)
    spec = ScaleSpec("scale", str(tmp_path / "scale"), protocol, mode="continuous")
    _, rec = run_bench(scales=[spec])
    rec.wait_for(lambda e: isinstance(e, WeightReading) and e.milligrams == 250_000)
    time.sleep(0.5)
    assert len([r for r in rec.weights() if r.milligrams == 250_000]) >= 3  # a stream


def test_sir_stream_stops_with_one_more_line():
    device, pan = MtSicsDevice(), Pan(unit="g", decimals=2)
    pan.place(10, 0)
    assert device.receive(b"SIR\r\n", pan.state()) == [b"S S      10.00 g\r\n"]
    assert device.stream(pan.state()) == b"S S      10.00 g\r\n"
    assert device.receive(b"@\r\n", pan.state()) == [b"S S      10.00 g\r\n",
                                                     b'I4 A "0123456789"\r\n']  # fmt: skip
    assert device.stream(pan.state()) is None


def test_tare_requested_through_the_bench(tmp_path, run_bench, simulators):
    sim = ScaleSimulator("mt-sics", tmp_path / "scale").start()
    simulators.append(sim)
    sim.place(80.0, 0)
    bench, rec = run_bench(scales=[ScaleSpec("scale", str(tmp_path / "scale"), "mt-sics")])
    rec.wait_for(lambda e: isinstance(e, WeightReading) and e.milligrams == 80_000)
    mark = time.monotonic()
    bench.request("scale", "tare")
    net = rec.wait_for(lambda e: isinstance(e, WeightReading) and e.milligrams == 0, after=mark)
    assert net.value == 0 and net.stable
    with pytest.raises(DriverError, match="no scale named"):
        bench.request("camera", "tare")


def test_a_scenario_file_drives_a_simulated_scale(tmp_path, run_bench, simulators):
    scenario = tmp_path / "visit.toml"
    scenario.write_text(
        '[[step]]\ndo = "garbage"\n[[step]]\ndo = "place"\ngrams = 168.2\nsettle = 0.3\n'
        '[[step]]\ndo = "wait"\nseconds = 1.2\n[[step]]\ndo = "remove"\nsettle = 0.2\n'
    )
    steps, repeat = load_scenario(scenario)
    sim = ScaleSimulator("nci", tmp_path / "scale").start()
    simulators.append(sim)
    spec = ScaleSpec("scale", str(tmp_path / "scale"), "nci", stability=QUICK)
    _, rec = run_bench(scales=[spec])
    rec.wait_for(state_is("scale", "ready"))
    play(sim.apply, steps, repeat, threading.Event())
    settled = rec.wait_for(lambda e: isinstance(e, StableWeight))
    assert settled.milligrams == 167_829  # 0.37 lb: an NCI scale set to lb with 0.01 lb steps
    rec.wait_for(lambda e: isinstance(e, WeightReading) and e.milligrams == 0, timeout=3)


def test_the_shipped_scenarios_load():
    for path in sorted((config_dir() / "scenarios").glob("*.toml")):
        steps, repeat = load_scenario(path)
        assert steps and repeat, path


@pytest.mark.parametrize(
    "text, words",
    [("[[step]]\nsay = 1\n", "list of [[step]] tables with 'do'"), ("[[step\n", "scenario")],
)
def test_bad_scenarios_are_named(tmp_path: Path, text: str, words: str):
    path = tmp_path / "bad.toml"
    path.write_text(text)
    with pytest.raises(DriverError) as err:
        load_scenario(path)
    assert words in str(err.value) and str(path) in str(err.value)


def test_another_process_can_steer_a_simulator(tmp_path, simulators):
    sim = ScaleSimulator("cas", tmp_path / "scale").start()
    simulators.append(sim)
    control = ControlSocket(tmp_path / "scale.sock", sim.apply)
    try:
        assert send_order(tmp_path / "scale.sock", {"do": "place", "grams": 321.5}) == {"ok": True}
        assert (
            "grams must be a number"
            in send_order(tmp_path / "scale.sock", {"do": "place", "grams": "heavy"})["error"]
        )
    finally:
        control.close()
    time.sleep(0.7)
    assert sim.pan.state().value == Decimal("0.322")  # 321.5 g on a scale showing kg
