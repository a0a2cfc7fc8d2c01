"""Mettler Toledo MT-SICS: ASCII command lines and replies ending in CR LF.

Reply forms: `<ID> <status> <value> <unit>` (S, SI, SIR; T, TA carry a tare value),
`<ID> <status> [params]` (Z, @, I1, I4 ...), and the general errors ES / ET / EL.
Status S = stable, D = dynamic, A = done, B = more lines, I = busy or no stability in
time, L = refused (logical error), + = overload, - = underload.
Side effects: Z, T, TAC change the balance; @ cancels everything (power-on state);
SIR streams until another command. Probing uses I4 only.
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

NAME = "mt-sics"
EXPECTED = "MT-SICS lines such as 'S S     100.00 g<CR><LF>'"
WEIGHT_IDS = frozenset({"S", "SI", "SIR", "SR", "SU", "SIU", "SNR"})
TARE_IDS = frozenset({"T", "TA", "TI"})
GENERAL_ERRORS = {
    "ES": "syntax error: the balance did not recognise the command",
    "ET": "transmission error: parity/framing error (check baud rate, data bits, parity)",
    "EL": "logical error: the command cannot be executed",
}
_TOKEN = re.compile(r'"[^"]*"|\S+')
_ID = re.compile(r"^[A-Z@][A-Z0-9]{0,4}$")


def command(name: str, *params: str) -> bytes:
    return " ".join((name, *params)).encode("ascii") + b"\r\n"


def framer() -> Framer:
    return Framer(end=b"\r\n", max_len=128)


def parse(frame: bytes) -> Parsed:
    if not frame.endswith(b"\r\n"):
        return BadFrame(frame, "line does not end with <CR><LF>")
    text = printable(frame[:-2])
    if text is None:
        return BadFrame(frame, non_ascii_reason(frame[:-2]))
    tokens = _TOKEN.findall(text)
    if len(tokens) == 1 and tokens[0] in GENERAL_ERRORS:
        return Reply("error", f"{tokens[0]}: {GENERAL_ERRORS[tokens[0]]}", frame)
    if len(tokens) < 2 or not _ID.match(tokens[0]):
        return BadFrame(frame, "not '<command> <status> ...'")
    ident, status, params = tokens[0], tokens[1], tokens[2:]
    if ident in WEIGHT_IDS:
        return _weight_reply(status, params, frame)
    if ident in TARE_IDS and status in ("S", "D", "A") and len(params) == 2:
        return Reply("tare", f"{params[0]} {params[1]}", frame)
    return _other_reply(ident, status, params, frame)


def _weight_reply(status: str, params: list[str], frame: bytes) -> Parsed:
    if status in ("S", "D") and len(params) == 2:
        value = parse_decimal(params[0])
        if value is None or params[0].startswith("+"):
            return BadFrame(frame, f"weight field {params[0]!r} is not a number")
        stable = status == "S"
        state = WeightStatus.OK if stable else WeightStatus.MOTION
        return weighing(value, params[1], stable=stable, status=state, raw=frame)
    if params:
        return BadFrame(frame, f"status {status!r} with unexpected fields")
    if status == "+":
        return Weighing(None, "", False, WeightStatus.OVERLOAD, frame)
    if status == "-":
        return Weighing(None, "", False, WeightStatus.UNDERLOAD, frame)
    if status == "I":
        detail = "balance busy or no stable weight within its time limit"
        return Weighing(None, "", False, WeightStatus.UNKNOWN, frame, detail=detail)
    if status == "L":
        return Reply("refused", "command refused (logical error)", frame)
    return BadFrame(frame, f"unknown weight status {status!r}")


def _other_reply(ident: str, status: str, params: list[str], frame: bytes) -> Parsed:
    text = " ".join(p.strip('"') for p in params)
    if status == "A" or (ident in ("ZI",) and status in ("S", "D")):
        kind = "identity" if ident in ("I1", "I2", "I3", "I4", "I5", "@") else "ack"
        return Reply(kind, text, frame)
    if status == "B":
        return Reply("more", text, frame)
    if status == "I":
        return Reply("busy", f"{ident}: not executable now", frame)
    if status in ("L", "+", "-"):
        return Reply("refused", f"{ident}: refused ({status})", frame)
    return BadFrame(frame, f"unknown status {status!r} for {ident}")


def _is_identity(parsed: Parsed) -> bool:
    return isinstance(parsed, Reply) and parsed.kind == "identity"


PROTOCOL = ScaleProtocol(
    name=NAME,
    title="Mettler Toledo MT-SICS",
    expected=EXPECTED,
    make_framer=framer,
    parse=parse,
    modes=("poll", "continuous"),
    serial=SerialDefaults(9600, 8, "N", 1),
    poll=command("SI"),
    stream_start=command("SIR"),
    stream_stop=command("@"),
    identify=command("I4"),
    is_identity=_is_identity,
    zero=command("Z"),
    tare=command("T"),
)
