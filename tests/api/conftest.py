"""The API under test: a FastAPI TestClient on SQLite and PostgreSQL, keys made on
demand, reference data put in through the API itself, inspections made directly
through the models (the workflow that produces them is another area's)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from api.main import create_app
from station.access.keys import create_key
from station.db import migrate
from station.db.engine import Database
from station.db.schema import metadata
from station.evidence import EvidenceStore
from station.runtime import Runtime
from station.settings import load_settings
from tests.api.support import REFERENCE, make_results
from tests.support import postgres


@pytest.fixture(scope="session")
def pg_api_database(pg_template):
    """One PostgreSQL database for the API tests, emptied before each test
    (TRUNCATE is much faster than creating a database per test)."""
    name = postgres.create_database(template=pg_template, prefix="inbound_api")
    database = Database(postgres.database_url(name))
    yield database
    database.dispose()
    postgres.drop_database(name)


@pytest.fixture
def db(backend: str, tmp_path: Path, request):
    if backend == "sqlite":
        url = f"sqlite:///{tmp_path / 'station.db'}"
        migrate.upgrade(url)
        database = Database(url)
        yield database
        database.dispose()
        return
    database = request.getfixturevalue("pg_api_database")
    tables = ", ".join(t.name for t in metadata.sorted_tables)
    with database.engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    yield database


@dataclass
class Api:
    client: TestClient
    runtime: Runtime
    keys: dict = field(default_factory=dict)

    @property
    def db(self) -> Database:
        return self.runtime.db

    def token(self, *scopes: str, warehouses: list[str] | None = None) -> str:
        wanted = (tuple(sorted(scopes)), tuple(warehouses) if warehouses else None)
        if wanted not in self.keys:
            with self.db.transaction() as session:
                new = create_key(session, name="test", scopes=list(scopes), warehouses=warehouses)
            self.keys[wanted] = new.token
        return self.keys[wanted]

    def auth(self, *scopes: str, warehouses: list[str] | None = None) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token(*scopes, warehouses=warehouses)}"}

    @property
    def admin(self) -> dict[str, str]:
        return self.auth("admin")


def build_runtime(db: Database, evidence: EvidenceStore, tmp_path: Path, **api) -> Runtime:
    settings = load_settings(data_dir=str(tmp_path), database_url=db.url)
    settings.api.rate_burst = 1_000_000
    settings.webhooks.run_in_server = False
    for name, value in api.items():
        setattr(settings.api, name, value)
    return Runtime(settings=settings, db=db, evidence=evidence)


@pytest.fixture
def api(db, evidence, tmp_path) -> Api:
    runtime = build_runtime(db, evidence, tmp_path)
    return Api(TestClient(create_app(runtime)), runtime)


@pytest.fixture
def world(api: Api) -> Api:
    """Two warehouses with a station and a shipment each, one merchant, brand,
    authorisation, two categories and two listings: put in through the API."""
    for path, body in REFERENCE:
        response = api.client.put(f"/v1/{path}", json=body, headers=api.admin)
        assert response.status_code == 201, response.text
    return api


@pytest.fixture
def results(world: Api):
    """Completed inspections in both warehouses, with evidence, lots and events."""
    return make_results(world.db, world.runtime.evidence)
