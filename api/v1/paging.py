"""Pages of a list: `{"items": [...], "next": CURSOR or null}` plus a Link header.

Cursors are opaque: base64 of the last row's sort key and a fingerprint of the
filters, so a cursor reused with other filters is refused instead of silently
paging through a different list. Keyset pagination: each page is one index
range scan, as fast near the end of a list as at its start.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from typing import Annotated, Any, Generic, TypeVar

from fastapi import Query, Request, Response
from pydantic import BaseModel

from api.v1.problems import ProblemException

T = TypeVar("T")
DEFAULT_LIMIT, MAX_LIMIT = 100, 1000

Limit = Annotated[
    int, Query(ge=1, le=MAX_LIMIT, description=f"Page size (default {DEFAULT_LIMIT}).")
]
After = Annotated[
    str | None,
    Query(max_length=500, description="The `next` cursor of the previous page; omit to start."),
]


class Page(BaseModel, Generic[T]):
    items: list[T]
    next: str | None


def filters_key(filters: dict[str, Any]) -> str:
    text = json.dumps({k: str(v) for k, v in filters.items() if v is not None}, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def encode(key: list[Any], filters: dict[str, Any]) -> str:
    raw = json.dumps({"k": key, "f": filters_key(filters)}, separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode(cursor: str | None, filters: dict[str, Any], size: int) -> list[Any] | None:
    """The sort key a cursor carries (None without a cursor), or 400 invalid-cursor."""
    if not cursor:
        return None
    try:
        data = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        key, fingerprint = data["k"], data["f"]
    except (binascii.Error, ValueError, TypeError, KeyError):
        raise invalid_cursor() from None
    if fingerprint != filters_key(filters) or not isinstance(key, list) or len(key) != size:
        raise ProblemException(
            "invalid-cursor", "this cursor belongs to a list with other filters; start again"
        )
    return key


def invalid_cursor() -> ProblemException:
    return ProblemException("invalid-cursor", "this cursor was not made by this API")


def link_next(
    request: Request, response: Response, cursor: str | None, name: str = "after"
) -> None:
    """RFC 8288 Link header to the next page (absent on the last page)."""
    if cursor:
        url = request.url.include_query_params(**{name: cursor})
        response.headers["Link"] = f'<{url.path}?{url.query}>; rel="next"'
