"""CAS continuous output, both common forms, one line each ending in CR LF.

"AND 18 bytes":  `ST,GS,+  4.876kg`   header ST stable / US unstable / OL overload,
                                        GS gross / NT net, 8 chars sign + value, 2-char unit.
"CAS 22 bytes":  `ST,GS,<id><lamp>,000013.5 kg`  id = device number + 0x30, lamp byte with
                                        bit 7 set (its bits repeat the display lamps).
The 10-byte form (data only, no status) is refused: it cannot tell stable from moving.
"""

from __future__ import annotations

import re

from drivers.readings import WeightStatus
from drivers.scales.base import (
    BadFrame,
    Parsed,
    ScaleProtocol,
    SerialDefaults,
    Weighing,
    non_ascii_reason,
    parse_decimal,
    printable,
    weighing,
)
from drivers.scales.framing import Framer

NAME = "cas"
EXPECTED = "CAS lines 'ST,GS,+  4.876kg<CR><LF>'"
_DATA = re.compile(r"^([+-]?)\s*(\d*\.?\d+)\s?([A-Za-z ]{1,2})$")
_HEADER = {"ST": WeightStatus.OK, "US": WeightStatus.MOTION, "OL": WeightStatus.OVERLOAD}


def framer() -> Framer:
    return Framer(end=b"\r\n", max_len=40)


def parse(frame: bytes) -> Parsed:
    if not frame.endswith(b"\r\n") or len(frame) < 9:
        return BadFrame(frame, "line does not end with <CR><LF>")
    line = frame[:-2]
    head, rest = line[:6], line[6:]
    if len(rest) >= 3 and 0x30 <= rest[0] <= 0x3F and rest[1] & 0x80 and rest[2] == 0x2C:
        rest = rest[3:]  # CAS 22-byte: device id and lamp byte
    text, head_text = printable(rest), printable(head)
    if text is None or head_text is None:
        return BadFrame(frame, non_ascii_reason(head if head_text is None else rest))
    if head_text[2] != "," or head_text[5] != "," or head_text[:2] not in _HEADER:
        return BadFrame(frame, "header is not ST/US/OL,GS/NT,")
    if head_text[3:5] not in ("GS", "NT"):
        return BadFrame(frame, "header is not ST/US/OL,GS/NT,")
    status, net = _HEADER[head_text[:2]], head_text[3:5] == "NT"
    if status is WeightStatus.OVERLOAD:
        return Weighing(None, "", False, status, frame, "overload", net)
    if len(text) not in (10, 11):
        return BadFrame(frame, f"data field is {len(text)} characters, expected 10 or 11")
    match = _DATA.match(text)
    value = parse_decimal(match.group(1) + match.group(2)) if match else None
    if value is None:
        return BadFrame(frame, f"data field {text!r} is not a signed number with a unit")
    stable = status is WeightStatus.OK
    return weighing(value, match.group(3), stable=stable, status=status, raw=frame, net=net)


PROTOCOL = ScaleProtocol(
    name=NAME,
    title="CAS continuous (AND 18-byte / CAS 22-byte)",
    expected=EXPECTED,
    make_framer=framer,
    parse=parse,
    modes=("continuous",),
    serial=SerialDefaults(9600, 8, "N", 1),
)
