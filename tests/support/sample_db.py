"""Databases with the sample data loaded once per test session, copied for each test."""

from __future__ import annotations

import shutil
from pathlib import Path

from station.db import migrate
from station.db.engine import Database
from station.evidence import EvidenceStore
from station.sample.load import load_sample
from tests.support import postgres

# Rendered sample artwork is the same every time: keep it between test sessions.
IMAGES = Path(__file__).resolve().parents[2] / "var" / "test-cache" / "sample-images"


def sqlite_template(folder: Path) -> Path:
    """A migrated SQLite file with the sample data, plus its evidence folder."""
    path = folder / "sample.db"
    url = f"sqlite:///{path}"
    migrate.upgrade(url)
    db = Database(url)
    load_sample(db, EvidenceStore(folder / "evidence"), IMAGES)
    db.dispose()
    return path


def sqlite_copy(template: Path, target: Path) -> str:
    shutil.copyfile(template, target)
    return f"sqlite:///{target}"


def postgres_template(folder: Path, migrated_template: str) -> str:
    """A PostgreSQL database with the sample data, usable as a CREATE DATABASE template."""
    name = postgres.create_database(template=migrated_template, prefix="inbound_sample")
    db = Database(postgres.database_url(name))
    load_sample(db, EvidenceStore(folder / "evidence"), IMAGES)
    db.dispose()
    return name
