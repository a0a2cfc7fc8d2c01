"""Serial and USB-CDC scanners: `[AIM id] data suffix`, the suffix a setting (CR, LF, CRLF).

Bytes are decoded as UTF-8 when they are valid UTF-8, else as Latin-1, which maps every
byte to one character: nothing is lost, and `raw` keeps the bytes as sent.
"""

from __future__ import annotations

from dataclasses import dataclass

from drivers.scales.framing import Framer
from drivers.scanners.aim import Symbol, split_aim

SUFFIXES = {"CR": b"\r", "LF": b"\n", "CRLF": b"\r\n"}
MAX_SCAN = 8192


@dataclass(frozen=True)
class Scan:
    symbol: Symbol
    raw: bytes


def scan_framer(suffix: str = "CRLF") -> Framer:
    if suffix not in SUFFIXES:
        raise ValueError(f"scanner suffix {suffix!r}: expected CR, LF or CRLF")
    return Framer(end=SUFFIXES[suffix], max_len=MAX_SCAN)


def decode_bytes(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def parse_scan(frame: bytes, suffix: str = "CRLF") -> Scan | None:
    """One framed scan; None for an empty line (e.g. the LF of a CRLF scanner set to CR)."""
    data = frame[: -len(SUFFIXES[suffix])] if frame.endswith(SUFFIXES[suffix]) else frame
    if suffix == "CR" and data.startswith(b"\n"):
        data = data[1:]
    if not data.strip(b"\r\n"):
        return None
    return Scan(split_aim(decode_bytes(data)), data)
