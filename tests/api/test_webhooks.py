"""Webhooks: subscriptions through the API, deliveries from the outbox, signed per
Standard Webhooks, retried with back-off, dead-lettered, redelivered."""

from __future__ import annotations

import json
import threading
import uuid
from collections import Counter
from datetime import datetime

import pytest
from sqlalchemy import select
from standardwebhooks import Webhook

from station.clock import FixedClock, set_clock
from station.inspection.events import EventKind, publish
from station.webhooks.delivery import DeliveryWorker
from station.webhooks.models import DeliveryStatus, WebhookDelivery
from tests.api.receiver import Receiver


def subscribe(api, url: str, types=("inspection.completed",), warehouses=None) -> dict:
    response = api.client.post(
        "/v1/webhook-subscriptions",
        json={"url": url, "event_types": list(types)},
        headers=api.auth("webhooks:manage", warehouses=warehouses),
    )
    assert response.status_code == 201, response.text
    return response.json()


def event(api, warehouse="WH1", kind=EventKind.INSPECTION_COMPLETED) -> uuid.UUID:
    with api.db.transaction() as session:
        published = publish(
            session,
            kind=kind,
            subject_id=uuid.uuid4(),
            payload={"verdict": "pass"},
            warehouse_id=warehouse,
        )
        return published.id


def worker(api, **settings) -> DeliveryWorker:
    config = api.runtime.settings.webhooks.model_copy(
        update={
            "timeout_seconds": 5,
            "first_retry_seconds": 5,
            "backoff_factor": 3,
            "max_retry_seconds": 3 * 3600,
            "retry_hours": 24,
            **settings,
        }
    )
    return DeliveryWorker(api.db, config)


def deliveries(api) -> list[WebhookDelivery]:
    with api.db.session() as session:
        return list(session.scalars(select(WebhookDelivery).order_by(WebhookDelivery.created_at)))


def test_fails_times_out_then_recovers_with_valid_signatures(world, clock):
    api = world
    with Receiver(script=[500, "stall", 200], stall=2.5) as receiver:
        subscription = subscribe(api, receiver.url)
        assert subscription["secret"].startswith("whsec_")
        event_id = event(api)
        event(api, kind=EventKind.LOT_DECIDED)  # not subscribed: no delivery
        (delivery,) = deliveries(api)
        deliver = worker(api, timeout_seconds=1.5)
        assert deliver.run_once() == 1  # 500
        assert deliver.run_once() == 0  # not due yet
        clock.advance(6)
        assert deliver.run_once() == 1  # no answer in time
        clock.advance(5)
        assert deliver.run_once() == 0  # back-off grows: 15 s now
        clock.advance(15)
        assert deliver.run_once() == 1  # recovered
        assert deliver.run_once() == 0
    assert len(receiver.received) == 3
    signer = Webhook(subscription["secret"])
    for received in receiver.received:
        headers = received.headers
        assert headers["webhook-id"] == str(delivery.id)  # the same on every attempt
        sent_at = datetime.fromtimestamp(int(headers["webhook-timestamp"]), tz=clock.now().tzinfo)
        assert headers["webhook-signature"] == signer.sign(
            headers["webhook-id"], sent_at, received.body.decode()
        )
    message = json.loads(receiver.received[0].body)
    assert message["type"] == "inspection.completed"
    assert message["data"]["event_id"] == str(event_id) and message["data"]["cursor"]
    log = api.client.get(
        f"/v1/webhook-deliveries/{delivery.id}", headers=api.auth("webhooks:manage")
    ).json()
    assert log["status"] == "delivered" and log["attempts"] == 3
    assert [a["status_code"] for a in log["log"]] == [500, None, 200]
    assert "no answer within" in log["log"][1]["error"]


def test_retries_for_a_day_then_dead_letters_and_redelivers(world, clock):
    api = world
    with Receiver(default=503) as receiver:
        subscribe(api, receiver.url)
        event(api)
        deliver = worker(api)
        started = clock.now()
        deliver.run_once()
        (delivery,) = deliveries(api)
        while delivery.status is DeliveryStatus.PENDING:
            clock.advance((delivery.next_attempt_at - clock.now()).total_seconds() + 1)
            assert deliver.run_once() == 1
            (delivery,) = deliveries(api)
        assert delivery.status is DeliveryStatus.DEAD
        assert (delivery.last_attempt_at - started).total_seconds() >= 24 * 3600
        assert 8 <= delivery.attempts <= 20 and len(receiver.received) == delivery.attempts
        dead = api.client.get(
            f"/v1/webhook-subscriptions/{delivery.subscription_id}/deliveries?status=dead",
            headers=api.auth("webhooks:manage"),
        ).json()
        assert [d["id"] for d in dead["items"]] == [str(delivery.id)]
        receiver.default = 204
        again = api.client.post(
            f"/v1/webhook-deliveries/{delivery.id}/redeliver", headers=api.auth("webhooks:manage")
        )
        assert again.status_code == 202 and again.json()["status"] == "pending"
        assert deliver.run_once() == 1
    assert deliveries(api)[0].status is DeliveryStatus.DELIVERED


