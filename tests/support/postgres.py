"""Throw-away PostgreSQL databases for tests and benchmarks.

The server is INBOUND_STATION_TEST_PG (default postgresql://postgres@127.0.0.1:5432/postgres).
Outside CI an unreachable server skips the tests that need it, with the reason;
under CI=true it fails them, so a missing database can never pass silently.
"""

from __future__ import annotations

import os
import uuid
from contextlib import contextmanager

import psycopg
import pytest
from sqlalchemy import make_url

SERVER = os.environ.get("INBOUND_STATION_TEST_PG", "postgresql://postgres@127.0.0.1:5432/postgres")


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def unreachable_reason() -> str | None:
    try:
        with psycopg.connect(SERVER, connect_timeout=3):
            return None
    except psycopg.Error as err:
        return f"PostgreSQL at {SERVER} is not reachable: {str(err).strip().splitlines()[0]}"


def require_postgres() -> None:
    reason = unreachable_reason()
    if reason is None:
        return
    if in_ci():
        pytest.fail(f"{reason} (CI=true: PostgreSQL tests must run)", pytrace=False)
    pytest.skip(reason)


def database_url(name: str) -> str:
    url = make_url(SERVER).set(drivername="postgresql+psycopg", database=name)
    return url.render_as_string(hide_password=False)


def _admin(sql: str) -> None:
    with psycopg.connect(SERVER, autocommit=True) as conn:
        conn.execute(sql)


def create_database(template: str | None = None, prefix: str = "inbound_test") -> str:
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    _admin(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
    return name


def drop_database(name: str) -> None:
    _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def scratch_database(template: str | None = None):
    """A new empty (or template-copied) database, dropped afterwards; yields its URL."""
    name = create_database(template)
    try:
        yield database_url(name)
    finally:
        drop_database(name)
