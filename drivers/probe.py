"""Identifying a device on one port, for diagnostics only: never run on its own.

Only read-only identification commands with a positive reply are sent: MT-SICS `I4`
(serial number), SMA `A` (about), Toledo 8217 `E` echo test (`Ehello` comes back as
`<STX>E<CR>hello`, then `F` ends echo mode). Protocols that cannot be identified
(continuous output, NCI, CAS, Adam) are reported as such, not guessed.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from drivers.errors import DriverError
from drivers.link import SerialSettings, open_port
from drivers.scales import mtsics, sma
from drivers.scales.base import Reply

PROBES = ("mt-sics", "sma", "toledo-8217")
DEFAULT_SERIAL = {
    "mt-sics": SerialSettings(9600, 8, "N", 1),
    "sma": SerialSettings(9600, 8, "N", 1),
    "toledo-8217": SerialSettings(9600, 7, "E", 1),
}


@dataclass(frozen=True)
class ProbeResult:
    protocol: str
    found: bool
    detail: str


def _exchange(path: str, settings: SerialSettings, send: bytes, wait: float) -> bytes:
    port = open_port(path, settings, timeout=0.05)
    try:
        port.reset_input_buffer()
        port.write(send)
        got, until = b"", time.monotonic() + wait
        while time.monotonic() < until:
            got += port.read(64)
        return got
    finally:
        port.close()


def probe(path: str, protocols=PROBES, baudrate: int | None = None, wait=0.6) -> list[ProbeResult]:
    results = []
    for name in protocols:
        if name not in PROBES:
            results.append(ProbeResult(name, False, "has no identification command; not probed"))
            continue
        base = DEFAULT_SERIAL[name]
        settings = SerialSettings(baudrate or base.baudrate, base.bytesize, base.parity)
        try:
            results.append(_probe_one(name, path, settings, wait))
        except DriverError as err:
            results.append(ProbeResult(name, False, str(err)))
    return results


def _probe_one(name: str, path: str, settings: SerialSettings, wait: float) -> ProbeResult:
    if name == "mt-sics":
        got = _exchange(path, settings, mtsics.command("I4"), wait)
        for line in got.split(b"\r\n"):
            parsed = mtsics.parse(line + b"\r\n")
            if isinstance(parsed, Reply) and parsed.kind == "identity":
                return ProbeResult(name, True, f"serial number {parsed.text}")
        return ProbeResult(name, False, f"no 'I4 A \"...\"' reply (got {got[:32]!r})")
    if name == "sma":
        got = _exchange(path, settings, sma.command("A"), wait)
        for piece in got.split(b"\r"):
            parsed = sma.parse(piece.lstrip(b"\r") + b"\r")
            if isinstance(parsed, Reply) and parsed.text.startswith("SMA:"):
                return ProbeResult(name, True, parsed.text)
        return ProbeResult(name, False, f"no '<LF>SMA:...<CR>' reply (got {got[:32]!r})")
    got = _exchange(path, settings, b"Ehello", wait)
    _exchange(path, settings, b"F", 0.05)
    if b"\x02E\rhello" in got:
        return ProbeResult(name, True, "echo test answered")
    return ProbeResult(name, False, f"no '<STX>E<CR>hello' echo (got {got[:32]!r})")
