"""Central's database restarting or out of reach: the API answers 503 with Retry-After,
which the station's pusher (and any client) treats as "try again shortly", and logs one
line instead of a traceback per request."""

from __future__ import annotations

import logging

from fastapi.testclient import TestClient

from api.main import create_app
from station.db.engine import Database
from station.evidence import EvidenceStore
from station.runtime import Runtime
from station.settings import load_settings
from tests.support.ports import free_port


def test_an_unreachable_database_is_503_with_retry_after(tmp_path, caplog):
    url = f"postgresql+psycopg://postgres@127.0.0.1:{free_port()}/central"
    settings = load_settings(data_dir=str(tmp_path), database_url=url)
    settings.webhooks.run_in_server = False
    runtime = Runtime(settings, Database(url), EvidenceStore(tmp_path / "evidence"))
    client = TestClient(create_app(runtime), raise_server_exceptions=False)
    headers = {"Authorization": "Bearer isk_aaaaaaaaaa_" + "a" * 43}
    with caplog.at_level(logging.WARNING):
        answer = client.post("/v1/sync/batches", json={"station_id": "HZ1-B01", "records": []},
                             headers=headers)  # fmt: skip
    assert answer.status_code == 503, answer.text
    assert answer.headers["Retry-After"] == "5"
    assert answer.headers["Content-Type"] == "application/problem+json"
    assert "database is not reachable" in answer.json()["detail"]
    logged = [r for r in caplog.records if "database unavailable" in r.getMessage()]
    assert len(logged) == 1 and logged[0].exc_info is None
