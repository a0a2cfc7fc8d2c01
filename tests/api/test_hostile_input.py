"""Whatever a client sends, it gets a 4xx problem, never a 5xx or a stack trace."""

from __future__ import annotations

from urllib.parse import quote

from fastapi.testclient import TestClient

from api.main import create_app
from station.reference.models import Merchant
from tests.api.support import LISTING

INJECTIONS = [
    "' OR '1'='1",
    "L1; DROP TABLE listings; --",
    "../../etc/passwd",
    "<script>alert(1)</script>",
    "%00",
    "L1\x00",
    "$where: 1",
    "{{7*7}}",
    "😀" * 70,
]


def test_injection_strings_in_paths_queries_and_bodies(world):
    api = world
    for value in INJECTIONS:
        in_url = quote(value, safe="")
        for url in (
            f"/v1/listings/{in_url}",
            f"/v1/inspections?warehouse_id={in_url}",
            f"/v1/feed?after={in_url}",
            f"/v1/inspections/{in_url}",
        ):
            response = api.client.get(url, headers=api.admin)
            assert response.status_code in (200, 400, 404, 422), (url, response.text)
            assert "Traceback" not in response.text and "sqlalchemy" not in response.text.lower()
        body = {**LISTING, "title": value, "attributes": {"note": value}}
        put = api.client.put("/v1/listings/L1", json=body, headers=api.admin)
        assert put.status_code in (200, 422), put.text
        if put.status_code == 200:
            stored = api.client.get("/v1/listings/L1", headers=api.admin).json()
            assert stored["title"] == value.strip() and stored["attributes"]["note"] == value


def test_malformed_and_wrong_bodies(world):
    api = world
    cases = [
        (b"{not json", "application/json", 400),
        (b"[1, 2, 3]", "application/json", 422),
        (b'"just a string"', "application/json", 422),
        (b"\xff\xfe\x00garbage", "application/json", 400),
        (b'{"name": "x"}', "text/plain", 415),
        (b'{"name": "x"}', "application/xml", 415),
        (b"name=x", "application/x-www-form-urlencoded", 415),
        (b'{"legal_name": ' + b'"x" ' * 5 + b"}", "application/json", 400),
    ]
    for body, media, status in cases:
        response = api.client.put(
            "/v1/merchants/M7", content=body, headers={**api.admin, "Content-Type": media}
        )
        assert response.status_code == status, (body, media, response.text)
        assert response.headers["content-type"] == "application/problem+json"
    deep = b'{"service_indicators": ' + b"[" * 5000 + b"]" * 5000 + b"}"
    response = api.client.put(
        "/v1/merchants/M7", content=deep, headers={**api.admin, "Content-Type": "application/json"}
    )
    assert 400 <= response.status_code < 500
    with api.db.session() as session:
        assert session.get(Merchant, "M7") is None


def test_huge_bodies_are_refused_before_reading_them_whole(world):
    api = world
    huge = b'{"legal_name": "' + b"x" * (2 * 1024 * 1024) + b'"}'
    response = api.client.put(
        "/v1/merchants/M7", content=huge, headers={**api.admin, "Content-Type": "application/json"}
    )
    assert response.status_code == 413 and response.json()["type"] == "/problems/payload-too-large"
    long_text = {**LISTING, "title": "x" * 5000}
    assert api.client.put("/v1/listings/L1", json=long_text, headers=api.admin).status_code == 422


def test_unknown_paths_and_methods_are_problems_too(world):
    api = world
    missing = api.client.get("/v1/nothing-here", headers=api.admin)
    assert missing.status_code == 404 and missing.json()["type"] == "/problems/not-found"
    wrong = api.client.post("/v1/merchants/M1", json={}, headers=api.admin)
    assert wrong.status_code == 405 and wrong.json()["type"] == "/problems/method-not-allowed"


def test_a_crash_is_a_500_problem_without_details(world, monkeypatch):
    api = world
    import api.v1.feed as feed_module

    def explode(*args, **kwargs):
        raise RuntimeError("secret internals: password=hunter2")

    monkeypatch.setattr(feed_module, "read_feed", explode)
    client = TestClient(create_app(api.runtime), raise_server_exceptions=False)
    response = client.get("/v1/feed", headers=api.auth("results:read"))
    assert response.status_code == 500
    assert response.json()["type"] == "/problems/internal"
    assert "hunter2" not in response.text and "Traceback" not in response.text
