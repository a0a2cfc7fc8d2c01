"""Writing deliveries (in the event's transaction) and the messages they carry."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from station.clock import utcnow
from station.inspection.feed import encode_cursor
from station.inspection.models import ResultEvent
from station.webhooks.models import WebhookDelivery, WebhookSubscription


def wants(subscription: WebhookSubscription, event: ResultEvent) -> bool:
    if event.kind not in subscription.event_types:
        return False
    return subscription.warehouses is None or event.warehouse_id in subscription.warehouses


def enqueue_deliveries(session: Session, event: ResultEvent) -> list[WebhookDelivery]:
    """One pending delivery per active subscription that wants the event."""
    subscriptions = session.scalars(
        select(WebhookSubscription).where(WebhookSubscription.active.is_(True))
    )
    now = utcnow()
    deliveries = [
        WebhookDelivery(
            subscription_id=s.id, event_id=event.id, next_attempt_at=now, created_at=now
        )
        for s in subscriptions
        if wants(s, event)
    ]
    session.add_all(deliveries)
    return deliveries


def message(event: ResultEvent) -> dict[str, Any]:
    """The webhook body: thin, the feed is the ledger; `cursor` resumes the feed
    right after this event."""
    return {
        "type": event.kind,
        "timestamp": event.occurred_at.isoformat().replace("+00:00", "Z"),
        "data": {
            "event_id": str(event.id),
            "subject_id": str(event.subject_id),
            "warehouse_id": event.warehouse_id,
            "station_id": event.station_id,
            "cursor": encode_cursor(event.position),
            "payload": event.payload,
        },
    }


def message_bytes(event: ResultEvent) -> bytes:
    return json.dumps(message(event), separators=(",", ":"), sort_keys=True).encode()
