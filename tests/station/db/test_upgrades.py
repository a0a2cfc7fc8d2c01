"""Schema upgrades from every earlier migration keep what an installation stored.

A real installation is made once (the autopilot inspects on the sample data), then
for each earlier revision an empty database is brought to that revision, given that
installation's rows (the columns the revision has), and upgraded to the latest schema:
every row must still be there, readable through the models, and the schema must equal
the models. On SQLite and PostgreSQL.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Column, Connection, MetaData, Table, func, inspect, select

from station.db import migrate
from station.db.engine import Database
from station.db.schema import metadata

COMMAND = str(Path(sys.executable).parent / "inbound-station")


def _earlier_revisions() -> list[str]:
    script = ScriptDirectory.from_config(migrate.alembic_config("sqlite://"))
    chain = [rev.revision for rev in script.walk_revisions()]  # newest first
    return list(reversed(chain[1:]))


@pytest.fixture(scope="module")
def installation(tmp_path_factory) -> Database:
    """A station database that has worked: sample data, nine inspections, reviews."""
    data_dir = tmp_path_factory.mktemp("installation")
    env = {k: v for k, v in os.environ.items() if not k.startswith("INBOUND_STATION_")}
    env["INBOUND_STATION_DATA_DIR"] = str(data_dir)
    env["INBOUND_STATION_IDENTIFIERS__SHIPMENT_QR_KEY"] = "upgrade-test-key"
    env["INBOUND_STATION_MATCHING__ENABLED"] = "false"  # rows are what matter here
    result = subprocess.run(
        [COMMAND, "autopilot", "--count", "9", "--seed", "3", "--devices", "direct"],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    database = Database(f"sqlite:///{data_dir / 'station.db'}")
    yield database
    database.dispose()


def _copy_rows(source: Database, target: Connection) -> dict[str, int]:
    """Copy every row of the tables the target's revision has, in foreign-key order,
    with the model's column types so values cross dialects as the code writes them."""
    present = inspect(target)
    tables = set(present.get_table_names())
    copied: dict[str, int] = {}
    with source.engine.connect() as read:
        for table in metadata.sorted_tables:
            if table.name not in tables:
                continue
            names = {c["name"] for c in present.get_columns(table.name)}
            # Columns without Python-side defaults, so only what the revision has is written.
            bare = Table(
                table.name,
                MetaData(),
                *[Column(c.name, c.type, key=c.key) for c in table.columns if c.name in names],
            )
            rows = [dict(r._mapping) for r in read.execute(select(*bare.columns))]
            if rows:
                target.execute(bare.insert(), rows)
            copied[table.name] = len(rows)
    return copied


def _without_constraint_checks(conn: Connection) -> None:
    # Rows are copied table by table; a tree (categories) may list a child first.
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
    else:
        conn.exec_driver_sql("SET session_replication_role = replica")


@pytest.mark.parametrize("revision", _earlier_revisions())
def test_upgrade_from_earlier_revision_keeps_every_row(installation, db_url, revision):
    migrate.upgrade(db_url, revision)
    target = Database(db_url)
    try:
        with target.engine.begin() as conn:
            _without_constraint_checks(conn)
            copied = _copy_rows(installation, conn)
        assert copied.get("merchants", 0) >= 20 and copied.get("listings", 0) >= 100
        assert copied.get("inspections", 0) >= 9, "the installation has its inspections"

        migrate.upgrade(db_url)

        migrate.require_current(target.engine)
        with target.engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            assert compare_metadata(context, metadata) == [], "schema differs from the models"
            for name, count in copied.items():
                table = metadata.tables[name]
                after = conn.execute(select(func.count()).select_from(table)).scalar_one()
                assert after == count, f"{name}: {count} rows before the upgrade, {after} after"
                # Every row reads back through the models' types.
                conn.execute(select(table)).all()
    finally:
        target.dispose()


def test_every_revision_is_tested():
    """A new migration joins the list above by itself; the oldest one is the first."""
    revisions = _earlier_revisions()
    assert len(revisions) >= 4
    assert revisions[0] == "c9fb9256fc72"
    assert migrate.head_revision() not in revisions
