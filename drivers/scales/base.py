"""What every scale protocol module produces, and the bundle that describes one protocol."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from drivers.readings import WeightStatus
from drivers.scales.framing import Framer
from drivers.units import canonical_unit


@dataclass(frozen=True)
class Weighing:
    """A weight answer as the device sent it; `value` is None when the device gave none."""

    value: Decimal | None
    unit: str
    stable: bool
    status: WeightStatus
    raw: bytes
    detail: str | None = None
    net: bool = False


@dataclass(frozen=True)
class Reply:
    """An answer that carries no pan weight: ack, identity, busy, refused, error, tare value."""

    kind: str
    text: str
    raw: bytes


@dataclass(frozen=True)
class BadFrame:
    """Bytes that are not a frame of this protocol (the typed error of every parser)."""

    raw: bytes
    reason: str


Parsed = Weighing | Reply | BadFrame


@dataclass(frozen=True)
class SerialDefaults:
    baudrate: int = 9600
    bytesize: int = 8
    parity: str = "N"
    stopbits: int = 1


@dataclass(frozen=True)
class ScaleProtocol:
    """One protocol: how to cut frames, parse them, and which commands to send."""

    name: str
    title: str
    expected: str  # the frame we expect, in words, for state reasons
    make_framer: Callable[[], Framer]
    parse: Callable[[bytes], Parsed]
    modes: tuple[str, ...]
    serial: SerialDefaults = field(default_factory=SerialDefaults)
    poll: bytes | None = None  # command that asks for the current weight
    stream_start: bytes | None = None  # continuous mode on a poll device (MT-SICS SIR)
    stream_stop: bytes | None = None
    identify: bytes | None = None  # read-only, positively answered identification
    is_identity: Callable[[Parsed], bool] = lambda parsed: False
    zero: bytes | None = None
    tare: bytes | None = None
    seven_bit: bool = False  # 7 data bits: any byte >= 0x80 means wrong line settings

    @property
    def default_mode(self) -> str:
        return self.modes[0]


DECIMAL_RE = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")


def parse_decimal(text: str) -> Decimal | None:
    text = text.strip()
    return Decimal(text) if DECIMAL_RE.match(text) else None


def printable(data: bytes) -> str | None:
    """The bytes as text when all are printable ASCII, else None."""
    if all(0x20 <= b < 0x7F for b in data):
        return data.decode("ascii")
    return None


def non_ascii_reason(data: bytes) -> str:
    bad = next(b for b in data if not 0x20 <= b < 0x7F)
    return f"byte 0x{bad:02X} is not printable ASCII"


def weighing(
    value: Decimal | None,
    unit_text: str,
    *,
    stable: bool,
    status: WeightStatus,
    raw: bytes,
    net: bool = False,
    detail: str | None = None,
) -> Weighing | BadFrame:
    """A Weighing with a checked unit; an unsupported unit gives no weight, said clearly."""
    unit = canonical_unit(unit_text)
    if unit is None:
        if unit_text.strip() == "":
            return BadFrame(raw, "no unit after the weight")
        return Weighing(
            None,
            unit_text.strip(),
            False,
            WeightStatus.UNKNOWN,
            raw,
            detail=f"unit {unit_text.strip()!r} is not supported (g, kg, lb, oz)",
        )
    if value is None:
        stable = False
    return Weighing(value, unit, stable, status, raw, detail, net)
