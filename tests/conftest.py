"""Shared fixtures: databases on SQLite and PostgreSQL, settings, the clock."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from station.clock import FixedClock, set_clock
from station.db import migrate
from station.db.engine import Database
from station.evidence import EvidenceStore
from tests.support import ports, postgres

# Tests never read the developer's own settings.
for _name in [
    n for n in os.environ if n.startswith("INBOUND_STATION_") and n != "INBOUND_STATION_TEST_PG"
]:
    del os.environ[_name]


def pytest_configure(config) -> None:
    if not hasattr(config, "workerinput"):  # once per run, in the controlling process
        ports.forget_old_claims()


def pytest_collection_modifyitems(config, items) -> None:
    """The slow tests first. Each test file goes whole to one worker (make test runs
    --dist loadfile --no-loadscope-reorder); a long file started last would run alone
    at the end while the other core idled."""
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)


@pytest.fixture(scope="session")
def pg_template() -> Iterator[str]:
    """A PostgreSQL database migrated to head once per session, copied for each test."""
    postgres.require_postgres()
    name = postgres.create_database(prefix="inbound_tpl")
    migrate.upgrade(postgres.database_url(name))
    yield name
    postgres.drop_database(name)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def backend(request) -> str:
    return request.param


@pytest.fixture
def db_url(backend: str, tmp_path: Path, request) -> Iterator[str]:
    """An empty database URL on the backend under test (no schema)."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'station.db'}"
        return
    postgres.require_postgres()
    with postgres.scratch_database() as url:
        yield url


@pytest.fixture
def db(backend: str, tmp_path: Path, request) -> Iterator[Database]:
    """A database at the latest schema, on SQLite and on PostgreSQL."""
    if backend == "sqlite":
        url = f"sqlite:///{tmp_path / 'station.db'}"
        migrate.upgrade(url)
        database = Database(url)
        yield database
        database.dispose()
        return
    template = request.getfixturevalue("pg_template")
    with postgres.scratch_database(template=template) as url:
        database = Database(url)
        yield database
        database.dispose()


@pytest.fixture
def sqlite_db(tmp_path: Path) -> Iterator[Database]:
    url = f"sqlite:///{tmp_path / 'station.db'}"
    migrate.upgrade(url)
    database = Database(url)
    yield database
    database.dispose()


@pytest.fixture
def evidence(tmp_path: Path) -> EvidenceStore:
    return EvidenceStore(tmp_path / "evidence")


@pytest.fixture
def clock() -> Iterator[FixedClock]:
    fixed = FixedClock()
    previous = set_clock(fixed)
    yield fixed
    set_clock(previous)
