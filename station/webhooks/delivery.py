"""The delivery worker: claim due deliveries, send them signed, record the outcome.

At least once, never lost: a delivery leaves `pending` only when a receiver
answered 2xx or its retries ran out (then it is dead-lettered, and can be
redelivered). A worker claims deliveries by pushing their due time one lease
ahead; if it dies mid-send, the lease lapses and another worker sends again, so
a receiver may see a message twice (it deduplicates on webhook-id).

Several worker processes are safe: on PostgreSQL the claim is SELECT ... FOR
UPDATE SKIP LOCKED, so concurrent claims take disjoint rows without waiting; on
SQLite the claim runs in a BEGIN IMMEDIATE transaction, one writer at a time.
"""

from __future__ import annotations

import logging
import random
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta

import httpx
from sqlalchemy import select
from sqlalchemy.orm import Session

from station import __version__
from station.clock import utcnow
from station.db.engine import Database
from station.inspection.models import ResultEvent
from station.settings import WebhookSettings
from station.webhooks.models import (
    DeliveryStatus,
    WebhookAttempt,
    WebhookDelivery,
    WebhookSubscription,
)
from station.webhooks.outbox import message_bytes
from station.webhooks.signing import signed_headers
from station.webhooks.targets import target_problem

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Outgoing:
    delivery_id: uuid.UUID
    token: uuid.UUID
    url: str
    secret: str
    body: bytes


@dataclass(frozen=True)
class Outcome:
    started_at: datetime
    duration_ms: int
    status_code: int | None
    error: str | None
    excerpt: str | None
    retry_after: float | None

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


class DeliveryWorker:
    def __init__(
        self, db: Database, settings: WebhookSettings, client: httpx.Client | None = None
    ) -> None:
        self.db = db
        self.settings = settings
        self.client = client or httpx.Client(
            timeout=settings.timeout_seconds,
            follow_redirects=False,  # a 3xx is a failure (Standard Webhooks)
            headers={"user-agent": f"inbound-station/{__version__} webhooks"},
        )
        self.lease = timedelta(seconds=settings.timeout_seconds * 2 + 30)

    def run_once(self) -> int:
        """Send every delivery due now (one claimed batch); returns how many were tried."""
        batch = self.claim()
        if not batch:
            return 0
        with ThreadPoolExecutor(max_workers=min(len(batch), 8)) as pool:
            outcomes = list(pool.map(self.send, batch))
        for outgoing, outcome in zip(batch, outcomes, strict=True):
            self.record(outgoing, outcome)
        return len(batch)

    def run(self, stop: threading.Event) -> None:
        """Deliver until `stop` is set; a failing database only pauses the loop."""
        while not stop.is_set():
            try:
                busy = self.run_once()
            except Exception:  # keep delivering after a transient database error
                log.exception("webhook delivery round failed; trying again")
                busy = 0
            if not busy:
                stop.wait(self.settings.poll_seconds)

    def claim(self) -> list[Outgoing]:
        now, token = utcnow(), uuid.uuid4()
        with self.db.transaction() as session:
            query = (
                select(WebhookDelivery, WebhookSubscription, ResultEvent)
                .join(
                    WebhookSubscription, WebhookDelivery.subscription_id == WebhookSubscription.id
                )
                .join(ResultEvent, WebhookDelivery.event_id == ResultEvent.id)
                .where(
                    WebhookDelivery.status == DeliveryStatus.PENDING,
                    WebhookDelivery.next_attempt_at <= now,
                    WebhookSubscription.active.is_(True),
                )
                .order_by(WebhookDelivery.next_attempt_at)
                .limit(self.settings.batch)
            )
            if session.get_bind().dialect.name == "postgresql":
                query = query.with_for_update(skip_locked=True, of=WebhookDelivery)
            claimed = []
            for delivery, subscription, event in session.execute(query):
                delivery.claim_token = token
                delivery.next_attempt_at = now + self.lease
                claimed.append(
                    Outgoing(
                        delivery.id,
                        token,
                        subscription.url,
                        subscription.secret,
                        message_bytes(event),
                    )
                )
        return claimed

    def send(self, outgoing: Outgoing) -> Outcome:
        started, begin = utcnow(), time.monotonic()
        headers = signed_headers(outgoing.secret, str(outgoing.delivery_id), started, outgoing.body)
        problem = target_problem(outgoing.url, allow_private=self.settings.allow_private_targets)
        status = excerpt = error = retry_after = None
        if problem:
            error = f"refused target: {problem}"
        else:
            try:
                response = self.client.post(outgoing.url, content=outgoing.body, headers=headers)
                status, excerpt = response.status_code, response.text[:500]
                retry_after = _seconds(response.headers.get("retry-after"))
            except httpx.TimeoutException:
                error = f"no answer within {self.settings.timeout_seconds:g} s"
            except httpx.HTTPError as err:
                error = f"{type(err).__name__}: {err}"[:500]
        duration = int((time.monotonic() - begin) * 1000)
        return Outcome(started, duration, status, error, excerpt, retry_after)

    def record(self, outgoing: Outgoing, outcome: Outcome) -> None:
        with self.db.transaction() as session:
            delivery = session.get(WebhookDelivery, outgoing.delivery_id)
            if delivery is None:  # its subscription was deleted meanwhile
                return
            delivery.attempts += 1
            session.add(_attempt_row(delivery, outcome))
            delivery.last_attempt_at = outcome.started_at
            delivery.last_status_code = outcome.status_code
            delivery.last_error = outcome.error or (None if outcome.ok else outcome.excerpt)
            if outcome.ok:
                delivery.status = DeliveryStatus.DELIVERED
                delivery.delivered_at = utcnow()
            elif (
                delivery.claim_token == outgoing.token and delivery.status is DeliveryStatus.PENDING
            ):
                self._after_failure(session, delivery, outcome)

    def _after_failure(self, session: Session, delivery: WebhookDelivery, outcome: Outcome) -> None:
        now = utcnow()
        if outcome.status_code == 410:  # the receiver says the endpoint is gone for good
            delivery.status = DeliveryStatus.DEAD
            subscription = session.get(WebhookSubscription, delivery.subscription_id)
            subscription.active = False
            subscription.disabled_reason = "the receiver answered 410 Gone"
            return
        if now - delivery.created_at >= timedelta(hours=self.settings.retry_hours):
            delivery.status = DeliveryStatus.DEAD
            return
        wait = retry_delay(self.settings, delivery.attempts)
        if outcome.retry_after:
            wait = max(wait, min(outcome.retry_after, self.settings.max_retry_seconds))
        delivery.next_attempt_at = now + timedelta(seconds=wait)


def retry_delay(settings: WebhookSettings, attempts: int) -> float:
    """Exponential back-off with up to 10 % jitter, so many failing deliveries do
    not all come back in the same second."""
    base = settings.first_retry_seconds * settings.backoff_factor ** max(attempts - 1, 0)
    return min(base, settings.max_retry_seconds) * (1 + random.random() * 0.1)


def _attempt_row(delivery: WebhookDelivery, outcome: Outcome) -> WebhookAttempt:
    return WebhookAttempt(
        delivery_id=delivery.id,
        number=delivery.attempts,
        started_at=outcome.started_at,
        duration_ms=outcome.duration_ms,
        status_code=outcome.status_code,
        error=outcome.error,
        response_excerpt=outcome.excerpt,
    )


def _seconds(value: str | None) -> float | None:
    if value and value.strip().isdigit():
        return float(value.strip())
    return None
