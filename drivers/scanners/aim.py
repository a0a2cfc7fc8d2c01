"""AIM symbology identifiers (ISO/IEC 15424): `]` + code character + modifier.

`gs1` is True when the identifier says the data is a GS1 element string (FNC1 in first
position): ]C1, ]d2, ]d5, ]Q3, ]Q5, ]e0-]e2, ]J1. EAN/UPC (]E0, ]E3, ]E4) carry a GTIN,
not an element string, so they are not flagged. Without an identifier nothing is claimed.
"""

from __future__ import annotations

from dataclasses import dataclass

SYMBOLOGIES = {
    "A": "Code 39",
    "C": "Code 128",
    "d": "Data Matrix",
    "E": "EAN/UPC",
    "e": "GS1 DataBar",
    "F": "Codabar",
    "G": "Code 93",
    "I": "Interleaved 2 of 5",
    "J": "DotCode",
    "L": "PDF417",
    "Q": "QR Code",
    "z": "Aztec",
    "X": "Other",
}
GS1_IDS = frozenset({"]C1", "]d2", "]d5", "]Q3", "]Q5", "]e0", "]e1", "]e2", "]J1"})
GS = "\x1d"


@dataclass(frozen=True)
class Symbol:
    text: str  # data without the identifier and without a leading GS
    aim: str | None
    symbology: str | None
    gs1: bool


def split_aim(text: str) -> Symbol:
    """Take the AIM identifier off the front of a scan, when there is one."""
    aim = None
    if len(text) >= 3 and text[0] == "]" and text[1] in SYMBOLOGIES and text[2].isalnum():
        aim, text = text[:3], text[3:]
    symbology = SYMBOLOGIES[aim[1]] if aim else None
    if aim == "]C1":
        symbology = "GS1-128"
    elif aim in ("]d2", "]d5"):
        symbology = "GS1 DataMatrix"
    elif aim in ("]Q3", "]Q5"):
        symbology = "GS1 QR Code"
    # A leading FNC1 sent as GS carries no data; GS separators inside are kept.
    if text.startswith(GS):
        text = text[1:]
    return Symbol(text, aim, symbology, aim in GS1_IDS)
