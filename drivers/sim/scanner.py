"""A simulated serial / USB-CDC scanner on a pseudo-terminal.

`scan(text, aim)` sends `aim + text + suffix` at the line's character rate (so a 2D code
takes as long as on a real 9600-baud line); GS (0x1D) inside `text` is sent as is.
`keystrokes(text)` gives the Linux key events a HID scanner would type (US layout), for
feeding a HID decoder without /dev/input.
"""

from __future__ import annotations

import random
import threading
import time
from pathlib import Path
from typing import Any

from drivers.scanners.hid import EV_KEY, KEY_ENTER, KEYPAD_DIGITS, LETTERS, US_KEYS
from drivers.scanners.serial_scanner import SUFFIXES
from drivers.sim.pty import PtyLink


class ScannerSimulator:
    def __init__(
        self, link: Path | str, *, suffix: str = "CRLF", baudrate: int = 9600, pace: bool = True
    ) -> None:
        self.link, self.suffix = PtyLink(link), SUFFIXES[suffix]
        self.char_time = 10.0 / baudrate if pace else 0.0
        self._lock = threading.RLock()

    def start(self) -> ScannerSimulator:
        self.link.plug()
        return self

    def stop(self) -> None:
        self.link.unplug()

    def scan(self, text: str, aim: str | None = "]C0") -> None:
        data = (aim or "").encode() + text.encode("utf-8") + self.suffix
        with self._lock:
            for i in range(0, len(data), 16):
                piece = data[i : i + 16]
                self.link.write(piece)
                time.sleep(self.char_time * len(piece))
            self.link.read(0)  # nothing is expected back; keep the queue empty

    def garbage(self, count: int = 24) -> None:
        with self._lock:
            self.link.write(bytes(random.randrange(0x80, 0xA0) for _ in range(count)))

    def unplug(self, seconds: float | None = None) -> None:
        with self._lock:
            self.link.unplug()
        if seconds is not None:
            threading.Timer(seconds, self.replug).start()

    def replug(self) -> None:
        with self._lock:
            if not self.link.plugged:
                self.link.plug()

    def apply(self, step: dict[str, Any]) -> None:
        from drivers.sim.scenario import apply_scanner_step

        apply_scanner_step(self, step)


_CODES: dict[str, tuple[int, bool]] = {}
for _code, _ch in LETTERS.items():
    _CODES[_ch], _CODES[_ch.upper()] = (_code, False), (_code, True)
for _code, (_plain, _shifted) in US_KEYS.items():
    if _code not in (55, 74, 78, 98, 83):  # keypad keys: type the main-row key instead
        _CODES.setdefault(_plain, (_code, False))
        _CODES.setdefault(_shifted, (_code, True))
KEY_LEFTSHIFT, KEY_LEFTCTRL, KEY_LEFTALT = 42, 29, 56


def keystrokes(
    text: str, start: float = 0.0, gap: float = 0.004
) -> list[tuple[int, int, int, float]]:
    """(type, code, value, seconds) events typing `text` then Enter; GS as Ctrl+]."""
    events: list[tuple[int, int, int, float]] = []
    t = start

    def key(code: int, value: int) -> None:
        nonlocal t
        events.append((EV_KEY, code, value, t))
        events.append((0, 0, 0, t))  # EV_SYN after each key event, as the kernel sends
        t += gap / 2

    for char in text:
        if char == "\x1d":
            key(KEY_LEFTCTRL, 1), key(27, 1), key(27, 0), key(KEY_LEFTCTRL, 0)
            continue
        code, shifted = _CODES[char]
        if shifted:
            key(KEY_LEFTSHIFT, 1)
        key(code, 1), key(code, 0)
        if shifted:
            key(KEY_LEFTSHIFT, 0)
    key(KEY_ENTER, 1), key(KEY_ENTER, 0)
    return events


__all__ = ["KEYPAD_DIGITS", "ScannerSimulator", "keystrokes"]
