"""The all-in-one home page shows what is in the database; /health tells the truth."""

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from station.db import migrate
from station.runtime import Runtime
from station.sample.load import load_sample
from station.settings import load_settings


@pytest.fixture
def runtime(tmp_path):
    settings = load_settings(data_dir=str(tmp_path))
    migrate.upgrade(settings.database_url)
    rt = Runtime.from_settings(settings)
    yield rt
    rt.close()


def test_home_shows_sample_data(runtime, tmp_path):
    load_sample(runtime.db, runtime.evidence, tmp_path / "images")
    client = TestClient(create_app(runtime))
    page = client.get("/")
    assert page.status_code == 200
    for text in (
        "24</span> merchants",
        "15</span> brands",
        "100</span> listings",
        "34</span> shipments",
        "3</span> stations",
        "Lumora Tea",
        "ASN-20261101",
        "HZ1-B01",
    ):
        assert text in page.text


def test_home_on_empty_database_says_how_to_fill_it(runtime):
    page = TestClient(create_app(runtime)).get("/")
    assert "None yet" in page.text and "0</span> listings" in page.text


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
