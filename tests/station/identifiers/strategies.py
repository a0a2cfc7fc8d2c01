"""Hypothesis strategies for identifiers built the way their standards define them."""

import calendar
import datetime as dt

from hypothesis import strategies as st

from station.identifiers import gs1_check_digit, s10_check_digit, upce_to_upca


def with_check(body: str) -> str:
    return body + str(gs1_check_digit(body))


def gtins(lengths=(8, 12, 13, 14)):
    return st.sampled_from(lengths).flatmap(
        lambda n: st.text("0123456789", min_size=n - 1, max_size=n - 1).map(with_check)
    )


@st.composite
def upc_e(draw):
    """A valid UPC-E: number system 0/1, six digits, the check digit of its UPC-A form."""
    system = draw(st.sampled_from("01"))
    body = draw(st.text("0123456789", min_size=6, max_size=6))
    upca_body = upce_to_upca(system + body + "0")[:-1]
    return system + body + str(gs1_check_digit(upca_body))


@st.composite
def gs1_dates(draw):
    """YYMMDD with day 00 allowed (the month's last day), and the date it stands for."""
    year = draw(st.integers(2000, 2049))
    month = draw(st.integers(1, 12))
    last = calendar.monthrange(year, month)[1]
    day = draw(st.integers(0, last))
    text = f"{year % 100:02d}{month:02d}{day:02d}"
    return text, dt.date(year, month, day or last)


# GS1 AI encodable set 82, less characters that need escaping in a URI or an HRI string.
gs1_text = st.text(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-.", min_size=1, max_size=20
)


@st.composite
def s10_ids(draw):
    service = draw(st.text("ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=2, max_size=2))
    serial = draw(st.text("0123456789", min_size=8, max_size=8))
    country = draw(st.sampled_from(["CN", "GB", "DE", "US", "FR", "JP", "NL"]))
    return f"{service}{serial}{s10_check_digit(serial)}{country}"


shipment_ids = st.from_regex(r"\A[A-Za-z0-9][A-Za-z0-9._:-]{0,63}\Z")


def change_one(text: str, position: int, alphabet: str) -> str:
    """`text` with the character at `position` replaced by a different one."""
    position %= len(text)
    options = [c for c in alphabet if c != text[position]]
    return text[:position] + options[position % len(options)] + text[position + 1 :]
