"""Backing up a station: the SQLite database through SQLite's online backup API, and
the evidence photos copied incrementally.

The database is copied first, then the photos: a photo file is written (and synced)
before the row naming it commits (station.evidence), so every photo the copied
database names is already on disk when the photo copy starts.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import make_url

from station.clock import utcnow
from station.errors import StationError

PAGES_PER_STEP = -1  # the whole database in one step: one consistent snapshot
POSTGRES_ADVICE = (
    "this database is PostgreSQL: `inbound-station backup` copies SQLite databases only. "
    "Back PostgreSQL up with pg_dump, or pg_basebackup plus WAL archiving for "
    "point-in-time recovery, as docs/operations.md describes; copy the evidence folder "
    "with rsync."
)


class BackupError(StationError):
    """A backup cannot be made, or a backup file cannot be used."""


@dataclass(frozen=True)
class EvidenceCopy:
    copied: int
    already_there: int
    bytes_copied: int


@dataclass(frozen=True)
class BackupReport:
    database: Path
    size: int
    revision: str | None
    evidence_dir: Path | None
    evidence: EvidenceCopy | None


def sqlite_path(database_url: str) -> Path:
    """The database file of a sqlite:/// URL; BackupError for PostgreSQL and memory."""
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite":
        raise BackupError(POSTGRES_ADVICE)
    if not url.database or url.database == ":memory:":
        raise BackupError("an in-memory database has nothing to back up")
    return Path(url.database)


def default_target(backup_dir: Path, now: datetime | None = None) -> Path:
    stamp = (now or utcnow()).strftime("%Y%m%dT%H%M%SZ")
    return backup_dir / f"station-{stamp}.db"


def back_up(
    database_url: str, target: Path, evidence_root: Path | None, evidence_target: Path | None
) -> BackupReport:
    """Copy the live database to `target` (verified), then mirror new evidence files."""
    source = sqlite_path(database_url)
    if not source.is_file():
        raise BackupError(f"there is no database at {source} to back up")
    if target.exists():
        raise BackupError(f"{target} exists already; name another file")
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.partial")
    try:
        copy_database(source, partial)
        revision = verify(partial)
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    copied = None
    if evidence_root is not None and evidence_target is not None:
        copied = mirror_evidence(evidence_root, evidence_target)
    return BackupReport(target, target.stat().st_size, revision, evidence_target, copied)


def copy_database(source: Path, target: Path) -> None:
    src = sqlite3.connect(source, timeout=30)
    dst = sqlite3.connect(target)
    try:
        src.execute("PRAGMA busy_timeout=30000")
        src.backup(dst, pages=PAGES_PER_STEP)
        # A standalone file: no -wal beside it to lose when it is copied elsewhere.
        dst.execute("PRAGMA journal_mode=DELETE")
        dst.commit()
    finally:
        dst.close()
        src.close()
    _fsync(target)


def verify(path: Path) -> str | None:
    """The schema revision of a database file whose integrity check passes; BackupError
    saying what is wrong otherwise."""
    if not path.is_file():
        raise BackupError(f"{path} does not exist")
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            rows = [row[0] for row in conn.execute("PRAGMA integrity_check")]
            if rows != ["ok"]:
                shown = "; ".join(str(r) for r in rows[:5])
                raise BackupError(f"{path} fails SQLite's integrity check: {shown}")
            return _revision(conn, path)
        finally:
            conn.close()
    except sqlite3.DatabaseError as err:
        raise BackupError(
            f"{path} is not a usable SQLite database, damaged or truncated ({err})"
        ) from None


def _revision(conn: sqlite3.Connection, path: Path) -> str | None:
    try:
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.OperationalError:
        raise BackupError(
            f"{path} is an SQLite database but not an inbound-station one (no schema revision)"
        ) from None
    return row[0] if row else None


def mirror_evidence(root: Path, target: Path) -> EvidenceCopy:
    """Copy the evidence files `target` does not have yet. Names are SHA-256 digests of
    the contents, so a file already there with the right size is the same file."""
    copied = already = size = 0
    if not root.is_dir():
        return EvidenceCopy(0, 0, 0)
    for path in sorted(root.rglob("*")):
        if not path.is_file() or path.name.startswith("."):
            continue
        destination = target / path.relative_to(root)
        if destination.is_file() and destination.stat().st_size == path.stat().st_size:
            already += 1
            continue
        size += _copy_checked(path, destination)
        copied += 1
    return EvidenceCopy(copied, already, size)


def _copy_checked(path: Path, destination: Path) -> int:
    """Copy one evidence file by way of a temporary name; a copy whose digest is not its
    name (a damaged source) is refused."""
    destination.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=destination.parent, prefix=".incoming-")
    digest = hashlib.sha256()
    try:
        with path.open("rb") as src, os.fdopen(fd, "wb") as dst:
            while chunk := src.read(1 << 20):
                digest.update(chunk)
                dst.write(chunk)
            dst.flush()
            os.fsync(dst.fileno())
        if len(path.name) == 64 and digest.hexdigest() != path.name:
            raise BackupError(f"evidence file {path} does not match its SHA-256 name: damaged")
        os.replace(tmp, destination)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return destination.stat().st_size


def _fsync(path: Path) -> None:
    with path.open("rb+") as fh:
        os.fsync(fh.fileno())
