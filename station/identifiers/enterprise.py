"""China's unified social credit code (GB 32100-2015): the enterprise id of a merchant."""

from station.identifiers.errors import InvalidIdentifier

_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # 31 characters: no I, O, S, V, Z
_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def uscc_check_character(body: str) -> str:
    """The 18th character of a code whose first 17 characters are `body`."""
    if len(body) != 17 or any(c not in _CHARSET for c in body):
        raise InvalidIdentifier(f"{body!r} is not the body of a unified social credit code")
    total = sum(_CHARSET.index(c) * w for c, w in zip(body, _WEIGHTS, strict=True))
    return _CHARSET[(31 - total % 31) % 31]


def validate_uscc(text: str) -> str:
    """Return the code upper-cased, or raise with what is wrong."""
    code = text.strip().upper()
    if len(code) != 18:
        raise InvalidIdentifier(
            f"unified social credit code {text!r} has {len(code)} characters; expected 18"
        )
    bad = [c for c in code if c not in _CHARSET]
    if bad:
        raise InvalidIdentifier(
            f"unified social credit code {text!r} contains {bad[0]!r}, which the code never uses"
        )
    expected = uscc_check_character(code[:17])
    if code[17] != expected:
        raise InvalidIdentifier(
            f"unified social credit code {code}: check character {expected} expected, "
            f"got {code[17]}"
        )
    return code
