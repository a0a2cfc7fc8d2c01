"""Every operation x (no key, bad key, revoked key, key without the scope, key of
another warehouse). The operations are read from the OpenAPI document, so a new
endpoint is covered (or fails here) without editing this file."""

from __future__ import annotations

import re

from sqlalchemy import select

from api.v1.app import openapi_document
from station.access.keys import revoke_key
from station.access.models import ApiKey
from station.clock import get_clock
from tests.api.conftest import Api, build_runtime
from tests.api.support import png


def operations(api: Api):
    v1 = next(r.app for r in api.client.app.routes if getattr(r, "name", "") == "v1")
    for path, methods in openapi_document(v1)["paths"].items():
        for method, operation in methods.items():
            (requirement,) = operation["security"]
            yield method.upper(), path, requirement["ApiKey"]


def concrete(path: str, ids: dict[str, str]) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: ids[m[1]], path)


def request(api: Api, method: str, path: str, headers: dict[str, str]):
    if path.endswith("/images/1"):
        headers = {**headers, "Content-Type": "image/png"}
        return api.client.request(method, path, content=png(), headers=headers)
    if path.startswith("/v1/sync/photos/") and method == "PUT":
        headers = {**headers, "Content-Type": "application/octet-stream"}
        return api.client.request(method, path, content=b"photo bytes", headers=headers)
    if path.startswith("/v1/bulk/"):
        headers = {**headers, "Content-Type": "application/x-ndjson"}
        return api.client.request(method, path, content=b'{"id": "x"}\n', headers=headers)
    body = {"url": "http://127.0.0.1:9/hook", "event_types": ["lot.decided"]}
    if method in ("PUT", "PATCH", "POST"):
        return api.client.request(method, path, json=body, headers=headers)
    return api.client.request(method, path, headers=headers)


def ids_for(api: Api, results) -> dict[str, str]:
    subscription = api.client.post(
        "/v1/webhook-subscriptions",
        json={"url": "http://127.0.0.1:9/hook", "event_types": ["lot.decided"]},
        headers=api.admin,
    ).json()["id"]
    inspection = results.inspections["WH1"][0]
    detail = api.client.get(f"/v1/inspections/{inspection}", headers=api.admin).json()
    return {
        "record_id": "L1",
        "position": "1",
        "kind": "listings",
        "inspection_id": str(inspection),
        "photo_id": detail["photos"][0]["id"],
        "lot_id": str(results.lots["WH1"]),
        "subscription_id": subscription,
        "delivery_id": "0190a7e0-0000-7000-8000-000000000000",
        "sha256": "0" * 64,
    }


def test_every_operation_needs_a_live_key_with_its_scope(results, world):
    api = world
    ids = ids_for(api, results)
    revoked = api.token("admin", "results:read", "reference:write", "webhooks:manage")
    with api.db.transaction() as session:
        prefix = session.scalars(select(ApiKey.prefix).order_by(ApiKey.created_at.desc())).first()
        revoke_key(session, prefix)
    checked = 0
    for method, template, scopes in operations(api):
        path = "/v1" + concrete(template, ids)
        for headers in (
            {},
            {"Authorization": "Bearer isk_aaaaaaaaaa_" + "b" * 43},
            {"Authorization": f"Bearer {revoked}"},
            {"Authorization": "Basic eDp5"},
        ):
            response = request(api, method, path, headers)
            assert response.status_code == 401, (method, path, headers, response.text)
            assert response.headers["content-type"] == "application/problem+json"
            assert response.headers["www-authenticate"].startswith("Bearer")
        assert scopes, f"{method} {template} declares no scope"
        # A key with some other scope than the one the operation needs.
        other = "results:read" if scopes[0] == "station:sync" else "station:sync"
        response = request(api, method, path, api.auth(other))
        assert response.status_code == 403, (method, path, response.text)
        assert scopes[0] in response.json()["detail"]
        checked += 1
    assert checked >= 25


