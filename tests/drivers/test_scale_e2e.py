"""Every scale simulator through a pseudo-terminal and the real pyserial path."""

from __future__ import annotations

import os
import time
from decimal import Decimal

import pytest

from drivers.readings import DeviceState, WeightReading, WeightStatus
from drivers.scales import PROTOCOL_NAMES
from drivers.scales.worker import ScaleSpec
from drivers.sim.scale import ScaleSimulator
from drivers.units import to_milligrams
from tests.drivers.conftest import QUICK, state_is


def expected_mg(sim: ScaleSimulator, grams: float) -> int:
    sim.pan.place(grams, 0)
    return to_milligrams(sim.pan.state().value, sim.unit)


def is_weight(status: WeightStatus):
    return lambda e: isinstance(e, WeightReading) and e.status == status


@pytest.mark.parametrize("protocol", PROTOCOL_NAMES)
def test_a_placed_item_settles_to_one_stable_weight(protocol, tmp_path, run_bench, simulators):
    sim = ScaleSimulator(protocol, tmp_path / "scale")
    want = expected_mg(sim, 168.2)
    sim.pan.place(0, 0)
    simulators.append(sim.start())
    spec = ScaleSpec("scale", str(tmp_path / "scale"), protocol, stability=QUICK)
    _, rec = run_bench(scales=[spec])
    rec.wait_for(state_is("scale", "ready"))
    sim.place(168.2, settle_s=0.4)
    settled = rec.wait_for(lambda e: e.__class__.__name__ == "StableWeight", timeout=5)
    assert settled.milligrams == want
    time.sleep(0.5)
    assert [s.milligrams for s in rec.stable()] == [want]  # one per placement
    placed = [r for r in rec.weights() if r.milligrams not in (None, 0)]
    assert placed and all(r.unit == sim.unit for r in placed)

    mark = time.monotonic()
    sim.overload()
    over = rec.wait_for(is_weight(WeightStatus.OVERLOAD), after=mark)
    assert over.value is None and over.milligrams is None and not over.stable

    mark = time.monotonic()
    sim.place(-50.0, settle_s=0)  # lifted pan / after a tare: below zero
    low = rec.wait_for(
        lambda e: (
            isinstance(e, WeightReading)
            and (e.status == WeightStatus.UNDERLOAD or (e.value is not None and e.value < 0))
        ),
        after=mark,
    )
    if low.value is not None:
        assert low.value < 0 and low.milligrams == expected_mg(sim, -50.0)


def test_unplug_and_replug_recover_without_a_phantom(tmp_path, run_bench, simulators):
    link = tmp_path / "by-id" / "usb-Mettler_Toledo-if00-port0"
    sim = ScaleSimulator("mt-sics", link).start()
    simulators.append(sim)
    _, rec = run_bench(scales=[ScaleSpec("scale", str(link), "mt-sics", stability=QUICK)])
    sim.place(168.2, 0.3)
    rec.wait_for(lambda e: e.__class__.__name__ == "StableWeight")
    unplugged = time.monotonic()
    sim.unplug()
    rec.wait_for(state_is("scale", "disconnected"), after=unplugged)
    time.sleep(0.5)
    replugged = time.monotonic()
    sim.replug()  # a new pty, the link moved to it, garbage on the line as at power-on
    assert os.readlink(link) == sim.link.device  # the stable name follows the device
    ready = rec.wait_for(state_is("scale", "ready"), timeout=3.0, after=replugged)
    assert ready.reconnects == 1
    rec.wait_for(lambda e: isinstance(e, WeightReading) and e.milligrams, after=replugged)
    time.sleep(0.5)
    during = [r for r in rec.weights(unplugged) if r.milligrams is not None]
    assert {r.milligrams for r in during} == {168200}  # nothing made up, nothing zeroed
    assert len(rec.stable()) == 1  # the same item is not weighed twice


def test_a_stall_is_reported_then_recovers(tmp_path, run_bench, simulators):
    sim = ScaleSimulator("sma", tmp_path / "scale").start()
    simulators.append(sim)
    spec = ScaleSpec("scale", str(tmp_path / "scale"), "sma", stall_after_s=0.6, stability=QUICK)
    _, rec = run_bench(scales=[spec])
    rec.wait_for(state_is("scale", "ready"))
    mark = time.monotonic()
    sim.stall(1.5)
    stalled = rec.wait_for(state_is("scale", "stalled", "no answer"), after=mark)
    assert "SMA records" in stalled.reason
    unknown = rec.wait_for(lambda e: isinstance(e, WeightReading), after=mark)
    assert unknown.status == WeightStatus.UNKNOWN and unknown.milligrams is None
    rec.wait_for(state_is("scale", "ready"), after=mark, timeout=4)
    assert [s for s in rec.since(mark, type(stalled)) if "watchdog" in s.reason] == []


def test_the_watchdog_reopens_a_device_stalled_too_long(tmp_path, run_bench, simulators):
    sim = ScaleSimulator("cas", tmp_path / "scale").start()
    simulators.append(sim)
    spec = ScaleSpec("scale", str(tmp_path / "scale"), "cas", stall_after_s=0.4,
                     restart_after_s=0.8, stability=QUICK)  # fmt: skip
    _, rec = run_bench(scales=[spec], watchdog_s=0.2)
    rec.wait_for(state_is("scale", "ready"))
    mark = time.monotonic()
    sim.stall(3.0)
    restarted = rec.wait_for(
        state_is("scale", "connecting", "restarted by the watchdog"), after=mark
    )
    assert restarted.reconnects >= 1
    rec.wait_for(state_is("scale", "ready"), after=mark, timeout=6)


@pytest.mark.parametrize(
    "sim_protocol, sim_baud, protocol, words",
    [
        ("mt-sics", 4800, "mt-sics", "wrong baud rate"),  # the line turns bytes into noise
        ("cas", None, "mt-sics", "expected MT-SICS lines"),  # a CAS scale read as MT-SICS
        ("mt-sics", None, "toledo-8217", "expected Toledo 8217"),
    ],
)
def test_wrong_settings_say_so_and_never_weigh(
    sim_protocol, sim_baud, protocol, words, tmp_path, run_bench, simulators
):
    sim = ScaleSimulator(sim_protocol, tmp_path / "scale", baudrate=sim_baud).start()
    simulators.append(sim)
    sim.place(168.2, 0)
    _, rec = run_bench(scales=[ScaleSpec("scale", str(tmp_path / "scale"), protocol)])
    state = rec.wait_for(state_is("scale", "stalled", words), timeout=5)
    assert "expected" in state.reason
    assert [r for r in rec.weights() if r.milligrams is not None] == []


def test_power_on_garbage_split_frames_and_noise_bursts(tmp_path, run_bench, simulators):
    sim = ScaleSimulator("toledo-continuous", tmp_path / "scale", seed=4).start()
    simulators.append(sim)
    sim.place(1234.5, 0)
    _, rec = run_bench(scales=[ScaleSpec("scale", str(tmp_path / "scale"), "toledo-continuous")])
    rec.wait_for(state_is("scale", "ready"))
    mark = time.monotonic()
    sim.garbage(40)
    sim.split(8)
    sim.noise(0.3)
    rec.wait_for(state_is("scale", "stalled", "wrong baud rate"), after=mark)
    time.sleep(1.2)
    assert rec.since(mark, DeviceState)[-1].state == "ready"  # back once the noise stops
    values = {r.value for r in rec.weights() if r.value is not None}
    assert values == {Decimal("1.234")} or values == {Decimal("1.235")}
