"""A station database with finished inspections (and their outbox rows), made once per
session by the autopilot and copied for each test; central is the `sample` database."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import select

from station.db.engine import Database
from station.evidence import EvidenceStore
from station.sync.models import OutboxRecord
from station.sync.worker import wire
from station.workflow.autopilot import Autopilot
from tests.support import sample_db


@dataclass
class StationCopy:
    db: Database
    evidence: EvidenceStore

    def wire(self) -> list[dict]:
        with self.db.session() as session:
            rows = session.scalars(select(OutboxRecord).order_by(OutboxRecord.seq))
            return [wire(r) for r in rows]


@pytest.fixture(scope="session")
def station_template(tmp_path_factory, sample_sqlite_template) -> Path:
    folder = tmp_path_factory.mktemp("station-template")
    url = sample_db.sqlite_copy(sample_sqlite_template, folder / "station.db")
    db = Database(url, sync_outbox=True)
    Autopilot(db, EvidenceStore(folder / "evidence"), seed=3, devices="direct").run(
        3, ["pass", "weight_out_of_tolerance", "wrong_product"]
    )
    db.dispose()
    return folder


@pytest.fixture
def station(station_template: Path, tmp_path: Path):
    folder = tmp_path / "station"
    shutil.copytree(station_template, folder)
    db = Database(f"sqlite:///{folder / 'station.db'}", sync_outbox=True)
    yield StationCopy(db, EvidenceStore(folder / "evidence"))
    db.dispose()
