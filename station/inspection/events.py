"""Publishing result events: the immutable records the marketplace reads, in feed order.

Every final verdict, override and lot decision calls publish() inside the same
transaction that changes the inspection or lot, so an event exists exactly when
its change does; the webhook deliveries of the event are written in that same
transaction too (the outbox), so no committed event is ever left unannounced. On a
station's database the event's sync outbox row (station/sync/outbox.py) is too.

Call publish() last in the transaction: from then until COMMIT the transaction
holds the feed's writer lock, and other publishers wait for it. The transaction
must run at READ COMMITTED (the default), so the position read after taking the
lock sees the previous writer's commit (see station/inspection/feed.py for why
readers can then never skip an event).
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from station.clock import utcnow
from station.inspection.models import ResultEvent
from station.sync import outbox as sync_outbox
from station.webhooks.outbox import enqueue_deliveries

# Feed positions are handed out one writer at a time (see next_position).
FEED_LOCK_KEY = 7_405_118_234


class EventKind:
    INSPECTION_COMPLETED = "inspection.completed"
    INSPECTION_OVERRIDDEN = "inspection.overridden"
    LOT_DECIDED = "lot.decided"


def next_position(session: Session) -> int:
    """The next feed position, taken under a transaction-scoped lock.

    A sequence would hand out positions at insert time, and a later-committing
    transaction could then show a reader an earlier position after the reader
    had moved past it. Serialising the writers (one transaction at a time holds
    the lock until it commits) makes positions commit in order. On SQLite the
    write transaction (BEGIN IMMEDIATE) already serialises writers.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": FEED_LOCK_KEY})
    current = session.scalar(select(func.max(ResultEvent.position)))
    return (current or 0) + 1


def publish(
    session: Session,
    *,
    kind: str,
    subject_id: uuid.UUID,
    payload: dict[str, Any],
    warehouse_id: str | None = None,
    station_id: str | None = None,
    occurred_at: datetime | None = None,
    event_id: uuid.UUID | None = None,
) -> ResultEvent:
    """Add a result event to the caller's transaction, with its feed position."""
    event = ResultEvent(
        kind=kind,
        subject_id=subject_id,
        payload=payload,
        warehouse_id=warehouse_id,
        station_id=station_id,
        occurred_at=occurred_at or utcnow(),
        position=next_position(session),
    )
    if event_id is not None:
        event.id = event_id
    session.add(event)
    session.flush()
    enqueue_deliveries(session, event)
    if sync_outbox.wanted(session):  # a station's database: central gets it too
        sync_outbox.record_event(session, event)
    return event
