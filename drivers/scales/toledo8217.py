"""Toledo 8217 demand protocol (Ariva, Viva, DIVA "8217"): single-letter commands, 7E1.

`W` answers `<STX>WW.WWW<CR>` (kg) or `<STX>0WW.WW<CR>` (lb), `N` appended for net, and
only when stable; otherwise `<STX>?<status><CR>`. The status byte: bit 0 motion, 1 over
capacity, 2 under zero, 3 outside zero-capture range, 4 centre of zero, 5 net, 6 always 1.
The unit is the scale's setting (the frame does not carry it): configure it.
Side effects: Z, T, C act on the scale; E starts echo mode (F ends it).
"""

from __future__ import annotations

import re
from decimal import Decimal

from drivers.readings import WeightStatus
from drivers.scales.base import (
    BadFrame,
    Parsed,
    Reply,
    ScaleProtocol,
    SerialDefaults,
    Weighing,
    non_ascii_reason,
    printable,
    weighing,
)
from drivers.scales.framing import Framer

NAME = "toledo-8217"
EXPECTED = "Toledo 8217 records '<STX>01.234<CR>' or '<STX>?A<CR>'"
_WEIGHT = re.compile(r"^(\d{2}\.\d{3}|0\d{2}\.\d{2})(N?)$")
DECIMALS = {"kg": 3, "lb": 2}


def framer() -> Framer:
    return Framer(start=b"\x02", end=b"\r", max_len=16)


def status_flags(byte: int) -> dict[str, bool]:
    return {
        "motion": bool(byte & 0x01),
        "over": bool(byte & 0x02),
        "under": bool(byte & 0x04),
        "outside_zero": bool(byte & 0x08),
        "centre_zero": bool(byte & 0x10),
        "net": bool(byte & 0x20),
    }


def make_parser(unit: str = "kg"):
    if unit not in DECIMALS:
        raise ValueError(f"Toledo 8217 weighs in kg or lb, not {unit!r}")

    def parse(frame: bytes) -> Parsed:
        if len(frame) < 2 or frame[0] != 0x02 or frame[-1] != 0x0D:
            return BadFrame(frame, "not '<STX>...<CR>'")
        body = frame[1:-1]
        text = printable(body)
        if text is None:
            return BadFrame(frame, non_ascii_reason(body))
        if text == "":
            return Reply("ack", "", frame)
        if text.startswith("?") and len(text) == 2:
            return _status_record(ord(text[1]), frame)
        if text.startswith("E"):
            return Reply("echo", text[1:], frame)
        match = _WEIGHT.match(text)
        if match is None:
            return BadFrame(frame, f"{text!r} is not a weight field (WW.WWW or 0WW.WW)")
        digits = match.group(1)
        if len(digits.split(".")[1]) != DECIMALS[unit]:
            other = "lb" if unit == "kg" else "kg"
            return BadFrame(frame, f"weight {digits!r} is formatted for {other}, configured {unit}")
        return weighing(
            Decimal(digits),
            unit,
            stable=True,
            status=WeightStatus.OK,
            raw=frame,
            net=match.group(2) == "N",
        )

    return parse


def _status_record(byte: int, frame: bytes) -> Parsed:
    if not byte & 0x40:
        return BadFrame(frame, f"status byte 0x{byte:02X} lacks bit 6 (always 1)")
    flags = status_flags(byte)
    if flags["over"]:
        status, detail = WeightStatus.OVERLOAD, "over capacity"
    elif flags["under"]:
        status, detail = WeightStatus.UNDERLOAD, "under zero (negative)"
    elif flags["motion"]:
        status, detail = WeightStatus.MOTION, "in motion"
    elif flags["outside_zero"]:
        status, detail = WeightStatus.ZERO_ERROR, "outside zero-capture range"
    else:
        status, detail = WeightStatus.UNKNOWN, "status record without a weight"
    return Weighing(None, "", False, status, frame, detail=detail, net=flags["net"])


def protocol(unit: str = "kg") -> ScaleProtocol:
    return ScaleProtocol(
        name=NAME,
        title="Toledo 8217 (demand)",
        expected=EXPECTED,
        make_framer=framer,
        parse=make_parser(unit),
        modes=("poll",),
        serial=SerialDefaults(9600, 7, "E", 1),
        poll=b"W",
        zero=b"Z",
        tare=b"T",
        seven_bit=True,
    )