def test_records_of_other_warehouses_are_not_found(results, world):
    api = world
    ids = ids_for(api, results)
    scopes = ("reference:write", "results:read", "webhooks:manage")
    wh2 = api.auth(*scopes, warehouses=["WH2"])
    hidden = [
        ("GET", "/v1/warehouses/WH1"),
        ("PUT", "/v1/warehouses/WH1"),
        ("DELETE", "/v1/warehouses/WH1"),
        ("GET", "/v1/stations/ST1"),
        ("PUT", "/v1/stations/ST1"),
        ("DELETE", "/v1/stations/ST1"),
        ("GET", "/v1/shipments/S1"),
        ("PUT", "/v1/shipments/S1"),
        ("DELETE", "/v1/shipments/S1"),
        ("GET", f"/v1/inspections/{ids['inspection_id']}"),
        ("GET", f"/v1/inspections/{ids['inspection_id']}/photos/{ids['photo_id']}"),
        ("GET", f"/v1/inspections/{ids['inspection_id']}/report.pdf"),
        ("GET", f"/v1/lots/{ids['lot_id']}"),
        ("GET", f"/v1/webhook-subscriptions/{ids['subscription_id']}"),
        ("PATCH", f"/v1/webhook-subscriptions/{ids['subscription_id']}"),
        ("DELETE", f"/v1/webhook-subscriptions/{ids['subscription_id']}"),
        ("GET", f"/v1/webhook-subscriptions/{ids['subscription_id']}/deliveries"),
    ]
    bodies = {
        "/v1/warehouses/WH1": {"name": "taken over"},
        "/v1/stations/ST1": {"warehouse_id": "WH1", "name": "taken over"},
        "/v1/shipments/S1": {
            "merchant_id": "M1",
            "warehouse_id": "WH1",
            "lines": [{"line_no": 1, "listing_id": "L1", "quantity": 1}],
        },
        f"/v1/webhook-subscriptions/{ids['subscription_id']}": {"active": False},
    }
    for method, path in hidden:
        response = api.client.request(method, path, json=bodies.get(path), headers=wh2)
        assert response.status_code == 404, (method, path, response.text)
        assert response.json()["type"] == "/problems/not-found"
    # ... and the same requests with an all-warehouse key do find them.
    assert api.client.get("/v1/shipments/S1", headers=api.auth(*scopes)).status_code == 200


def test_last_use_is_recorded_and_revocation_is_immediate(world):
    api = world
    token = api.token("reference:read")
    assert api.client.get("/v1/merchants/M1", headers=api.auth("reference:read")).status_code == 200
    with api.db.transaction() as session:
        key = session.scalar(select(ApiKey).where(ApiKey.prefix == token[:14]))
        assert key.last_used_at is not None
        revoke_key(session, key.prefix)
    assert api.client.get("/v1/merchants/M1", headers=api.auth("reference:read")).status_code == 401


def test_rate_limit_answers_429_with_retry_after(db, evidence, tmp_path, clock):
    runtime = build_runtime(db, evidence, tmp_path, rate_per_second=2.0, rate_burst=3)
    from fastapi.testclient import TestClient

    from api.main import create_app

    api = Api(TestClient(create_app(runtime)), runtime)
    headers = api.auth("results:read")
    codes = [api.client.get("/v1/feed", headers=headers).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    limited = api.client.get("/v1/feed", headers=headers)
    assert limited.headers["retry-after"] == "1"
    assert limited.json()["type"] == "/problems/rate-limited"
    other = api.auth("results:read", warehouses=["WH1"])  # buckets are per key
    assert api.client.get("/v1/feed", headers=other).status_code == 200
    clock.advance(0.5)  # one token back at 2 per second
    assert api.client.get("/v1/feed", headers=headers).status_code == 200
    assert api.client.get("/v1/feed", headers=headers).status_code == 429
    assert get_clock() is clock
