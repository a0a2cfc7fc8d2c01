"""GTIN-8/12/13/14 with the GS1 mod-10 check digit, normalised to 14 digits."""

from station.identifiers.errors import InvalidIdentifier

GTIN_LENGTHS = (8, 12, 13, 14)


def gs1_check_digit(body: str) -> int:
    """The GS1 check digit for the digits before it (weights 3,1,3,... from the right)."""
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return (10 - total % 10) % 10


def normalise_gtin(text: str) -> str:
    """Validate a GTIN of any length and return it as GTIN-14 (left-padded with zeros)."""
    value = text.strip()
    if not value.isdigit() or not value.isascii():
        raise InvalidIdentifier(f"GTIN {text!r} must contain digits only")
    if len(value) not in GTIN_LENGTHS:
        raise InvalidIdentifier(f"GTIN {text!r} has {len(value)} digits; expected 8, 12, 13 or 14")
    expected = gs1_check_digit(value[:-1])
    if int(value[-1]) != expected:
        raise InvalidIdentifier(f"GTIN {value}: check digit {expected} expected, got {value[-1]}")
    return value.zfill(14)
