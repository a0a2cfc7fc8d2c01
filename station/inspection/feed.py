"""Reading the result feed: every event after a cursor, in position order.

Why a reader never skips an event (the guarantee the marketplace relies on):
positions are not taken from a sequence. publish() takes them as max + 1 while
holding one transaction-scoped lock (pg_advisory_xact_lock on PostgreSQL; the
single writer of BEGIN IMMEDIATE on SQLite), and the lock is held until the
writer's COMMIT. PostgreSQL makes a commit visible before it releases the
transaction's locks, so the next writer can only take its position after the
previous one is visible to everybody. Hence positions become visible in order:
whenever a reader can see position p, it can see every position below p, and
"after the last position I saw" never passes over an event that commits later.
A sequence would break this: it hands out numbers at insert time, and a slow
transaction holding number 5 could commit after 6 was read and passed.

The cursor is opaque to clients (base64 of a versioned position); only this
module builds and reads it.
"""

from __future__ import annotations

import base64
import binascii
import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from station.errors import StationError
from station.inspection.models import ResultEvent

_FORM = re.compile(r"^f1:(\d{1,18})$")


class InvalidCursor(StationError):
    """A cursor that this server did not make."""


def encode_cursor(position: int) -> str:
    return base64.urlsafe_b64encode(f"f1:{position}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> int:
    """The position a cursor stands for; no cursor means the start of the feed."""
    if not cursor:
        return 0
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        text = ""
    match = _FORM.match(text)
    if match is None:
        raise InvalidCursor("this cursor was not made by this feed; start again without one")
    return int(match[1])


def read_feed(
    session: Session, *, after: int, limit: int, warehouses: list[str] | None = None
) -> list[ResultEvent]:
    """Up to `limit` events after position `after`, oldest first; only the given
    warehouses' events when a list is given."""
    query = select(ResultEvent).where(ResultEvent.position > after)
    if warehouses is not None:
        query = query.where(ResultEvent.warehouse_id.in_(warehouses))
    return list(session.scalars(query.order_by(ResultEvent.position).limit(limit)))
