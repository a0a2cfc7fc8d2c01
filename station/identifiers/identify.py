"""identify: what a scan is, whether it is valid, and what it says.

The order matters where shapes overlap: bench commands and shipment QR codes carry
their own prefix; an AIM id decides GS1 and EAN/UPC content; then GS1 in any spelling,
digits (GTINs), UPU S10 postal ids, and carrier tracking numbers by pattern.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from station.identifiers import commands, gs1, shipment_qr
from station.identifiers.carriers import Carrier, identify_tracking, load_carriers
from station.identifiers.errors import InvalidIdentifier
from station.identifiers.gtin import identify_gtin
from station.identifiers.identification import Identification, Kind
from station.identifiers.s10 import parse_s10

if TYPE_CHECKING:
    from station.settings import Settings

_AIM = re.compile(r"^\][A-Za-z][0-9A-Za-z]")
_S10_SHAPE = re.compile(r"^[A-Z]{2}\d{9}[A-Z]{2}$")
_DIGITS = re.compile(r"^\d{8,18}$")


@dataclass(frozen=True)
class ScanRules:
    """What an installation recognises beyond the standards: its carriers and the key of
    the marketplace's shipment QR codes."""

    carriers: tuple[Carrier, ...]
    shipment_key: str | None = None

    @classmethod
    def shipped(
        cls, shipment_key: str | None = None, carriers_file: Path | None = None
    ) -> ScanRules:
        return cls(carriers=load_carriers(carriers_file), shipment_key=shipment_key or None)

    @classmethod
    def from_settings(cls, settings: Settings) -> ScanRules:
        section = settings.identifiers
        return cls.shipped(section.shipment_qr_key.get_secret_value(), section.carriers_file)


def identify(
    text: str, *, aim: str | None = None, rules: ScanRules | None = None
) -> Identification:
    """What one scan is. `aim` is the scanner's or decoder's AIM symbology id (e.g. "]C1");
    a scan that starts with one carries it in its text. Without `rules`, the carriers in
    config/identifiers/carriers.toml apply and shipment QR codes cannot be verified."""
    rules = rules or ScanRules.shipped()
    value = text.strip("\r\n\t ")
    if aim is None and _AIM.match(value):
        aim, value = value[:3], value[3:]
    elif aim and value.startswith(aim):
        value = value[len(aim) :]
    if not value:
        return Identification.invalid(Kind.UNKNOWN, text, "empty scan", aim)
    if commands.looks_like(value):
        return commands.identify_command(value, aim)
    if shipment_qr.looks_like(value):
        return shipment_qr.identify_shipment_qr(value, rules.shipment_key, aim)
    return (
        _standard(value, aim, rules)
        or _postal_or_carrier(value, aim, rules)
        or _unknown(value, aim)
    )


def _standard(value: str, aim: str | None, rules: ScanRules) -> Identification | None:
    if gs1.looks_like_hri(value):
        return gs1.identify_hri(value, aim)
    if gs1.looks_like_digital_link(value):
        return gs1.identify_digital_link(value, aim)
    if gs1.looks_like_element_string(value, aim):
        return gs1.identify_element_string(value, aim)
    if _DIGITS.match(value):
        return _digits(value, aim, rules)
    return None


def _digits(value: str, aim: str | None, rules: ScanRules) -> Identification:
    """Digits are a GTIN when their check digit holds, unless the symbology is one that
    carriers print (Code 128, Code 39) and a carrier's pattern fits; then a tracking number."""
    gtin = identify_gtin(value, aim)
    carrier_symbology = aim is not None and aim[:2] in ("]C", "]A") and aim not in gs1.GS1_AIMS
    if gtin.valid and not carrier_symbology:
        return gtin
    tracking = identify_tracking(value, rules.carriers, aim)
    return tracking if tracking is not None and tracking.valid else gtin


def _postal_or_carrier(value: str, aim: str | None, rules: ScanRules) -> Identification | None:
    compact = value.replace(" ", "").upper()
    if _S10_SHAPE.match(compact):
        try:
            s10 = parse_s10(compact)
        except InvalidIdentifier as err:
            return Identification.invalid(Kind.S10, value, str(err), aim, s10=compact)
        fields = {
            "s10": str(s10),
            "service": s10.service,
            "serial": s10.serial,
            "check": s10.check,
            "country": s10.country,
        }
        return Identification(kind=Kind.S10, valid=True, text=value, aim=aim, fields=fields)
    return identify_tracking(compact, rules.carriers, aim)


def _unknown(value: str, aim: str | None) -> Identification:
    reason = (
        "not a GTIN, GS1 code, postal id, tracking number of a known carrier, "
        "shipment QR or bench command"
    )
    return Identification.invalid(Kind.UNKNOWN, value, reason, aim)
