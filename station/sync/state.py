"""The station's sync state row: the pusher's lease, link health, the pull cursor."""

from __future__ import annotations

import os
import socket
from datetime import timedelta

from sqlalchemy.orm import Session

from station.clock import utcnow
from station.sync.models import SyncState

QUIET = timedelta(seconds=10)


def state_row(session: Session) -> SyncState:
    row = session.get(SyncState, 1)
    if row is None:
        row = SyncState(id=1)
        session.add(row)
        session.flush()
    return row


def take_lease(session: Session, owner: str, seconds: float) -> bool:
    """One pusher at a time keeps the outbox in order; a crashed one's lease runs out."""
    row = state_row(session)
    now = utcnow()
    if (
        row.lease_owner == owner
        and row.lease_until
        and row.lease_until - now > timedelta(seconds=seconds / 2)
    ):
        return True  # still ours for a good while: no write (the bench shares this disk)
    held = row.lease_owner not in (None, owner) and row.lease_until and row.lease_until > now
    if held and not _gone(row.lease_owner):
        return False
    row.lease_owner, row.lease_until = owner, now + timedelta(seconds=seconds)
    return True


def _gone(owner: str) -> bool:
    """Whether a lease holder was a process on this host that no longer runs (killed)."""
    host, _, rest = owner.partition(":")
    pid = rest.partition(":")[0]
    if host != socket.gethostname() or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def release_lease(session: Session, owner: str) -> None:
    row = state_row(session)
    if row.lease_owner == owner:
        row.lease_owner, row.lease_until = None, None


def record_success(session: Session) -> None:
    row = state_row(session)
    now = utcnow()
    healthy = row.offline_since is None and row.last_error is None and row.last_success_at
    if healthy and now - row.last_success_at < QUIET:
        return  # nothing new to say; spare the disk a write every round
    row.offline_since, row.last_error = None, None
    row.last_success_at = row.last_attempt_at = now


def record_failure(session: Session, error: str) -> None:
    row = state_row(session)
    now = utcnow()
    row.offline_since = row.offline_since or now
    row.last_attempt_at, row.last_error = now, error[:1000]