def test_gone_disables_the_subscription(world, clock):
    api = world
    with Receiver(default=410) as receiver:
        subscription = subscribe(api, receiver.url)
        event(api)
        worker(api).run_once()
        event(api)  # no delivery for a disabled subscription
    shown = api.client.get(
        f"/v1/webhook-subscriptions/{subscription['id']}", headers=api.auth("webhooks:manage")
    ).json()
    assert shown["active"] is False and "410" in shown["disabled_reason"]
    assert [d.status for d in deliveries(api)] == [DeliveryStatus.DEAD]


def test_a_dead_workers_claim_lapses_and_the_message_still_arrives(world, clock):
    api = world
    with Receiver() as receiver:
        subscribe(api, receiver.url)
        event(api)
        crashed = worker(api)
        assert len(crashed.claim()) == 1  # claimed, then the process died
        survivor = worker(api)
        assert survivor.run_once() == 0  # still leased
        clock.advance(crashed.lease.total_seconds() + 1)
        assert survivor.run_once() == 1
    assert len(receiver.received) == 1 and deliveries(api)[0].status is DeliveryStatus.DELIVERED


def test_subscriptions_see_only_their_warehouses(world, clock):
    api = world
    with Receiver() as receiver:
        subscribe(api, receiver.url, warehouses=["WH2"])
        event(api, warehouse="WH1")
        event(api, warehouse="WH2")
        worker(api).run_once()
    assert [json.loads(r.body)["data"]["warehouse_id"] for r in receiver.received] == ["WH2"]


def test_several_workers_share_the_outbox_without_sending_twice(world, clock):
    api = world
    with Receiver() as receiver:
        subscribe(api, receiver.url)
        for _ in range(40):
            event(api)
        workers = [worker(api, batch=3) for _ in range(3)]

        def drain(w: DeliveryWorker) -> None:
            while w.run_once():
                pass

        threads = [threading.Thread(target=drain, args=(w,)) for w in workers]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
    counts = Counter(r.headers["webhook-id"] for r in receiver.received)
    assert len(counts) == 40 and set(counts.values()) == {1}
    assert {d.status for d in deliveries(api)} == {DeliveryStatus.DELIVERED}


def test_receivers_verify_with_the_standard_library(world):
    """With the real clock: what an integrator's receiver does, verbatim."""
    api = world
    previous = set_clock(FixedClock(datetime.now().astimezone()))
    try:
        with Receiver() as receiver:
            subscription = subscribe(api, receiver.url)
            event(api)
            worker(api).run_once()
    finally:
        set_clock(previous)
    (received,) = receiver.received
    payload = Webhook(subscription["secret"]).verify(received.body, received.headers)
    assert payload["type"] == "inspection.completed"
    with pytest.raises(Exception, match="signature"):
        Webhook(subscription["secret"]).verify(received.body + b" ", received.headers)


def test_subscription_management(world):
    api = world
    manager = api.auth("webhooks:manage")
    bad = api.client.post(
        "/v1/webhook-subscriptions",
        headers=manager,
        json={"url": "http://127.0.0.1:9/h", "event_types": ["cake.baked"]},
    )
    assert bad.status_code == 422 and bad.json()["errors"][0]["pointer"].startswith("/event_types")
    created = subscribe(api, "http://127.0.0.1:9/h")
    listed = api.client.get("/v1/webhook-subscriptions", headers=manager).json()
    assert [s["id"] for s in listed["items"]] == [created["id"]] and "secret" not in listed[
        "items"
    ][0]
    patched = api.client.patch(
        f"/v1/webhook-subscriptions/{created['id']}",
        headers=manager,
        json={"event_types": ["lot.decided"], "active": False},
    )
    assert patched.json()["event_types"] == ["lot.decided"] and patched.json()["active"] is False
    assert (
        api.client.delete(f"/v1/webhook-subscriptions/{created['id']}", headers=manager).status_code
        == 204
    )
    assert (
        api.client.get(f"/v1/webhook-subscriptions/{created['id']}", headers=manager).status_code
        == 404
    )


def test_the_server_process_delivers_in_the_background(world):
    """`serve` with webhooks.run_in_server: the worker runs for the app's lifetime."""
    api = world
    import time

    from fastapi.testclient import TestClient

    from api.main import create_app

    api.runtime.settings.webhooks.run_in_server = True
    api.runtime.settings.webhooks.poll_seconds = 0.05
    with Receiver() as receiver, TestClient(create_app(api.runtime)):
        subscribe(api, receiver.url)
        event(api)
        deadline = time.monotonic() + 20
        while not receiver.received and time.monotonic() < deadline:
            time.sleep(0.05)
    assert len(receiver.received) == 1
