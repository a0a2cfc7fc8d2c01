"""The sync tables: the station's outbox and state, central's record of what it received."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from station.clock import utcnow
from station.db.base import Base, BigId


class OutboxRecord(Base):
    """One record waiting for central (or sent), written in the transaction of its change.

    `seq` is AUTOINCREMENT on SQLite so a deleted top row's number is never handed out
    again; rows are picked by `sent_at IS NULL`, in seq order (= commit order on SQLite).
    """

    __tablename__ = "sync_outbox"
    __table_args__ = (
        Index("ix_sync_outbox_pending", "sent_at", "seq"),
        {"sqlite_autoincrement": True},
    )

    seq: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    record_id: Mapped[uuid.UUID] = mapped_column(unique=True)
    kind: Mapped[str] = mapped_column(String(64))
    body: Mapped[dict[str, Any]] = mapped_column(default=dict)
    photos: Mapped[list[str]] = mapped_column(default=list)  # SHA-256 of the evidence files
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(String(1000))


class SyncState(Base):
    """The station's one row: link health, the worker's lease and the pull cursor."""

    __tablename__ = "sync_state"

    id: Mapped[int] = mapped_column(primary_key=True, default=1)
    offline_since: Mapped[datetime | None]
    last_success_at: Mapped[datetime | None]
    last_attempt_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(String(1000))
    lease_owner: Mapped[str | None] = mapped_column(String(100))
    lease_until: Mapped[datetime | None]
    pull_cursor: Mapped[str | None] = mapped_column(String(200))
    pulled_at: Mapped[datetime | None]


class ReceivedRecord(Base):
    """Central: a station record already stored; a replay is answered from here."""

    __tablename__ = "sync_received"

    record_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    station_id: Mapped[str] = mapped_column(String(64), index=True)
    seq: Mapped[int] = mapped_column(BigInteger)
    kind: Mapped[str] = mapped_column(String(64))
    position: Mapped[int | None] = mapped_column(BigInteger)
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
