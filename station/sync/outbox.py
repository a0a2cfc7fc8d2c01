"""The station's outbox: one row per result event, written in the event's transaction.

A database opened for the station role (Database(..., sync_outbox=True)) marks its
sessions; publish() then calls record_event() before COMMIT, so whichever process
writes the station database (the bench server, `inbound-station autopilot`), a
committed result always has its outbox row, and a rolled-back one never does.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from station.clock import utcnow
from station.inspection.models import ResultEvent
from station.sync.models import OutboxRecord
from station.sync.snapshot import event_body

SESSION_FLAG = "sync_outbox"


def wanted(session: Session) -> bool:
    return bool(session.info.get(SESSION_FLAG))


def record_event(session: Session, event: ResultEvent) -> OutboxRecord:
    body, photos = event_body(session, event)
    row = OutboxRecord(record_id=event.id, kind="event", body=body, photos=photos)
    session.add(row)
    session.flush()
    return row


def pending(session: Session, limit: int) -> list[OutboxRecord]:
    """The oldest records not yet stored at central, in the order they were written."""
    query = (
        select(OutboxRecord)
        .where(OutboxRecord.sent_at.is_(None))
        .order_by(OutboxRecord.seq)
        .limit(limit)
    )
    return list(session.scalars(query))


def mark_sent(session: Session, seqs: Iterable[int]) -> None:
    seqs = list(seqs)
    if seqs:
        session.execute(
            update(OutboxRecord).where(OutboxRecord.seq.in_(seqs)).values(sent_at=utcnow())
        )


def mark_failed(session: Session, seq: int, error: str) -> None:
    session.execute(
        update(OutboxRecord)
        .where(OutboxRecord.seq == seq)
        .values(attempts=OutboxRecord.attempts + 1, last_error=error[:1000])
    )


def prune(session: Session, older_than: timedelta) -> int:
    """Forget rows central stored long ago; pending rows are never touched."""
    cutoff = utcnow() - older_than
    result = session.execute(
        delete(OutboxRecord).where(OutboxRecord.sent_at.is_not(None), OutboxRecord.sent_at < cutoff)
    )
    return result.rowcount or 0


def depth(session: Session) -> tuple[int, object]:
    """How many records wait, and when the oldest of them was written (None: none wait)."""
    count, oldest = session.execute(
        select(func.count(), func.min(OutboxRecord.created_at)).where(
            OutboxRecord.sent_at.is_(None)
        )
    ).one()
    return count, oldest
