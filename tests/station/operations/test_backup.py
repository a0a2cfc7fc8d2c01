"""Backups while the station writes, and restores that bring the data back or change
nothing at all."""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from contextlib import closing
from pathlib import Path

import pytest
from sqlalchemy import func, select

from station.audit.models import AuditEntry, record
from station.db.engine import Database
from station.evidence import EvidenceStore
from station.operations.backup import BackupError, back_up, sqlite_path, verify
from station.operations.restore import restore, server_in_use
from station.settings import load_settings
from tests.support.ports import free_port

BATCH = 10  # the writer commits audit entries ten at a time


def add_entries(db: Database, count: int, action: str = "test.write") -> None:
    with db.transaction() as session:
        for n in range(count):
            record(session, actor="test", action=action, subject_type="t", subject_id=str(n))


def entries(path: Path) -> int:
    with closing(sqlite3.connect(path)) as conn:
        return conn.execute("SELECT count(*) FROM audit_log").fetchone()[0]


def live_entries(db: Database) -> int:
    with db.session() as session:
        return session.scalar(select(func.count()).select_from(AuditEntry))


def test_backup_during_concurrent_writes_is_a_consistent_copy(sqlite_db, tmp_path):
    stop, written, errors = threading.Event(), [0], []

    def writer() -> None:
        try:
            while not stop.is_set():
                add_entries(sqlite_db, BATCH)
                written[0] += BATCH
        except Exception as err:  # pragma: no cover - reported below
            errors.append(err)

    thread = threading.Thread(target=writer)
    thread.start()
    copies = []
    try:
        while written[0] < 5 * BATCH:
            stop.wait(0.01)
        for n in range(4):
            target = tmp_path / f"copy-{n}.db"
            back_up(sqlite_db.url, target, None, None)
            copies.append(target)
    finally:
        stop.set()
        thread.join(timeout=120)
    assert not errors
    counts = [entries(copy) for copy in copies]
    for copy, count in zip(copies, counts, strict=True):
        assert verify(copy) is not None  # integrity check ok, schema revision present
        assert count > 0 and count % BATCH == 0, f"{copy} holds half a transaction: {count}"
    assert counts == sorted(counts)
    assert live_entries(sqlite_db) >= counts[-1]


def test_backup_refuses_to_overwrite_and_leaves_no_partial_file(sqlite_db, tmp_path):
    target = tmp_path / "b.db"
    back_up(sqlite_db.url, target, None, None)
    with pytest.raises(BackupError, match="exists already"):
        back_up(sqlite_db.url, target, None, None)
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def test_postgres_is_not_dumped_and_the_message_points_to_the_docs():
    with pytest.raises(BackupError) as refused:
        sqlite_path("postgresql+psycopg://postgres@127.0.0.1:5432/central")
    assert "pg_dump" in str(refused.value) and "docs/operations.md" in str(refused.value)


def test_evidence_is_copied_incrementally(sqlite_db, tmp_path):
    store = EvidenceStore(tmp_path / "evidence")
    first = store.put(b"photo one")
    mirror = tmp_path / "backups" / "evidence"
    report = back_up(sqlite_db.url, tmp_path / "backups" / "1.db", store.root, mirror)
    assert (report.evidence.copied, report.evidence.already_there) == (1, 0)
    store.put(b"photo two")
    report = back_up(sqlite_db.url, tmp_path / "backups" / "2.db", store.root, mirror)
    assert (report.evidence.copied, report.evidence.already_there) == (1, 1)
    copy = mirror / first.path.relative_to(store.root)
    assert hashlib.sha256(copy.read_bytes()).hexdigest() == first.sha256


def test_a_damaged_evidence_file_is_refused(sqlite_db, tmp_path):
    store = EvidenceStore(tmp_path / "evidence")
    stored = store.put(b"photo")
    stored.path.write_bytes(b"bit rot")
    with pytest.raises(BackupError, match="does not match its SHA-256 name"):
        back_up(sqlite_db.url, tmp_path / "b.db", store.root, tmp_path / "mirror")


