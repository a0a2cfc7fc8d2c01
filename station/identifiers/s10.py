"""UPU S10 postal item identifiers: 2 letters, 8 digits, a check digit, an ISO country."""

from __future__ import annotations

import re
from dataclasses import dataclass

from station.identifiers.countries import ISO_3166_ALPHA2
from station.identifiers.errors import InvalidIdentifier

_WEIGHTS = (8, 6, 4, 2, 3, 5, 9, 7)
_SHAPE = re.compile(r"^([A-Z]{2})(\d{8})(\d)([A-Z]{2})$")


def s10_check_digit(serial: str) -> int:
    """S10 check digit of an 8-digit serial number (UPU S10, weights 8 6 4 2 3 5 9 7)."""
    if len(serial) != 8 or not serial.isdigit():
        raise InvalidIdentifier(f"S10 serial {serial!r} must be 8 digits")
    check = 11 - sum(int(d) * w for d, w in zip(serial, _WEIGHTS, strict=True)) % 11
    return {10: 0, 11: 5}.get(check, check)


@dataclass(frozen=True)
class S10:
    service: str  # service indicator, e.g. "EE", "RR", "CP"
    serial: str
    check: int
    country: str

    def __str__(self) -> str:
        return f"{self.service}{self.serial}{self.check}{self.country}"


def parse_s10(text: str) -> S10:
    """Parse and validate an S10 id such as 'EE123456785CN' (spaces ignored)."""
    value = text.replace(" ", "").upper()
    match = _SHAPE.match(value)
    if not match:
        raise InvalidIdentifier(
            f"S10 id {text!r} must be 2 letters, 8 digits, a check digit and a country code"
        )
    service, serial, check, country = match.groups()
    expected = s10_check_digit(serial)
    if int(check) != expected:
        raise InvalidIdentifier(f"S10 id {value}: check digit {expected} expected, got {check}")
    if country not in ISO_3166_ALPHA2:
        raise InvalidIdentifier(f"S10 id {value}: {country} is not an ISO 3166 country code")
    return S10(service=service, serial=serial, check=int(check), country=country)
