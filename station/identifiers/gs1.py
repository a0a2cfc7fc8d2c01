"""GS1 element strings (FNC1 / GS separated, or in human-readable form with the AIs in
parentheses) and GS1 Digital Link URIs, parsed with biip into the fields a check needs."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from biip import ParseError
from biip.gs1_digital_link_uris import GS1DigitalLinkURI
from biip.gs1_element_strings import GS1ElementString
from biip.gs1_messages import GS1Message

from station.identifiers.errors import InvalidIdentifier
from station.identifiers.gtin import gs1_check_digit, normalise_gtin
from station.identifiers.identification import Identification, Kind

# AIM ids that announce GS1 content: GS1-128, GS1 DataBar, GS1 Data Matrix, GS1 QR, DotCode.
GS1_AIMS = frozenset({"]C1", "]e0", "]d2", "]Q3", "]J1"})
GROUP_SEPARATOR = "\x1d"
# How scanners and keyboard wedges spell the FNC1 separator when they cannot send ASCII 29.
_SEPARATOR_SPELLINGS = ("\u241d", "<GS>", "{GS}")
# A GS1 string sent without an AIM id starts with an SSCC or a GTIN and goes on.
_BARE_GS1 = re.compile(r"^(00\d{18}|0[12]\d{14}).")

_DATES = {
    "11": "production_date",
    "13": "packaging_date",
    "15": "best_before",
    "16": "sell_by",
    "17": "expiry",
}
_TEXTS = {"10": "batch", "21": "serial", "240": "additional_id", "400": "order_number"}
_MG_PER_UNIT = {"310": Decimal(1_000_000), "320": Decimal("453592.37")}  # kg, lb


def looks_like_element_string(text: str, aim: str | None) -> bool:
    """GS1 by its AIM id; without one (a scanner set not to send it), by its look. A
    known non-GS1 AIM id (an EAN with add-on, plain Code 128) rules GS1 out."""
    if aim is not None:
        return aim in GS1_AIMS
    return any(sep in text for sep in (GROUP_SEPARATOR, *_SEPARATOR_SPELLINGS)) or bool(
        _BARE_GS1.match(text)
    )


def looks_like_hri(text: str) -> bool:
    return bool(re.match(r"^\(\d{2,4}\)", text))


def looks_like_digital_link(text: str) -> bool:
    return text.lower().startswith(("https://", "http://"))


def identify_element_string(text: str, aim: str | None = None) -> Identification:
    value = text
    for spelling in _SEPARATOR_SPELLINGS:
        value = value.replace(spelling, GROUP_SEPARATOR)
    value = value.lstrip(GROUP_SEPARATOR)  # a leading FNC1 some scanners pass on
    try:
        message = GS1Message.parse(value)
    except ParseError as err:
        return Identification.invalid(Kind.GS1, text, f"not a valid GS1 element string: {err}", aim)
    return _identification(Kind.GS1, text, aim, message.element_strings, hri=message.as_hri())


def identify_hri(text: str, aim: str | None = None) -> Identification:
    try:
        message = GS1Message.parse_hri(text)
    except ParseError as err:
        return Identification.invalid(Kind.GS1, text, f"not a valid GS1 element string: {err}", aim)
    return _identification(Kind.GS1, text, aim, message.element_strings, hri=message.as_hri())


def identify_digital_link(text: str, aim: str | None = None) -> Identification | None:
    """A GS1 Digital Link URI, an invalid one, or None for an ordinary web address."""
    try:
        link = GS1DigitalLinkURI.parse(text)
    except ParseError as err:
        if "primary identifier" in str(err):
            return None  # no /01/, /00/... in the path: some other web address
        return Identification.invalid(
            Kind.GS1_DIGITAL_LINK, text, f"not a valid GS1 Digital Link: {err}", aim
        )
    hri = "".join(es.as_hri() for es in link.element_strings)
    return _identification(
        Kind.GS1_DIGITAL_LINK, text, aim, link.element_strings, hri=hri, uri=text
    )


def _identification(
    kind: Kind, text: str, aim: str | None, elements: list[GS1ElementString], **extra: Any
) -> Identification:
    fields: dict[str, Any] = {}
    problems: list[str] = []
    for element in elements:
        try:
            fields.update(_element_fields(element))
        except InvalidIdentifier as err:
            problems.append(f"({element.ai.ai}) {err}")
    fields["elements"] = [
        {"ai": e.ai.ai, "title": e.ai.data_title, "value": e.value} for e in elements
    ]
    fields.update(extra)
    if problems:
        return Identification(
            kind=kind, valid=False, text=text, aim=aim, reason="; ".join(problems), fields=fields
        )
    return Identification(kind=kind, valid=True, text=text, aim=aim, fields=fields)


def _element_fields(element: GS1ElementString) -> dict[str, Any]:
    ai, value = element.ai.ai, element.value
    if ai in ("01", "02"):
        return {"gtin" if ai == "01" else "content_gtin": normalise_gtin(value)}
    if ai == "00":
        expected = gs1_check_digit(value[:-1])
        if int(value[-1]) != expected:
            raise InvalidIdentifier(
                f"SSCC {value}: check digit {expected} expected, got {value[-1]}"
            )
        return {"sscc": value}
    if ai in _DATES:
        return {_DATES[ai]: element.date}  # day 00 is the month's last day (biip)
    if ai in _TEXTS:
        return {_TEXTS[ai]: value}
    if ai in ("30", "37"):
        return {"count": int(value)}
    if ai[:3] in _MG_PER_UNIT and element.decimal is not None:
        return {"net_weight_mg": int((element.decimal * _MG_PER_UNIT[ai[:3]]).to_integral_value())}
    return {}
