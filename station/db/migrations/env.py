"""Alembic environment: one migration tree for SQLite (stations) and PostgreSQL (central)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import text

from station.db.engine import make_engine
from station.db.schema import metadata

# A fixed key for pg_advisory_lock: several central processes starting at
# once run the migrations one after the other, and the later ones find nothing to do.
MIGRATION_LOCK_KEY = 7_405_118_233


def run_migrations_offline() -> None:
    context.configure(
        url=context.config.get_main_option("sqlalchemy.url"),
        target_metadata=metadata,
        literal_binds=True,
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    url = context.config.get_main_option("sqlalchemy.url")
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            sqlite = conn.dialect.name == "sqlite"
            if sqlite:
                # Batch mode copies tables; enforced foreign keys would break the
                # drop. The pragma is ignored inside a transaction, so set it first.
                _set_foreign_keys(conn, on=False)
            else:
                conn.execute(text("SELECT pg_advisory_lock(:k)"), {"k": MIGRATION_LOCK_KEY})
                conn.commit()
            context.configure(
                connection=conn,
                target_metadata=metadata,
                render_as_batch=True,
                compare_type=True,
            )
            with context.begin_transaction():
                context.run_migrations()
                if sqlite:
                    _check_foreign_keys(conn)
            if sqlite:
                _set_foreign_keys(conn, on=True)
            else:
                conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": MIGRATION_LOCK_KEY})
                conn.commit()
    finally:
        engine.dispose()


def _set_foreign_keys(conn, *, on: bool) -> None:
    # Straight on the driver connection: through SQLAlchemy the statement would
    # open a transaction first, and inside one SQLite ignores this pragma.
    conn.connection.driver_connection.execute(f"PRAGMA foreign_keys={'ON' if on else 'OFF'}")


def _check_foreign_keys(conn) -> None:
    broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    if broken:
        raise RuntimeError(f"migration left rows with broken foreign keys: {broken[:5]}")


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
