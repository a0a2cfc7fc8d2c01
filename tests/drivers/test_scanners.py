"""Scanner data: AIM identifiers, suffix framing, GS kept, bytes never lost; HID key events."""

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from drivers.scanners.aim import split_aim
from drivers.scanners.hid import HidDecoder
from drivers.scanners.serial_scanner import decode_bytes, parse_scan, scan_framer
from drivers.sim.scanner import keystrokes

GS = "\x1d"


@pytest.mark.parametrize(
    "text, aim, symbology, gs1, data",
    [
        ("]E05901234123457", "]E0", "EAN/UPC", False, "5901234123457"),
        ("]C10109501101530003", "]C1", "GS1-128", True, "0109501101530003"),
        ("]C0ABC-123", "]C0", "Code 128", False, "ABC-123"),
        (f"]d2{GS}0109501101530003{GS}10ABC", "]d2", "GS1 DataMatrix", True,
         f"0109501101530003{GS}10ABC"),
        ("]Q3011234", "]Q3", "GS1 QR Code", True, "011234"),
        ("]Q1https://example.com", "]Q1", "QR Code", False, "https://example.com"),
        ("]e00109501101530003", "]e0", "GS1 DataBar", True, "0109501101530003"),
        ("RR123456785CN", None, None, False, "RR123456785CN"),
    ],
)  # fmt: skip
def test_aim_identifiers(text, aim, symbology, gs1, data):
    symbol = split_aim(text)
    assert (symbol.aim, symbol.symbology, symbol.gs1, symbol.text) == (aim, symbology, gs1, data)


@pytest.mark.parametrize("suffix, end", [("CR", b"\r"), ("LF", b"\n"), ("CRLF", b"\r\n")])
def test_suffix_framing_keeps_gs_and_splits_back_to_back_scans(suffix, end):
    payload = b"]d2\x1d0109501101530003\x1d10LOT7" + end + b"]E05901234123457" + end
    framer = scan_framer(suffix)
    scans = [parse_scan(c.data, suffix) for c in framer.feed(payload[:9])]
    scans += [parse_scan(c.data, suffix) for c in framer.feed(payload[9:])]
    assert [s.symbol.text for s in scans] == [f"0109501101530003{GS}10LOT7", "5901234123457"]
    assert scans[0].raw == b"]d2\x1d0109501101530003\x1d10LOT7"


def test_bytes_decode_without_loss():
    assert decode_bytes("Müller".encode()) == "Müller"
    latin = "Müller".encode("latin-1")
    assert decode_bytes(latin).encode("latin-1") == latin
    for data in (bytes(range(256)), b"\xff\xfe"):
        assert decode_bytes(data).encode("latin-1") == data


EVTEST = re.compile(r"time ([\d.]+), type (\d+) \(\w+\), code (\d+) \(\w+\), value (\w+)")


def recorded_events() -> list[tuple[int, int, int, float]]:
    """The events of hid_evtest.txt (evtest's text format), SYN reports included."""
    events = []
    for line in (Path(__file__).parent / "hid_evtest.txt").read_text().splitlines():
        if "SYN_REPORT" in line:
            events.append((0, 0, 0, float(line.split("time ")[1].split(",")[0])))
        elif match := EVTEST.search(line):
            t, ev_type, code, value = match.groups()
            events.append((int(ev_type), int(code), int(value, 16 if ev_type == "4" else 10),
                           float(t)))  # fmt: skip
    return events


def test_hid_decodes_recorded_scans():
    decoder = HidDecoder()
    scans = [s for e in recorded_events() for s in [decoder.feed(*e)] if s is not None]
    assert scans == ["]C1Ab-99", "]d2\x1d10AB\x1d21x"]
    assert split_aim(scans[1]).gs1 and split_aim(scans[1]).text == "10AB\x1d21x"


def test_hid_caps_lock_autorepeat_keypad_and_alt_codes():
    events = [(1, 58, 1, 0.0), (1, 58, 0, 0.001),  # Caps Lock on
              (1, 30, 1, 0.002), (1, 30, 2, 0.003), (1, 30, 0, 0.004),  # a (+ autorepeat)
              (1, 42, 1, 0.005), (1, 48, 1, 0.006), (1, 48, 0, 0.007), (1, 42, 0, 0.008),  # Shift+b
              (1, 79, 1, 0.009), (1, 79, 0, 0.010),  # keypad 1
              (1, 56, 1, 0.011), (1, 82, 1, 0.012), (1, 82, 0, 0.012), (1, 80, 1, 0.013),
              (1, 80, 0, 0.013), (1, 73, 1, 0.014), (1, 73, 0, 0.014), (1, 56, 0, 0.015),  # Alt+029
              (1, 28, 1, 0.016)]  # fmt: skip
    decoder = HidDecoder()
    assert [decoder.feed(*e) for e in events][-1] == "Ab1\x1d"


def test_hid_drops_a_half_typed_scan_after_a_gap():
    decoder = HidDecoder(gap_s=0.1)
    first = keystrokes("12", start=0.0)[:-4]  # no Enter: the scan was cut off
    second = keystrokes("345", start=1.0)
    results = [decoder.feed(*e) for e in first + second]
    assert [r for r in results if r] == ["345"] and decoder.dropped == 1


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x7E)).filter(bool))
def test_hid_typing_round_trip(text):
    decoder = HidDecoder()
    got = [decoder.feed(*e) for e in keystrokes(text)]
    assert [g for g in got if g is not None] == [text]


def test_the_keycode_table_matches_the_kernel_names():
    ecodes = pytest.importorskip("evdev").ecodes  # the [hid] extra; part of the dev set-up
    from drivers.scanners.hid import KEYPAD_DIGITS, LETTERS, US_KEYS

    for code, letter in LETTERS.items():
        assert ecodes.KEY[code] == f"KEY_{letter.upper()}"
    names = {"1": "KEY_1", "0": "KEY_0", "-": "KEY_MINUS", "=": "KEY_EQUAL", "[": "KEY_LEFTBRACE",
             "]": "KEY_RIGHTBRACE", ";": "KEY_SEMICOLON", "'": "KEY_APOSTROPHE",
             "`": "KEY_GRAVE", "\\": "KEY_BACKSLASH", ",": "KEY_COMMA", ".": "KEY_DOT",
             "/": "KEY_SLASH", " ": "KEY_SPACE"}  # fmt: skip
    main_row = {plain: code for code, (plain, _) in US_KEYS.items() if code < 60}
    for char, name in names.items():
        assert ecodes.ecodes[name] == main_row[char], char
    for code, digit in KEYPAD_DIGITS.items():
        assert ecodes.KEY[code] == f"KEY_KP{digit}"
