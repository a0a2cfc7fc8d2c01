"""The home page needs a sign-in; /health tells the truth without one."""

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from station.db import migrate
from station.runtime import Runtime
from station.settings import load_settings


@pytest.fixture
def runtime(tmp_path):
    settings = load_settings(data_dir=str(tmp_path))
    migrate.upgrade(settings.database_url)
    rt = Runtime.from_settings(settings)
    yield rt
    rt.close()


def test_home_sends_strangers_to_sign_in(runtime):
    response = TestClient(create_app(runtime)).get("/", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/login"


def test_health_reports_version_role_and_database(runtime):
    from station import __version__

    body = TestClient(create_app(runtime)).get("/health").json()
    assert body["status"] == "ok" and body["version"] == __version__
    assert body["role"] == "all-in-one"
    assert body["database"]["status"] == "ok" and body["database"]["dialect"] == "sqlite"


def test_health_is_503_on_an_out_of_date_database(tmp_path):
    settings = load_settings(data_dir=str(tmp_path))
    rt = Runtime.from_settings(settings)
    response = TestClient(create_app(rt)).get("/health")
    assert response.status_code == 503
    assert response.json()["database"]["status"] == "out of date"
    rt.close()
