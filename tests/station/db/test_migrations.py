"""Migrations: empty to head, down to nothing and back, and the result equals the models."""

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from station.db import migrate
from station.db.engine import Database
from station.db.schema import metadata
from station.errors import DatabaseOutOfDate


def _diff(db: Database) -> list:
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        return compare_metadata(context, metadata)


def test_upgrade_downgrade_upgrade(db_url):
    database = Database(db_url)
    try:
        assert not migrate.schema_status(database.engine).up_to_date
        with pytest.raises(DatabaseOutOfDate, match="run `inbound-station migrate`"):
            migrate.require_current(database.engine)
        migrate.upgrade(db_url)
        assert migrate.schema_status(database.engine).up_to_date
        assert _diff(database) == [], "the migrations and the models disagree"
        migrate.downgrade(db_url, "base")
        leftover = set(inspect(database.engine).get_table_names()) - {"alembic_version"}
        assert leftover == set()
        migrate.upgrade(db_url)
        migrate.require_current(database.engine)
        migrate.upgrade(db_url)  # a second run is a no-op
        assert migrate.schema_status(database.engine).up_to_date
    finally:
        database.dispose()


def test_sqlite_runs_with_durable_settings(sqlite_db):
    with sqlite_db.engine.connect() as conn:
        pragma = lambda name: conn.exec_driver_sql(f"PRAGMA {name}").scalar()  # noqa: E731
        assert pragma("journal_mode") == "wal"
        assert pragma("foreign_keys") == 1
        assert pragma("synchronous") == 2  # FULL
        assert pragma("busy_timeout") >= 5000
        assert pragma("integrity_check") == "ok"


def test_one_head():
    assert migrate.head_revision()
