"""What a scan is: GTINs, GS1 element strings, UPU S10 postal ids, tracking numbers."""

from station.identifiers.errors import InvalidIdentifier
from station.identifiers.gtin import gs1_check_digit, normalise_gtin
from station.identifiers.s10 import S10, parse_s10, s10_check_digit

__all__ = [
    "S10",
    "InvalidIdentifier",
    "gs1_check_digit",
    "normalise_gtin",
    "parse_s10",
    "s10_check_digit",
]
