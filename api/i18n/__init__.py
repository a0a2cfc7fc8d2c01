"""Screen language: message catalogues (one JSON file per language) and negotiation.

Keys are dotted names ("login.title"); values may hold {name} placeholders.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

HERE = Path(__file__).resolve().parent
LANGUAGES = ("en", "zh")
# Each language named in its own words, for the switch on every page.
NATIVE_NAMES = {"en": "English", "zh": "简体中文"}


@cache
def catalogue(language: str) -> dict[str, str]:
    return json.loads((HERE / f"{language}.json").read_text("utf-8"))


def translate(language: str, key: str, **params: object) -> str:
    """The message for key; the English one when a catalogue lacks it (the tests
    make sure none does), and the key itself when no catalogue has it."""
    text = catalogue(language).get(key) or catalogue("en").get(key) or key
    return text.format(**params) if params else text


def negotiate(accept_language: str | None, default: str) -> str:
    """The best of our languages for an Accept-Language header (RFC 9110 weights)."""
    best, best_q = default, 0.0
    for part in (accept_language or "").split(","):
        tag, _, params = part.strip().partition(";")
        language = tag.strip().lower().split("-")[0]
        if language not in LANGUAGES:
            continue
        q = _weight(params)
        # Strictly greater: of equal weights the first listed wins, as RFC 9110 implies.
        if q > best_q:
            best, best_q = language, q
    return best


def _weight(params: str) -> float:
    for param in params.split(";"):
        name, _, value = param.strip().partition("=")
        if name.strip() == "q":
            try:
                return max(0.0, min(1.0, float(value)))
            except ValueError:
                return 0.0
    return 1.0
