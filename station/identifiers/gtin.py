"""GTIN-8/12/13/14 with the GS1 mod-10 check digit, normalised to 14 digits; UPC-E and
EAN add-ons as retail scanners send them."""

from __future__ import annotations

from station.identifiers.errors import InvalidIdentifier
from station.identifiers.identification import Identification, Kind

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


def upce_to_upca(upce: str) -> str:
    """The 12-digit UPC-A number an 8-digit UPC-E stands for (GS1 zero-suppression)."""
    if len(upce) != 8 or not upce.isdigit() or upce[0] not in "01":
        raise InvalidIdentifier(f"UPC-E {upce!r} must be 8 digits starting with 0 or 1")
    system, body, check = upce[0], upce[1:7], upce[7]
    last = body[5]
    if last in "012":
        middle = body[0:2] + last + "0000" + body[2:5]
    elif last == "3":
        middle = body[0:3] + "00000" + body[3:5]
    elif last == "4":
        middle = body[0:4] + "00000" + body[4]
    else:
        middle = body[0:5] + "0000" + last
    return system + middle + check


# AIM ids of EAN/UPC (ISO/IEC 15424): ]E0 EAN-13, UPC-A or UPC-E; ]E3 with an add-on;
# ]E4 EAN-8. ITF-14 arrives as ]I1 (ITF with its check digit).
ADD_ON_AIM = "]E3"
UPCE_AIM = "]E0"


def identify_gtin(digits: str, aim: str | None = None) -> Identification:
    """A retail or carton number: GTIN-8/12/13/14, UPC-E, or one with a 2/5-digit add-on."""
    main, add_on, upce = digits, None, None
    if aim == ADD_ON_AIM and len(digits) in (14, 15, 17, 18):
        main, add_on = (
            (digits[:-2], digits[-2:]) if len(digits) in (14, 15) else (digits[:-5], digits[-5:])
        )
    # An 8-digit code is EAN-8 unless the scanner says ]E0 or only UPC-E adds up.
    maybe_upce = len(main) == 8 and main[0] in "01" and (aim == UPCE_AIM or not _valid(main))
    if maybe_upce and _valid(upce_to_upca(main)):
        main, upce = upce_to_upca(main), main
    try:
        gtin = normalise_gtin(main)
    except InvalidIdentifier as err:
        return Identification.invalid(Kind.GTIN, digits, str(err), aim, digits=main)
    fields: dict[str, object] = {"gtin": gtin, "digits": main, "length": len(main)}
    if add_on:
        fields["add_on"] = add_on
    if upce:
        fields["upc_e"] = upce
    return Identification(kind=Kind.GTIN, valid=True, text=digits, aim=aim, fields=fields)


def _valid(digits: str) -> bool:
    return digits.isdigit() and gs1_check_digit(digits[:-1]) == int(digits[-1])
