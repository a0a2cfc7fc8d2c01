"""Managing subscriptions and redelivering: the rules the API and the CLI share."""

from __future__ import annotations

from sqlalchemy.orm import Session

from station.clock import utcnow
from station.errors import StationError
from station.inspection.events import EventKind
from station.webhooks.models import DeliveryStatus, WebhookDelivery, WebhookSubscription
from station.webhooks.signing import new_secret
from station.webhooks.targets import target_problem

EVENT_TYPES = (
    EventKind.INSPECTION_COMPLETED,
    EventKind.INSPECTION_OVERRIDDEN,
    EventKind.LOT_DECIDED,
)


class InvalidSubscription(StationError):
    """A subscription that cannot work as given; `field` names the culprit."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def check(url: str, event_types: list[str], *, allow_private: bool) -> None:
    problem = target_problem(url, allow_private=allow_private)
    if problem:
        raise InvalidSubscription("url", problem)
    unknown = sorted(set(event_types) - set(EVENT_TYPES))
    if unknown or not event_types:
        raise InvalidSubscription(
            "event_types",
            f"unknown event type(s) {', '.join(unknown) or '(none given)'}; "
            f"expected some of {', '.join(EVENT_TYPES)}",
        )


def create_subscription(
    session: Session,
    *,
    url: str,
    event_types: list[str],
    description: str = "",
    warehouses: list[str] | None = None,
    api_key_id=None,
    allow_private: bool,
) -> WebhookSubscription:
    check(url, event_types, allow_private=allow_private)
    subscription = WebhookSubscription(
        url=url,
        event_types=sorted(set(event_types)),
        description=description,
        secret=new_secret(),
        warehouses=warehouses,
        api_key_id=api_key_id,
    )
    session.add(subscription)
    session.flush()
    return subscription


def redeliver(delivery: WebhookDelivery) -> WebhookDelivery:
    """Send again as soon as a worker is free (dead-lettered or delivered alike);
    the retry window starts afresh."""
    now = utcnow()
    delivery.status = DeliveryStatus.PENDING
    delivery.next_attempt_at = now
    delivery.created_at = now
    delivery.claim_token = None
    return delivery
