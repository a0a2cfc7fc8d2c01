"""identify(): every kind of scan, generated valid and corrupted."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from station.errors import SettingsError
from station.identifiers import Kind, ScanRules, gs1_check_digit, identify, upce_to_upca
from station.identifiers.carriers import load_carriers
from tests.station.identifiers.strategies import (
    gs1_dates,
    gs1_text,
    gtins,
    s10_ids,
    upc_e,
    with_check,
)


@given(gtins())
def test_valid_gtins_of_every_length(gtin):
    result = identify(gtin)
    assert (result.kind, result.valid, result.reason) == (Kind.GTIN, True, None)
    assert result.fields["gtin"] == gtin.zfill(14)


@given(gtins((12, 13, 14)), st.integers(0, 13), st.integers(1, 9))
def test_a_changed_digit_is_caught_with_the_expected_check_digit(gtin, position, delta):
    position %= len(gtin)
    digit = str((int(gtin[position]) + delta) % 10)
    corrupted = gtin[:position] + digit + gtin[position + 1 :]
    result = identify(corrupted)
    assert result.kind == Kind.GTIN and not result.valid
    expected = gs1_check_digit(corrupted[:-1])
    assert f"check digit {expected} expected, got {corrupted[-1]}" in result.reason


@given(gtins((13,)), st.integers(0, 11))
def test_swapped_neighbours_are_caught_unless_they_differ_by_5(gtin, i):
    a, b = gtin[i], gtin[i + 1]
    swapped = gtin[:i] + b + a + gtin[i + 2 :]
    if a == b or abs(int(a) - int(b)) == 5:  # what the mod-10 weights 3,1 cannot see
        return
    assert not identify(swapped).valid


@given(upc_e())
def test_upc_e_from_a_scanner_is_expanded(code):
    result = identify(code, aim="]E0")
    assert result.valid
    assert result.fields["upc_e"] == code
    assert result.fields["gtin"] == "00" + upce_to_upca(code)


def test_known_upc_e_expansions():
    assert upce_to_upca("01234565") == "012345000065"
    assert upce_to_upca("04252614") == "042100005264"
    assert upce_to_upca("01234133") == "012300000413"


@given(gtins((13,)), st.sampled_from(["12", "52495"]))
def test_ean_add_on_is_split_off(gtin, add_on):
    result = identify(gtin + add_on, aim="]E3")
    assert result.valid and result.fields["add_on"] == add_on
    assert result.fields["gtin"] == gtin.zfill(14)


@given(gtins((14,)), gs1_dates(), gs1_text, gs1_text, st.integers(0, 999_999), st.integers(0, 5))
def test_gs1_element_string_hri_and_digital_link_agree(gtin, date, batch, serial, weight, dec):
    (expiry_text, expiry), grams = date, f"{weight:06d}"
    fnc1 = f"01{gtin}17{expiry_text}10{batch}\x1d310{dec}{grams}21{serial}"
    hri = f"(01){gtin}(17){expiry_text}(10){batch}(310{dec}){grams}(21){serial}"
    link = (
        f"https://id.example.com/01/{gtin}/10/{batch}/21/{serial}?17={expiry_text}&310{dec}={grams}"
    )
    expected_mg = weight * 1_000_000 // 10**dec
    for text, aim, kind in (
        (fnc1, "]C1", Kind.GS1),
        (hri, None, Kind.GS1),
        (link, None, Kind.GS1_DIGITAL_LINK),
    ):
        result = identify(text, aim=aim)
        assert (result.kind, result.valid, result.reason) == (kind, True, None), text
        fields = result.fields
        assert fields["gtin"] == gtin
        assert (fields["batch"], fields["serial"], fields["expiry"]) == (batch, serial, expiry)
        assert fields["net_weight_mg"] == expected_mg


@pytest.mark.parametrize("aim", ["]C1", "]d2", "]Q3", "]e0"])
def test_aim_ids_announce_gs1(aim):
    result = identify(f"{aim}0109501101530003172611001" + "0LOT7")
    assert result.kind == Kind.GS1 and result.valid
    assert result.aim == aim
    assert str(result.fields["expiry"]) == "2026-11-30"  # day 00: the month's last day


def test_gs1_from_a_keyboard_wedge_without_aim_and_with_spelled_separators():
    result = identify("010950110153000310LOT7<GS>21SN1")
    assert result.kind == Kind.GS1 and result.fields["batch"] == "LOT7"
    assert result.fields["serial"] == "SN1"
    assert result.fields["hri"] == "(01)09501101530003(10)LOT7(21)SN1"


@given(gtins((14,)), st.integers(1, 9))
def test_gs1_with_a_wrong_gtin_check_digit_says_where(gtin, delta):
    wrong = gtin[:-1] + str((int(gtin[-1]) + delta) % 10)
    result = identify(f"01{wrong}21ABC", aim="]C1")
    assert result.kind == Kind.GS1 and not result.valid
    assert result.reason.startswith("(01) GTIN")
    assert f"check digit {gtin[-1]} expected, got {wrong[-1]}" in result.reason


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("]C10109501101530003171399011", "(17)"),  # month 13
        ("]C199", "not a valid GS1 element string"),
        ("(01)09501101530003(9999)X", "Unknown GS1 Application Identifier"),
        ("https://id.example.com/01/09501101530003/10", "not a valid GS1 Digital Link"),
        ("https://id.example.com/01/1234", "(01) GTIN 00000000001234: check digit 6"),
        ("]C100123456789012345670", "SSCC"),
    ],
)
def test_broken_gs1_says_why(text, reason):
    result = identify(text)
    assert not result.valid and reason in result.reason


def test_an_ordinary_web_address_is_not_gs1():
    assert identify("https://example.com/catalogue/42").kind == Kind.UNKNOWN


@given(s10_ids())
def test_s10_ids_and_their_corruptions(s10):
    result = identify(s10.lower())
    assert (result.kind, result.valid) == (Kind.S10, True)
    assert result.fields["s10"] == s10 and result.fields["country"] == s10[-2:]
    check = int(s10[10])
    broken = identify(s10[:10] + str((check + 1) % 10) + s10[11:])
    assert broken.kind == Kind.S10 and not broken.valid
    assert f"check digit {check} expected" in broken.reason


@pytest.mark.parametrize(
    ("prefix", "digits", "carrier"),
    [("SF", 13, "SF Express"), ("YT", 13, "YTO Express"), ("JDV", 12, "JD Logistics")],
)
@given(data=st.data())
def test_carrier_numbers_from_the_shipped_patterns(prefix, digits, carrier, data):
    body = data.draw(st.text("0123456789", min_size=digits, max_size=digits))
    result = identify(f"{prefix}{body}")
    assert (result.kind, result.valid, result.fields["carrier"]) == (Kind.TRACKING, True, carrier)
    short = identify(f"{prefix}{body[:-1]}")
    assert short.kind == Kind.TRACKING and not short.valid
    assert f"{digits} digits" in short.reason


def test_carriers_come_from_a_file(tmp_path):
    path = tmp_path / "carriers.toml"
    path.write_text(
        '[[carrier]]\nname = "ZTO Express"\nprefix = "7"\npattern = \'^7\\d{11}$\'\n'
        'shape = "7 and 11 digits"\n'
    )
    rules = ScanRules.shipped(carriers_file=path)
    result = identify("712345678901", aim="]C0", rules=rules)
    assert (result.kind, result.fields["carrier"]) == (Kind.TRACKING, "ZTO Express")
    # The same digits from a retail symbology are a GTIN if their check digit holds.
    number = with_check("71234567890")
    assert identify(number, aim="]E0", rules=rules).kind == Kind.GTIN
    assert identify("SF1234567890123", rules=rules).kind == Kind.UNKNOWN


def test_a_bad_carriers_file_names_the_entry(tmp_path):
    path = tmp_path / "carriers.toml"
    path.write_text('[[carrier]]\nname = "X"\nprefix = "X"\npattern = "(["\nshape = "x"\n')
    with pytest.raises(SettingsError, match=r"carrier 1: pattern '\(\[' is invalid"):
        load_carriers(path)
    missing = tmp_path / "missing.toml"
    missing.write_text('[[carrier]]\nname = "X"\n')
    with pytest.raises(SettingsError, match="carrier 1: missing prefix, pattern, shape"):
        load_carriers(missing)


@pytest.mark.parametrize(
    "command", ["NEXT", "RETAKE", "DAMAGED", "SUPERVISOR", "ABANDON", "CONFIRM", "CANCEL"]
)
def test_bench_commands(command):
    result = identify(f"ISCMD:{command}")
    assert (result.kind, result.valid, result.fields["command"]) == (
        Kind.BENCH_COMMAND,
        True,
        command,
    )
    assert result.fields["argument"] is None
    assert "takes no argument" in identify(f"ISCMD:{command}:X").reason


def test_skip_needs_a_reason_code():
    assert identify("ISCMD:SKIP:NO_LABEL").fields == {"command": "SKIP", "argument": "NO_LABEL"}
    assert "needs an argument" in identify("ISCMD:SKIP").reason
    assert "must be 1-32" in identify("ISCMD:SKIP:two words").reason
    unknown = identify("ISCMD:REBOOT")
    assert unknown.kind == Kind.BENCH_COMMAND and "unknown bench command 'REBOOT'" in unknown.reason


def test_aim_prefix_in_the_text_and_line_endings():
    result = identify("]E04006381333931\r\n")
    assert (result.aim, result.fields["gtin"]) == ("]E0", "04006381333931")
    assert identify("]E04006381333931", aim="]E0").valid


@pytest.mark.parametrize("text", ["", "   ", "hello world", "ABC-123", "12345"])
def test_what_is_not_recognised(text):
    result = identify(text)
    assert not result.valid and result.reason
    assert result.kind in (Kind.UNKNOWN, Kind.GTIN)
