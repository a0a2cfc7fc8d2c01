"""USB HID keyboard-wedge scanners: Linux key events decoded with a fixed US layout.

The scanner types key positions for the layout it emulates; we set every scanner to US
and decode here, never through the desktop's layout (AZERTY turned 'HA112' into 'HA&&é').
Characters come from key-down events only (value 1; 0 = up, 2 = autorepeat are ignored);
Shift is held state, Caps Lock toggles letters. GS (0x1D) arrives as Ctrl+] or as
Alt + keypad 0 2 9. A scan ends with the suffix key (Enter); a gap longer than `gap_s`
between keys drops a half-typed scan so it cannot merge with the next one.
The evdev part (open, exclusive grab, read) is `read_events`, kept thin on purpose.
"""

from __future__ import annotations

from collections.abc import Iterator

EV_KEY = 1
KEY_ENTER, KEY_KPENTER, KEY_TAB = 28, 96, 15
SHIFTS = frozenset({42, 54})
CTRLS = frozenset({29, 97})
ALTS = frozenset({56, 100})
KEY_CAPSLOCK = 58
KEY_RIGHTBRACE = 27

# code: (plain, shifted) on a US keyboard
US_KEYS: dict[int, tuple[str, str]] = {
    2: ("1", "!"), 3: ("2", "@"), 4: ("3", "#"), 5: ("4", "$"), 6: ("5", "%"),
    7: ("6", "^"), 8: ("7", "&"), 9: ("8", "*"), 10: ("9", "("), 11: ("0", ")"),
    12: ("-", "_"), 13: ("=", "+"), 26: ("[", "{"), 27: ("]", "}"), 39: (";", ":"),
    40: ("'", '"'), 41: ("`", "~"), 43: ("\\", "|"), 51: (",", "<"), 52: (".", ">"),
    53: ("/", "?"), 57: (" ", " "),
    55: ("*", "*"), 74: ("-", "-"), 78: ("+", "+"), 98: ("/", "/"), 83: (".", "."),
}  # fmt: skip
KEYPAD_DIGITS = {82: "0", 79: "1", 80: "2", 81: "3", 75: "4", 76: "5", 77: "6", 71: "7",
                 72: "8", 73: "9"}  # fmt: skip
_LETTER_ROWS = ((16, "qwertyuiop"), (30, "asdfghjkl"), (44, "zxcvbnm"))
LETTERS = {first + i: ch for first, row in _LETTER_ROWS for i, ch in enumerate(row)}


class HidDecoder:
    """Feed (type, code, value, seconds) events; complete scans come back as text."""

    def __init__(self, suffix_keys: tuple[int, ...] = (KEY_ENTER, KEY_KPENTER), gap_s=0.1):
        self.suffix_keys, self.gap_s = suffix_keys, gap_s
        self._chars: list[str] = []
        self._shift: set[int] = set()
        self._ctrl: set[int] = set()
        self._alt: set[int] = set()
        self._alt_digits = ""
        self._caps = False
        self._last_t: float | None = None
        self.dropped = 0  # half-typed scans discarded after a gap

    def feed(self, ev_type: int, code: int, value: int, t: float) -> str | None:
        if ev_type != EV_KEY or value == 2:
            return None
        if value == 0:
            return self._key_up(code)
        if self._last_t is not None and t - self._last_t > self.gap_s and self._chars:
            self._chars.clear()
            self.dropped += 1
        self._last_t = t
        return self._key_down(code)

    def _key_up(self, code: int) -> None:
        self._shift.discard(code)
        self._ctrl.discard(code)
        if code in self._alt:
            self._alt.discard(code)
            if self._alt_digits:
                self._chars.append(chr(int(self._alt_digits) % 256))
                self._alt_digits = ""

    def _key_down(self, code: int) -> str | None:
        if code in SHIFTS:
            self._shift.add(code)
        elif code in CTRLS:
            self._ctrl.add(code)
        elif code in ALTS:
            self._alt.add(code)
        elif code == KEY_CAPSLOCK:
            self._caps = not self._caps
        elif code in self.suffix_keys:
            text, self._chars = "".join(self._chars), []
            return text or None
        elif self._alt and code in KEYPAD_DIGITS:
            self._alt_digits += KEYPAD_DIGITS[code]
        elif self._ctrl:
            if code == KEY_RIGHTBRACE:
                self._chars.append("\x1d")
        else:
            char = self._char(code)
            if char is not None:
                self._chars.append(char)
        return None

    def _char(self, code: int) -> str | None:
        shifted = bool(self._shift)
        if code in LETTERS:
            letter = LETTERS[code]
            return letter.upper() if shifted != self._caps else letter
        if code in KEYPAD_DIGITS:
            return KEYPAD_DIGITS[code]
        pair = US_KEYS.get(code)
        return None if pair is None else pair[shifted]


def read_events(path: str, grab: bool = True) -> Iterator[tuple[int, int, int, float]]:
    """Key events from an input device, grabbed so keystrokes never reach other windows.
    Raises OSError (ENODEV) when the scanner is unplugged; ImportError without evdev."""
    import evdev  # optional dependency: pip install 'inbound-station[hid]'

    device = evdev.InputDevice(path)
    try:
        if grab:
            device.grab()
        for event in device.read_loop():
            yield event.type, event.code, event.value, event.timestamp()
    finally:
        device.close()
