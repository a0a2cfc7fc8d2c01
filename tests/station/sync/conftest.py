"""A station database with finished inspections (and their outbox rows), made once per
session by the autopilot and copied for each test; central is the `sample` database."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from api.main import create_app
from station.access.keys import create_key
from station.db.engine import Database
from station.evidence import EvidenceStore
from station.runtime import Runtime
from station.settings import load_settings
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


@pytest.fixture
def central(sample, tmp_path, sample_sqlite_template):
    """Central's API on the sample data (its reference images too: both sample
    databases were loaded from the same image files)."""
    shutil.copytree(sample_sqlite_template.parent / "evidence", tmp_path / "central" / "evidence")
    settings = load_settings(data_dir=str(tmp_path / "central"), database_url=sample.url)
    settings.api.rate_burst = 1_000_000
    settings.webhooks.run_in_server = False
    runtime = Runtime(settings, sample, EvidenceStore(tmp_path / "central" / "evidence"))
    with sample.transaction() as session:
        token = create_key(
            session, name="bench 1", scopes=["station:sync"], station_id="HZ1-B01"
        ).token
    with TestClient(create_app(runtime), base_url="http://central/v1") as client:
        yield runtime, client, token


def station_settings(tmp_path, **sync):
    settings = load_settings(
        role="station", station_id="HZ1-B01", data_dir=str(tmp_path / "station")
    )
    for name, value in {"batch": 7, "first_retry_seconds": 0.01, "pull_seconds": 0, **sync}.items():
        setattr(settings.sync, name, value)
    return settings
