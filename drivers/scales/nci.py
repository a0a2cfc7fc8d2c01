"""NCI / Avery Weigh-Tronix SCP-01 ("NCI standard protocol"): `W<CR>` and friends.

Weight reply `<LF>xxxx.xxuu<CR><LF>hh<CR><ETX>`; lb-oz mode `<LF>xxlb xx.xoz<CR>...`;
status only `<LF>hh<CR><ETX>` when negative, moving, out of capacity or in zero error;
`<LF>?<CR><ETX>` for an unknown command. Status bytes have bits 4 and 5 set: byte 1 bit 0
motion, 1 at zero, 2 RAM error, 3 EEPROM error; byte 2 bit 0 under capacity, 1 over
capacity, 2 ROM error, 3 calibration fault, 6 another byte follows; byte 3 bit 2 net,
bit 3 initial zero error. The DIVA NCI-ECR flavour prefixes the status with 'S'.
A weight field filled with ^ / _ / - means over / under capacity / zero error.
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
from drivers.units import pounds_and_ounces

NAME = "nci"
EXPECTED = "NCI records '<LF>0001.23lb<CR><LF>00<CR><ETX>'"
_WEIGHT = re.compile(r"^\s*([+-]?[\d.]+)\s*([A-Za-z]{1,2})$")
_LB_OZ = re.compile(r"^\s*(\d+)lb\s+(\d+(?:\.\d+)?)oz$", re.IGNORECASE)
_FILLED_RE = re.compile(r"^\s*(\^+|_+|-+)\s*[A-Za-z]{0,2}$")
_FILLED = {"^": WeightStatus.OVERLOAD, "_": WeightStatus.UNDERLOAD, "-": WeightStatus.ZERO_ERROR}


def framer() -> Framer:
    return Framer(start=b"\n", end=b"\x03", max_len=40, restart_on_start=False)


def parse(frame: bytes) -> Parsed:
    if len(frame) < 3 or frame[0] != 0x0A or frame[-2:] != b"\r\x03":
        return BadFrame(frame, "not '<LF>...<CR><ETX>'")
    lines = frame[1:-2].split(b"\r\n")
    if lines == [b"?"]:
        return Reply("unknown_command", "scale did not recognise the command", frame)
    flags = _status(lines[-1])
    if flags is None:
        return BadFrame(frame, "status bytes missing or malformed")
    if len(lines) == 1:
        return _status_only(flags, frame)
    if len(lines) != 2:
        return BadFrame(frame, "more lines than weight + status")
    text = printable(lines[0])
    if text is None:
        return BadFrame(frame, non_ascii_reason(lines[0]))
    return _weight(text, flags, frame)


def _status(line: bytes) -> dict[str, bool] | None:
    if line[:1] == b"S":
        line = line[1:]
    if len(line) not in (2, 3) or any(b & 0x30 != 0x30 or b & 0x80 for b in line):
        return None
    b1, b2 = line[0], line[1]
    b3 = line[2] if len(line) == 3 else 0x30
    return {
        "motion": bool(b1 & 0x01),
        "at_zero": bool(b1 & 0x02),
        "error": bool(b1 & 0x0C or b2 & 0x0C),
        "under": bool(b2 & 0x01),
        "over": bool(b2 & 0x02),
        "net": bool(b3 & 0x04),
        "zero_error": bool(b3 & 0x08),
    }


def _problem(flags: dict[str, bool]) -> tuple[WeightStatus, str] | None:
    if flags["error"]:
        return WeightStatus.DEVICE_ERROR, "scale reports a RAM/ROM/EEPROM/calibration error"
    if flags["over"]:
        return WeightStatus.OVERLOAD, "over capacity"
    if flags["under"]:
        return WeightStatus.UNDERLOAD, "under capacity (negative)"
    if flags["zero_error"]:
        return WeightStatus.ZERO_ERROR, "initial zero error"
    return None


def _status_only(flags: dict[str, bool], frame: bytes) -> Parsed:
    problem = _problem(flags)
    if problem:
        return Weighing(None, "", False, problem[0], frame, problem[1], flags["net"])
    if flags["motion"]:
        return Weighing(None, "", False, WeightStatus.MOTION, frame, "in motion", flags["net"])
    return Reply("status", "at zero" if flags["at_zero"] else "status only", frame)


def _weight(text: str, flags: dict[str, bool], frame: bytes) -> Parsed:
    problem = _problem(flags)
    if problem:
        return Weighing(None, "", False, problem[0], frame, problem[1], flags["net"])
    filled = _FILLED_RE.match(text)
    if filled:
        status = _FILLED[filled.group(1)[0]]
        return Weighing(None, "", False, status, frame, "weight field filled", flags["net"])
    status = WeightStatus.MOTION if flags["motion"] else WeightStatus.OK
    lb_oz = _LB_OZ.match(text)
    if lb_oz:
        value = pounds_and_ounces(int(lb_oz.group(1)), parse_decimal(lb_oz.group(2)))
        return weighing(
            value, "lb", stable=not flags["motion"], status=status, raw=frame, net=flags["net"]
        )
    match = _WEIGHT.match(text)
    value = parse_decimal(match.group(1)) if match else None
    if value is None:
        return BadFrame(frame, f"weight field {text!r} is not a number with a unit")
    return weighing(
        value,
        match.group(2),
        stable=not flags["motion"],
        status=status,
        raw=frame,
        net=flags["net"],
    )


PROTOCOL = ScaleProtocol(
    name=NAME,
    title="NCI / Weigh-Tronix SCP-01",
    expected=EXPECTED,
    make_framer=framer,
    parse=parse,
    modes=("poll",),
    serial=SerialDefaults(9600, 7, "E", 1),
    poll=b"W\r",
    zero=b"Z\r",
    seven_bit=True,
)
