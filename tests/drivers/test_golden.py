"""Every golden transcript, both ways: our parser reads the device's bytes as the manual
says, and our simulator sends exactly those bytes for the same pan."""

from decimal import Decimal

import pytest

from drivers.scales import scale_protocol
from drivers.scales.base import BadFrame, Reply, Weighing
from drivers.sim.scale import UNITS
from drivers.sim.scale_devices import DEVICES
from drivers.units import to_milligrams
from tests.drivers.golden import TRANSCRIPTS, Exchange

WITH_MEANING = [e for e in TRANSCRIPTS if e.means is not None]
SIMULATED = [e for e in TRANSCRIPTS if e.pan is not None]


@pytest.mark.parametrize("exchange", WITH_MEANING, ids=lambda e: e.id)
def test_parser_reads_the_device_bytes(exchange: Exchange):
    protocol = scale_protocol(exchange.protocol, **dict(exchange.options))
    frames = [c for c in protocol.make_framer().feed(exchange.response)]
    assert [c.is_frame for c in frames] == [True], "one whole frame"
    parsed = protocol.parse(frames[0].data)
    kind = exchange.means[0]
    if kind == "bad":
        assert isinstance(parsed, BadFrame) and parsed.reason
    elif kind == "reply":
        assert isinstance(parsed, Reply) and parsed.kind == exchange.means[1]
    else:
        _, value, unit, status, stable = exchange.means
        assert isinstance(parsed, Weighing)
        assert parsed.value == (None if value is None else Decimal(value))
        assert (parsed.unit, parsed.status.value, parsed.stable) == (unit, status, stable)
        assert parsed.raw == exchange.response


@pytest.mark.parametrize("exchange", SIMULATED, ids=lambda e: e.id)
def test_simulator_sends_the_same_bytes(exchange: Exchange):
    unit, decimals = UNITS[exchange.protocol]
    device = DEVICES[exchange.protocol](unit, decimals)
    if exchange.request is None:
        sent = device.stream(exchange.pan)
    else:
        sent = b"".join(device.receive(exchange.request, exchange.pan))
    assert sent == exchange.response


def test_milligrams_are_exact():
    assert to_milligrams(Decimal("168.2"), "g") == 168200
    assert to_milligrams(Decimal("-0.120"), "kg") == -120000
    assert to_milligrams(Decimal("1"), "lb") == 453592
    assert to_milligrams(Decimal("2.33125"), "lb") == 1057437
    assert to_milligrams(Decimal("1"), "oz") == 28350


def test_every_protocol_has_negative_overload_and_motion_transcripts():
    for name in UNITS:
        meanings = [e.means for e in TRANSCRIPTS if e.protocol == name and e.means]
        statuses = {m[3] for m in meanings if m[0] == "weight"}
        assert "overload" in statuses, name
        negative = [m for m in meanings if m[0] == "weight" and m[3] == "underload"]
        negative += [m for m in meanings if m[0] == "weight" and m[1] and m[1].startswith("-")]
        assert negative, name
        if name != "adam":  # Adam print formats have no motion flag
            assert "motion" in statuses, name
