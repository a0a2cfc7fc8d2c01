"""Fixtures for the station areas that work on the sample data."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from station.clock import FixedClock, set_clock
from station.db.engine import Database
from tests.support import postgres, sample_db


@pytest.fixture(scope="session")
def sample_sqlite_template(tmp_path_factory) -> Path:
    return sample_db.sqlite_template(tmp_path_factory.mktemp("sample-sqlite"))


@pytest.fixture(scope="session")
def sample_pg_template(tmp_path_factory, pg_template) -> Iterator[str]:
    name = sample_db.postgres_template(tmp_path_factory.mktemp("sample-pg"), pg_template)
    yield name
    postgres.drop_database(name)


@pytest.fixture
def sample(backend: str, tmp_path: Path, request) -> Iterator[Database]:
    """A database with the sample data, on SQLite and on PostgreSQL."""
    if backend == "sqlite":
        template = request.getfixturevalue("sample_sqlite_template")
        database = Database(sample_db.sqlite_copy(template, tmp_path / "station.db"))
        yield database
        database.dispose()
        return
    template = request.getfixturevalue("sample_pg_template")
    with postgres.scratch_database(template=template) as url:
        database = Database(url)
        yield database
        database.dispose()


@pytest.fixture
def june(clock: FixedClock) -> FixedClock:
    """The clock on a working day inside the sample data's validity windows."""
    clock.advance((datetime(2026, 6, 1, 2, tzinfo=UTC) - clock.now()).total_seconds())
    return clock


__all__ = ["FixedClock", "set_clock"]
