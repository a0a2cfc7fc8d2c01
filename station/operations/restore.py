"""Putting a backup back: checked first, the replaced database kept aside, photos added.

Nothing is touched until the backup has passed SQLite's integrity check and carries a
schema revision this code knows; the database being replaced is renamed (with its -wal
and -shm files, so they stay a pair), never deleted.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

import httpx
from alembic.script import ScriptDirectory
from alembic.util import CommandError

from station.clock import utcnow
from station.db.migrate import alembic_config, head_revision
from station.operations.backup import (
    BackupError,
    EvidenceCopy,
    copy_database,
    mirror_evidence,
    sqlite_path,
    verify,
)
from station.settings import Settings

SIDE_FILES = ("", "-wal", "-shm")


@dataclass(frozen=True)
class RestoreReport:
    database: Path
    revision: str
    needs_migrate: bool
    kept_aside: list[Path]
    evidence: EvidenceCopy | None


def server_in_use(settings: Settings, database: Path) -> str | None:
    """Why a server appears to be using this installation, or None."""
    host = settings.server.host if settings.server.host not in ("0.0.0.0", "::") else "127.0.0.1"
    url = f"http://{host}:{settings.server.port}/health"
    try:
        answer = httpx.get(url, timeout=2.0)
        if answer.headers.get("content-type", "").startswith("application/json"):
            return f"an inbound-station server answers at {url}"
    except httpx.HTTPError:
        pass
    if database.is_file() and not _can_lock(database):
        return f"another process is writing to {database}"
    return None


def _can_lock(database: Path) -> bool:
    conn = sqlite3.connect(database, timeout=1.0, isolation_level=None)
    try:
        conn.execute("BEGIN EXCLUSIVE")
        conn.execute("ROLLBACK")
        return True
    except sqlite3.OperationalError:
        return False
    finally:
        conn.close()


def check_backup(backup: Path) -> str:
    """The backup's schema revision, once it has proved usable by this code."""
    try:
        revision = verify(backup)
    except BackupError as err:
        raise BackupError(f"{err}; nothing was restored") from None
    if revision is None:
        raise BackupError(f"{backup} has an empty schema revision; nothing was restored")
    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    try:
        known = script.get_revision(revision) is not None
    except CommandError:
        known = False
    if not known:
        raise BackupError(
            f"{backup} is at schema revision {revision}, which this version of inbound-station "
            "does not know (made by a newer version?); restore it with that version; "
            "nothing was restored"
        )
    return revision


def restore(
    backup: Path, database_url: str, evidence_backup: Path | None, evidence_root: Path
) -> RestoreReport:
    """Replace the installation's database with `backup` (the caller has made sure no
    server is running)."""
    target = sqlite_path(database_url)
    revision = check_backup(backup)
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = target.with_name(f".{target.name}.restoring")
    staging.unlink(missing_ok=True)
    try:
        copy_database(backup, staging)
        verify(staging)
        aside = _set_aside(target)
        os.replace(staging, target)
    finally:
        staging.unlink(missing_ok=True)
    copied = None
    if evidence_backup is not None and evidence_backup.is_dir():
        copied = mirror_evidence(evidence_backup, evidence_root)
    return RestoreReport(target, revision, revision != head_revision(), aside, copied)


def _set_aside(target: Path) -> list[Path]:
    stamp = utcnow().strftime("%Y%m%dT%H%M%SZ")
    moved = []
    for suffix in SIDE_FILES:
        current = target.with_name(target.name + suffix)
        if current.exists():
            kept = target.with_name(f"{target.name}.replaced-{stamp}{suffix}")
            os.replace(current, kept)
            moved.append(kept)
    return moved
