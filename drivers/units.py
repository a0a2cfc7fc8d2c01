"""Weight units as data: Decimal values to integer milligrams, exactly (no floats)."""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Decimal

# Milligrams per unit; the pound is defined as exactly 0.45359237 kg.
MILLIGRAMS_PER = {
    "mg": Decimal(1),
    "g": Decimal(1000),
    "kg": Decimal(1_000_000),
    "lb": Decimal("453592.37"),
    "oz": Decimal("453592.37") / 16,
}
SUPPORTED_UNITS = ("g", "kg", "lb", "oz", "mg")

_ALIASES = {"gram": "g", "grams": "g", "lbs": "lb", "kgs": "kg"}


def canonical_unit(text: str) -> str | None:
    """The unit name we use for a unit field as devices print it ('KG', 'lb ', 'g'), or None."""
    name = text.strip().lower()
    name = _ALIASES.get(name, name)
    return name if name in MILLIGRAMS_PER else None


def to_milligrams(value: Decimal, unit: str) -> int:
    return int((value * MILLIGRAMS_PER[unit]).quantize(Decimal(1), rounding=ROUND_HALF_EVEN))


def pounds_and_ounces(pounds: int, ounces: Decimal) -> Decimal:
    """An lb-oz display (e.g. 2 lb 5.3 oz) as exact decimal pounds (ounces/16 is exact)."""
    return Decimal(pounds) + ounces / 16
