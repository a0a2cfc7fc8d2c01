"""SMA standard serial scale protocol: commands `<LF>c<CR>`, replies `<LF>...<CR>`.

Standard reply `<LF><s><r><n><m><f><xxxxxxxxxx><uuu><CR>`: s status (Z centre of zero,
O over capacity, U under zero/capacity, E zero error, T tare error, space none), r range,
n G/N/T/g/n (gross, net, tare, high-resolution), m M = in motion, f reserved, a 10-char
weight with sign and point, a 3-char unit. `<LF>?<CR>` unknown command, `<LF>!<CR>`
communication (parity/framing) error. `A` answers 'SMA:level/revision' (the probe).
Side effects: Z zeroes; R repeats until the next command; <ESC> aborts.
"""

from __future__ import annotations

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

NAME = "sma"
EXPECTED = "SMA records '<LF> 1G      12.345kg <CR>'"
ABOUT_TAGS = ("SMA:", "MFG:", "MOD:", "REV:", "SN_:", "END:")
_STATUS = {
    "Z": WeightStatus.OK,
    " ": WeightStatus.OK,
    "O": WeightStatus.OVERLOAD,
    "U": WeightStatus.UNDERLOAD,
    "E": WeightStatus.ZERO_ERROR,
    "T": WeightStatus.DEVICE_ERROR,
}


def command(letter: str) -> bytes:
    return b"\n" + letter.encode("ascii") + b"\r"


def framer() -> Framer:
    return Framer(start=b"\n", end=b"\r", max_len=40)


def parse(frame: bytes) -> Parsed:
    if len(frame) < 3 or frame[0] != 0x0A or frame[-1] != 0x0D:
        return BadFrame(frame, "not '<LF>...<CR>'")
    text = printable(frame[1:-1])
    if text is None:
        return BadFrame(frame, non_ascii_reason(frame[1:-1]))
    if text == "?":
        return Reply("unknown_command", "scale did not recognise the command", frame)
    if text == "!":
        return Reply("error", "communication error: parity/framing (check line settings)", frame)
    if text.startswith(ABOUT_TAGS):
        return Reply("identity", text, frame)
    if len(text) == 4 and set(text) <= set("RECM_"):
        return Reply("diagnostics", text, frame)
    if len(text) != 18:
        return BadFrame(frame, f"{len(text)} characters between <LF> and <CR>, expected 18")
    return _standard(text, frame)


def _standard(text: str, frame: bytes) -> Parsed:
    s, r, n, m = text[0], text[1], text[2], text[3]
    field, unit = text[5:15], text[15:18]
    if s not in _STATUS or not r.isdigit() or n not in "GNTgn" or m not in "M ":
        return BadFrame(frame, "status/range/mode/motion characters out of place")
    if n == "T":
        return Reply("tare", f"{field.strip()} {unit.strip()}", frame)
    status = _STATUS[s]
    if s in "ET" or set(field.strip()) <= {"-"}:
        detail = "zero error" if s == "E" else "tare error"
        return Weighing(None, "", False, status, frame, detail)
    if s == "O":
        return Weighing(None, "", False, status, frame, "over capacity")
    value = parse_decimal(field)
    if value is None:
        return BadFrame(frame, f"weight field {field!r} is not a number")
    motion = m == "M"
    if status is WeightStatus.OK and motion:
        status = WeightStatus.MOTION
    return weighing(value, unit, stable=not motion, status=status, raw=frame, net=n in "Nn")


def _is_identity(parsed: Parsed) -> bool:
    return isinstance(parsed, Reply) and parsed.kind == "identity" and parsed.text[:4] == "SMA:"


PROTOCOL = ScaleProtocol(
    name=NAME,
    title="SMA standard serial scale protocol",
    expected=EXPECTED,
    make_framer=framer,
    parse=parse,
    modes=("poll", "continuous"),
    serial=SerialDefaults(9600, 8, "N", 1),
    poll=command("W"),
    stream_start=command("R"),
    stream_stop=b"\x1b",
    identify=command("A"),
    is_identity=_is_identity,
    zero=command("Z"),
)
