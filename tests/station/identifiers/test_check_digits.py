"""Check digits of GTINs, S10 postal ids and enterprise codes, on generated ids."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from station.identifiers import (
    InvalidIdentifier,
    gs1_check_digit,
    normalise_gtin,
    parse_s10,
    s10_check_digit,
)
from station.identifiers.enterprise import uscc_check_character, validate_uscc

digits = st.text("0123456789", min_size=1, max_size=1)


@given(
    st.sampled_from([8, 12, 13, 14]).flatmap(
        lambda n: st.text("0123456789", min_size=n - 1, max_size=n - 1)
    )
)
def test_valid_gtins_normalise_to_14_digits(body):
    gtin = body + str(gs1_check_digit(body))
    assert normalise_gtin(gtin) == gtin.zfill(14)


@given(st.text("0123456789", min_size=12, max_size=12), st.integers(0, 12), st.integers(1, 9))
def test_any_single_digit_error_is_caught(body, position, delta):
    gtin = body + str(gs1_check_digit(body))
    corrupted = gtin[:position] + str((int(gtin[position]) + delta) % 10) + gtin[position + 1 :]
    with pytest.raises(InvalidIdentifier, match="check digit"):
        normalise_gtin(corrupted)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("400638133393", "check digit 0 expected, got 3"),
        ("12345", "has 5 digits"),
        ("40063813339x1", "digits only"),
        ("４００６３８１３３３９３１", "digits only"),
    ],
)
def test_gtin_errors_say_why(text, reason):
    with pytest.raises(InvalidIdentifier, match=reason):
        normalise_gtin(text)


def test_known_gtins():
    assert normalise_gtin("4006381333931") == "04006381333931"
    assert normalise_gtin("036000291452") == "00036000291452"  # UPC-A
    assert normalise_gtin("96385074") == "00000096385074"  # EAN-8


def test_s10_reference_examples():
    assert s10_check_digit("47312482") == 9  # RB473124829GB, the UPU's example
    assert str(parse_s10("rb 473124829 gb")) == "RB473124829GB"
    assert s10_check_digit("00000000") == 5  # 11 becomes 5


@given(st.text("0123456789", min_size=8, max_size=8), st.sampled_from(["CN", "GB", "DE", "US"]))
def test_generated_s10_ids_parse_and_corruptions_fail(serial, country):
    check = s10_check_digit(serial)
    assert 0 <= check <= 9
    assert parse_s10(f"EE{serial}{check}{country}").serial == serial
    with pytest.raises(InvalidIdentifier, match=f"check digit {check} expected"):
        parse_s10(f"EE{serial}{(check + 1) % 10}{country}")


@pytest.mark.parametrize(
    ("text", "reason"),
    [("EE12345678CN", "2 letters, 8 digits"), ("EE123456785XX", "not an ISO 3166 country")],
)
def test_s10_errors(text, reason):
    with pytest.raises(InvalidIdentifier, match=reason):
        parse_s10(text)


@given(st.text("0123456789ABCDEFGHJKLMNPQRTUWXY", min_size=17, max_size=17))
def test_uscc_round_trip(body):
    code = body + uscc_check_character(body)
    assert validate_uscc(code.lower()) == code
    wrong = "0" if code[17] != "0" else "1"
    with pytest.raises(InvalidIdentifier, match="check character"):
        validate_uscc(code[:17] + wrong)


def test_uscc_known_example_and_bad_characters():
    assert validate_uscc("91350100M000100Y43") == "91350100M000100Y43"
    with pytest.raises(InvalidIdentifier, match="never uses"):
        validate_uscc("91350100M000100Z43")
