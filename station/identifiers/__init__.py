"""What a scan is: GTINs, GS1 element strings and Digital Links, UPU S10 postal ids,
carrier tracking numbers, the marketplace's shipment QR and bench command cards.

`identify(text, aim=...)` is the one entry point; the parsers below it are public for
the checks that need one kind only."""

from station.identifiers.errors import InvalidIdentifier
from station.identifiers.gtin import gs1_check_digit, normalise_gtin, upce_to_upca
from station.identifiers.identification import Identification, Kind
from station.identifiers.identify import ScanRules, identify
from station.identifiers.s10 import S10, parse_s10, s10_check_digit
from station.identifiers.shipment_qr import make_payload as shipment_qr_payload

__all__ = [
    "S10",
    "Identification",
    "InvalidIdentifier",
    "Kind",
    "ScanRules",
    "gs1_check_digit",
    "identify",
    "normalise_gtin",
    "parse_s10",
    "s10_check_digit",
    "shipment_qr_payload",
    "upce_to_upca",
]
