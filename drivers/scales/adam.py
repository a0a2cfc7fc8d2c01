"""Adam Equipment print formats: one line ending in CR LF per weight.

Adam is a family of formats (Highland `+      123.45 g`, CPWplus `G + 2.00 kg`, label
`   1.234kg`); this parser takes an optional G/N/GS/NT marker, the sign, the value and the
unit, and keeps the sign (a bare `[0-9.]+` match would turn -1.234 kg into +1.234 kg).
Print formats carry no motion flag: Adam prints only settled weights, so a printed line
counts as stable and the software stability check still applies; `US` marks a moving
value on models that stream. A scale that answers nothing gives "unknown", never zero.
Side effects: P is the print key (beeps on repeats), T tares, Z zeroes; polling uses G.
"""

from __future__ import annotations

import re

from drivers.readings import WeightStatus
from drivers.scales.base import (
    BadFrame,
    Parsed,
    Reply,
    ScaleProtocol,
    SerialDefaults,
    Weighing,
    non_ascii_reason,
    parse_decimal,
    printable,
    weighing,
)
from drivers.scales.framing import Framer

NAME = "adam"
EXPECTED = "Adam print lines such as 'G +     123.45 g<CR><LF>'"
_LINE = re.compile(
    r"^\s*(?P<mark>ST|US|GS|NT|G|N|T)?\s*,?\s*(?P<sign>[+-])?\s*(?P<num>\d*\.?\d+)"
    r"\s*(?P<unit>[A-Za-z]{1,2})\s*$"
)
_OVERLOAD = re.compile(r"^\s*[-+]?\s*-?O-?L-?\s*$")


def command(letter: str) -> bytes:
    return letter.encode("ascii") + b"\r\n"


def framer() -> Framer:
    return Framer(end=b"\r\n", max_len=40)


def parse(frame: bytes) -> Parsed:
    if not frame.endswith(b"\r\n"):
        return BadFrame(frame, "line does not end with <CR><LF>")
    text = printable(frame[:-2])
    if text is None:
        return BadFrame(frame, non_ascii_reason(frame[:-2]))
    if _OVERLOAD.match(text):
        return Weighing(None, "", False, WeightStatus.OVERLOAD, frame, "overload")
    match = _LINE.match(text)
    value = parse_decimal((match.group("sign") or "") + match.group("num")) if match else None
    if match is None or value is None:
        return BadFrame(frame, f"{text!r} is not '[G|N] sign value unit'")
    mark = match.group("mark") or ""
    if mark == "T":
        return Reply("tare", f"{value} {match.group('unit')}", frame)
    moving = mark == "US"
    status = WeightStatus.MOTION if moving else WeightStatus.OK
    return weighing(
        value,
        match.group("unit"),
        stable=not moving,
        status=status,
        raw=frame,
        net=mark in ("N", "NT"),
    )


def protocol(mode: str = "poll") -> ScaleProtocol:
    modes = ("poll", "continuous") if mode == "poll" else ("continuous", "poll")
    return ScaleProtocol(
        name=NAME,
        title="Adam Equipment",
        expected=EXPECTED,
        make_framer=framer,
        parse=parse,
        modes=modes,
        serial=SerialDefaults(4800, 8, "N", 1),
        poll=command("G"),
        zero=command("Z"),
        tare=command("T"),
    )
