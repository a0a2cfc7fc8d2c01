"""The one engine and session factory. SQLite gets its durability pragmas here."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, make_url
from sqlalchemy.orm import Session, sessionmaker

# WAL lets the web pages read while the bench writes; FULL makes a commit the
# operator saw as "saved" survive a power cut (WAL with NORMAL may lose it).
SQLITE_PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=FULL",
    "PRAGMA foreign_keys=ON",
    "PRAGMA busy_timeout=10000",
)


def make_engine(url: str, *, pool_size: int = 5) -> Engine:
    """An engine for a sqlite:/// or postgresql+psycopg:// URL."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_engine(url, parsed.database)
    return create_engine(url, pool_size=pool_size, pool_pre_ping=True)


def _sqlite_engine(url: str, database: str | None) -> Engine:
    if database and database != ":memory:":
        Path(database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 10})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: sqlite3.Connection, _record) -> None:
        # Take transaction control away from the sqlite3 module's legacy mode,
        # which never emits BEGIN before SELECT or DDL.
        dbapi_conn.isolation_level = None
        cursor = dbapi_conn.cursor()
        for pragma in SQLITE_PRAGMAS:
            cursor.execute(pragma)
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn) -> None:
        # Writers take the lock up front so they never fail half-way with BUSY.
        immediate = conn.get_execution_options().get("sqlite_immediate", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


class Database:
    """An engine plus the session factories every part of the product uses."""

    def __init__(self, url: str, *, sync_outbox: bool = False) -> None:
        """sync_outbox: a station's database; every result event written through
        these sessions gets its row in the sync outbox (station/sync/outbox.py)."""
        self.url = url
        self.engine = make_engine(url)
        info = {"sync_outbox": sync_outbox}
        self._sessions = sessionmaker(self.engine, expire_on_commit=False, info=info)
        writer = self.engine.execution_options(sqlite_immediate=True)
        self._writers = sessionmaker(writer, expire_on_commit=False, info=info)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def session(self) -> Session:
        """A session for reading (and small writes); the caller commits."""
        return self._sessions()

    def write_session(self) -> Session:
        """A session whose first statement starts a write transaction (BEGIN IMMEDIATE
        on SQLite); for callers that must decide themselves when to commit."""
        return self._writers()

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One write transaction: committed when the block ends, rolled back on error."""
        with self._writers() as session, session.begin():
            yield session

    def dispose(self) -> None:
        self.engine.dispose()