def test_restore_brings_the_data_back_and_keeps_the_replaced_database(sqlite_db, tmp_path):
    add_entries(sqlite_db, 3)
    store = EvidenceStore(tmp_path / "evidence")
    photo = store.put(b"evidence photo")
    backup = tmp_path / "backups" / "b.db"
    back_up(sqlite_db.url, backup, store.root, tmp_path / "backups" / "evidence")
    add_entries(sqlite_db, 5, action="after.backup")
    photo.path.unlink()  # lost with a disk, say
    sqlite_db.dispose()

    report = restore(backup, sqlite_db.url, tmp_path / "backups" / "evidence", store.root)

    live = sqlite_path(sqlite_db.url)
    assert entries(live) == 3
    assert not report.needs_migrate
    assert [p.name for p in report.kept_aside][0].startswith("station.db.replaced-")
    assert entries(report.kept_aside[0]) == 8  # nothing of the replaced data is lost
    assert store.read(photo.sha256) == b"evidence photo"
    reopened = Database(sqlite_db.url)
    try:
        add_entries(reopened, 1)  # the restored database is a working one
        assert live_entries(reopened) == 4
    finally:
        reopened.dispose()


def _unchanged(db: Database, tmp_path: Path, bad: Path, message: str) -> None:
    live = sqlite_path(db.url)
    db.dispose()
    before = sorted(p.name for p in live.parent.iterdir())
    content = hashlib.sha256(live.read_bytes()).hexdigest()
    with pytest.raises(BackupError, match=message):
        restore(bad, db.url, None, tmp_path / "evidence")
    assert sorted(p.name for p in live.parent.iterdir()) == before
    assert hashlib.sha256(live.read_bytes()).hexdigest() == content


def test_a_truncated_backup_is_refused_and_nothing_changes(sqlite_db, tmp_path):
    add_entries(sqlite_db, 2000)
    backup = tmp_path / "backups" / "b.db"
    back_up(sqlite_db.url, backup, None, None)
    truncated = tmp_path / "backups" / "truncated.db"
    truncated.write_bytes(backup.read_bytes()[: backup.stat().st_size // 2])
    _unchanged(sqlite_db, tmp_path, truncated, "damaged|integrity check|not a usable")


def test_a_file_that_is_no_database_is_refused(sqlite_db, tmp_path):
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not a database" * 100)
    _unchanged(sqlite_db, tmp_path, junk, "not a usable SQLite database")


def test_a_backup_from_a_newer_version_is_refused(sqlite_db, tmp_path):
    backup = tmp_path / "b.db"
    back_up(sqlite_db.url, backup, None, None)
    with closing(sqlite3.connect(backup)) as conn, conn:
        conn.execute("UPDATE alembic_version SET version_num = 'f00dfeed0000'")
    _unchanged(sqlite_db, tmp_path, backup, "does not know")


def test_a_writer_holding_the_database_counts_as_a_running_server(sqlite_db, tmp_path):
    settings = load_settings(data_dir=str(tmp_path), database_url=sqlite_db.url)
    settings.server.port = free_port()
    live = sqlite_path(sqlite_db.url)
    assert server_in_use(settings, live) is None
    with sqlite_db.transaction() as session:
        add_entries_in(session)
        assert "writing to" in server_in_use(settings, live)
    assert server_in_use(settings, live) is None


def add_entries_in(session) -> None:
    record(session, actor="test", action="held", subject_type="t", subject_id="1")
    session.flush()


@pytest.mark.slow
def test_backup_and_restore_commands(tmp_path, fake_central):
    import subprocess
    import sys

    from station.db import migrate

    command = str(Path(sys.executable).parent / "inbound-station")
    env = {
        "PATH": "/usr/bin:/bin",
        "INBOUND_STATION_DATA_DIR": str(tmp_path),
        "INBOUND_STATION_SERVER__PORT": str(fake_central.port),  # "a server is running"
    }

    def run(*args: str, **more: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [command, *args], capture_output=True, text=True, env={**env, **more}, timeout=300
        )

    migrate.upgrade(f"sqlite:///{tmp_path / 'station.db'}")
    made = run("backup", "--to", str(tmp_path / "b.db"))
    assert made.returncode == 0, made.stderr
    assert "integrity check ok" in made.stdout
    refused = run("restore", str(tmp_path / "b.db"))
    assert refused.returncode == 1 and "stop it first" in refused.stderr
    forced = run("restore", str(tmp_path / "b.db"), "--force")
    assert forced.returncode == 0, forced.stderr
    assert "kept as" in forced.stdout
    postgres = run("backup", INBOUND_STATION_DATABASE_URL="postgresql://postgres@127.0.0.1/x")
    assert postgres.returncode == 1 and "docs/operations.md" in postgres.stderr
    assert "Traceback" not in postgres.stderr + refused.stderr
