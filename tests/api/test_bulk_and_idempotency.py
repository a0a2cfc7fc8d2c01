"""NDJSON bulk loads (all or nothing) and POSTs retried with an Idempotency-Key."""

from __future__ import annotations

import json
from datetime import timedelta

from sqlalchemy import func, select

from station.access.models import IdempotentRequest
from station.clock import utcnow
from station.reference.models import Listing
from station.webhooks.models import WebhookSubscription
from tests.api.support import LISTING, gtin13

NDJSON = {"Content-Type": "application/x-ndjson"}


def ndjson(rows) -> bytes:
    return "\n".join(json.dumps(r) for r in rows).encode() + b"\n"


def listings(count: int, start: int = 100) -> list[dict]:
    return [
        {**LISTING, "id": f"L{n}", "gtins": [gtin13(f"69100{n:07d}")]}
        for n in range(start, start + count)
    ]


def test_bulk_applies_a_good_batch_and_reports_counts(world):
    api = world
    rows = listings(300)
    first = api.client.post(
        "/v1/bulk/listings", content=ndjson(rows), headers={**api.admin, **NDJSON}
    )
    assert first.status_code == 200, first.text
    assert first.json() == {"lines": 300, "created": 300, "updated": 0, "unchanged": 0}
    rows[7]["title"] = "changed"
    again = api.client.post(
        "/v1/bulk/listings", content=ndjson(rows), headers={**api.admin, **NDJSON}
    )
    assert again.json() == {"lines": 300, "created": 0, "updated": 1, "unchanged": 299}


def test_bulk_rejects_a_bad_batch_whole_with_line_numbers(world):
    api = world
    rows = listings(50)
    rows[9]["gtins"] = ["123"]
    rows[20]["merchant_id"] = "M404"
    body = ndjson(rows[:30]) + b"{not json\n" + ndjson(rows[30:]) + b"[1, 2]\n"
    response = api.client.post("/v1/bulk/listings", content=body, headers={**api.admin, **NDJSON})
    assert response.status_code == 422
    problem = response.json()
    assert "nothing was written" in problem["detail"]
    by_line = {e["line"]: e for e in problem["errors"]}
    assert by_line[10]["pointer"] == "/gtins/0"
    assert by_line[21] == {
        "line": 21,
        "pointer": "/merchant_id",
        "detail": "merchant M404 does not exist",
    }
    assert "not JSON" in by_line[31]["detail"] and "JSON object" in by_line[52]["detail"]
    with api.db.session() as session:
        assert session.scalar(select(func.count()).select_from(Listing)) == 2  # only the world's


def test_bulk_wants_ndjson_and_a_bounded_body(world):
    api = world
    as_json = api.client.post("/v1/bulk/listings", json=listings(1), headers=api.admin)
    assert as_json.status_code == 415
    assert as_json.json()["type"] == "/problems/unsupported-media-type"
    unknown = api.client.post("/v1/bulk/products", content=b"{}\n", headers={**api.admin, **NDJSON})
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["parameter"] == "kind"
    api.runtime.settings.api.max_bulk_bytes = 2048
    big = api.client.post(
        "/v1/bulk/listings", content=ndjson(listings(40)), headers={**api.admin, **NDJSON}
    )
    assert big.status_code == 413


SUBSCRIPTION = {"url": "http://127.0.0.1:9/hook", "event_types": ["inspection.completed"]}


def count_subscriptions(api) -> int:
    with api.db.session() as session:
        return session.scalar(select(func.count()).select_from(WebhookSubscription))


def test_a_retried_post_is_replayed_not_repeated(world):
    api = world
    headers = {**api.auth("webhooks:manage"), "Idempotency-Key": "sub-0001"}
    first = api.client.post("/v1/webhook-subscriptions", json=SUBSCRIPTION, headers=headers)
    assert first.status_code == 201
    retry = api.client.post("/v1/webhook-subscriptions", json=SUBSCRIPTION, headers=headers)
    assert retry.status_code == 201 and retry.json() == first.json()  # same secret, same id
    assert retry.headers["idempotent-replayed"] == "true"
    assert count_subscriptions(api) == 1
    other = api.client.post(
        "/v1/webhook-subscriptions", json={**SUBSCRIPTION, "description": "x"}, headers=headers
    )
    assert other.status_code == 422 and other.json()["type"] == "/problems/idempotency-key-reused"
    # Keys are per API key: another key may use the same text.
    mine = {**api.auth("webhooks:manage", warehouses=["WH1"]), "Idempotency-Key": "sub-0001"}
    assert (
        api.client.post("/v1/webhook-subscriptions", json=SUBSCRIPTION, headers=mine).status_code
        == 201
    )
    assert count_subscriptions(api) == 2


def test_errors_are_not_stored_and_running_requests_get_409(world):
    api = world
    headers = {**api.auth("webhooks:manage"), "Idempotency-Key": "sub-0002"}
    bad = api.client.post(
        "/v1/webhook-subscriptions", json={**SUBSCRIPTION, "url": "ftp://x/y"}, headers=headers
    )
    assert bad.status_code == 422
    good = api.client.post("/v1/webhook-subscriptions", json=SUBSCRIPTION, headers=headers)
    assert good.status_code == 201  # the failed attempt released the key
    with api.db.transaction() as session:  # as if that request were still running elsewhere
        row = session.scalar(select(IdempotentRequest).where(IdempotentRequest.key == "sub-0002"))
        row.done, row.lease_until = False, utcnow() + timedelta(minutes=1)
    running = api.client.post("/v1/webhook-subscriptions", json=SUBSCRIPTION, headers=headers)
    assert running.status_code == 409 and running.headers["retry-after"] == "1"
    assert running.json()["type"] == "/problems/idempotency-key-in-flight"
    odd = api.client.post(
        "/v1/webhook-subscriptions",
        json=SUBSCRIPTION,
        headers={**headers, "Idempotency-Key": "has space"},
    )
    assert odd.status_code == 400


def test_stored_responses_expire(world, clock):
    api = world
    headers = {**api.auth("webhooks:manage"), "Idempotency-Key": "sub-0004"}
    assert (
        api.client.post("/v1/webhook-subscriptions", json=SUBSCRIPTION, headers=headers).status_code
        == 201
    )
    clock.advance(25 * 3600)
    again = api.client.post("/v1/webhook-subscriptions", json=SUBSCRIPTION, headers=headers)
    assert again.status_code == 201 and "idempotent-replayed" not in again.headers
    assert count_subscriptions(api) == 2
