"""How the station's sync stands, for the bench strip, the dashboard and /metrics."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from station.clock import utcnow
from station.db.engine import Database
from station.settings import Settings
from station.sync import outbox
from station.sync.disk import DiskSpace, disk_space
from station.sync.models import ReceivedRecord, SyncState


@dataclass(frozen=True)
class SyncStatus:
    enabled: bool  # a station with a central to push to
    outbox_depth: int
    oldest_pending_at: datetime | None
    lag_seconds: float  # age of the oldest record central does not have yet; 0 when none
    offline_since: datetime | None
    last_success_at: datetime | None
    last_error: str | None
    disk: DiskSpace

    @property
    def offline(self) -> bool:
        return self.offline_since is not None

    def summary(self) -> str:
        """One line for people: the bench strip, the dashboard, `sync status`."""
        if not self.enabled:
            return "sync off (not a station)"
        parts = [f"{self.outbox_depth} waiting for central"]
        if self.offline_since:
            parts.insert(0, f"offline since {self.offline_since:%Y-%m-%d %H:%M} UTC")
        if self.outbox_depth:
            parts.append(f"oldest {self.lag_seconds:.0f} s")
        if self.disk.low:
            parts.append(self.disk.warning() or "")
        return "; ".join(parts)


def sync_status(db: Database, settings: Settings) -> SyncStatus:
    """Read-only; a database without the sync tables yet reads as an empty outbox."""
    now = utcnow()
    try:
        with db.session() as session:
            depth, oldest = outbox.depth(session)
            row = session.get(SyncState, 1)
    except SQLAlchemyError:
        depth, oldest, row = 0, None, None
    return SyncStatus(
        enabled=settings.role == "station",
        outbox_depth=depth,
        oldest_pending_at=oldest,
        lag_seconds=max(0.0, (now - oldest).total_seconds()) if oldest else 0.0,
        offline_since=row.offline_since if row else None,
        last_success_at=row.last_success_at if row else None,
        last_error=row.last_error if row else None,
        disk=disk_space(settings.data_dir, settings.sync.disk_warn_free_mb),
    )


def last_received(session: Session) -> dict[str, datetime]:
    """Central: when each station's last record arrived (empty on a station)."""
    try:
        rows = session.execute(
            select(ReceivedRecord.station_id, func.max(ReceivedRecord.received_at)).group_by(
                ReceivedRecord.station_id
            )
        )
        return {station: at for station, at in rows}
    except SQLAlchemyError:
        session.rollback()
        return {}
