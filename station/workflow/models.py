"""The bench's current session state, one row per bench, rewritten after every step."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, String
from sqlalchemy.orm import Mapped, mapped_column

from station.clock import utcnow
from station.db.base import Base


class BenchSession(Base):
    """Where a bench is in its work. Written in the same transaction as the records
    of the step that produced it, so after a crash the bench resumes exactly here."""

    __tablename__ = "bench_sessions"

    bench_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    station_id: Mapped[str | None] = mapped_column(String(64))
    step: Mapped[int] = mapped_column(BigInteger, default=0)
    state: Mapped[dict[str, Any]] = mapped_column(default=dict)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
