"""Webhook subscriptions, the delivery log and redelivery.

A subscription sees the events of the warehouses its creating key may see.
Deliveries follow Standard Webhooks: headers webhook-id (the receiver's
deduplication key, the same on every retry), webhook-timestamp and
webhook-signature (v1, HMAC-SHA256 of "id.timestamp.body" with the secret).
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select, tuple_
from sqlalchemy.orm import Session

from api.deps import RuntimeDep, SessionDep
from api.v1 import paging
from api.v1.problems import ProblemException, ProblemItem, not_found
from api.v1.security import Caller, WebhookManager
from api.v1.tags import Tag
from api.v1.writes import WriteSession
from station.webhooks.models import (
    DeliveryStatus,
    WebhookDelivery,
    WebhookSubscription,
)
from station.webhooks.subscriptions import (
    EVENT_TYPES,
    InvalidSubscription,
    check,
    create_subscription,
    redeliver,
)

router = APIRouter(tags=[Tag.WEBHOOKS])
EventType = Annotated[str, Field(json_schema_extra={"enum": list(EVENT_TYPES)})]


class SubscriptionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    url: str = Field(min_length=8, max_length=2000, description="http(s) URL to POST events to")
    event_types: list[EventType] = Field(min_length=1, max_length=len(EVENT_TYPES))
    description: str = Field(default="", max_length=300)


class SubscriptionPatch(BaseModel):
    model_config = ConfigDict(extra="forbid")
    url: str | None = Field(default=None, min_length=8, max_length=2000)
    event_types: list[EventType] | None = Field(default=None, min_length=1)
    description: str | None = Field(default=None, max_length=300)
    active: bool | None = None


class SubscriptionOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: uuid.UUID
    url: str
    description: str
    event_types: list[str]
    warehouses: list[str] | None
    active: bool
    disabled_reason: str | None
    created_at: datetime
    updated_at: datetime


class NewSubscriptionOut(SubscriptionOut):
    secret: str = Field(description="whsec_...: shown only here; verify signatures with it")


class AttemptOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    number: int
    started_at: datetime
    duration_ms: int
    status_code: int | None
    error: str | None
    response_excerpt: str | None


class DeliveryOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: uuid.UUID
    subscription_id: uuid.UUID
    event_id: uuid.UUID
    status: DeliveryStatus
    attempts: int
    next_attempt_at: datetime
    created_at: datetime
    last_attempt_at: datetime | None
    last_status_code: int | None
    last_error: str | None
    delivered_at: datetime | None


class DeliveryDetail(DeliveryOut):
    log: list[AttemptOut]


def _subscription(session: Session, caller: Caller, subscription_id: uuid.UUID):
    subscription = session.get(WebhookSubscription, subscription_id)
    if subscription is None or not _visible(caller, subscription):
        raise not_found(f"webhook subscription {subscription_id}")
    return subscription


def _visible(caller: Caller, subscription: WebhookSubscription) -> bool:
    if caller.warehouses is None:
        return True
    return subscription.warehouses is not None and set(subscription.warehouses) <= set(
        caller.warehouses
    )


def _invalid(err: InvalidSubscription) -> ProblemException:
    return ProblemException(
        "validation", str(err), errors=[ProblemItem(detail=str(err), pointer=f"/{err.field}")]
    )


@router.post(
    "/webhook-subscriptions",
    name="create_subscription",
    summary="Subscribe a URL to event types; the signing secret is returned once",
    status_code=201,
    response_model=NewSubscriptionOut,
)
def create(
    body: SubscriptionIn, caller: WebhookManager, session: WriteSession, runtime: RuntimeDep
):
    try:
        subscription = create_subscription(
            session,
            url=body.url,
            event_types=body.event_types,
            description=body.description,
            warehouses=caller.warehouse_list,
            api_key_id=caller.key_id,
            allow_private=runtime.settings.webhooks.allow_private_targets,
        )
    except InvalidSubscription as err:
        raise _invalid(err) from None
    return subscription


@router.get(
    "/webhook-subscriptions",
    name="list_subscriptions",
    summary="Subscriptions this key can see",
    response_model=paging.Page[SubscriptionOut],
)
def list_subscriptions(caller: WebhookManager, session: SessionDep):
    rows = session.scalars(select(WebhookSubscription).order_by(WebhookSubscription.created_at))
    return {"items": [s for s in rows if _visible(caller, s)], "next": None}


@router.get(
    "/webhook-subscriptions/{subscription_id}",
    name="get_subscription",
    summary="One subscription",
    response_model=SubscriptionOut,
)
def get_subscription(subscription_id: uuid.UUID, caller: WebhookManager, session: SessionDep):
    return _subscription(session, caller, subscription_id)


@router.patch(
    "/webhook-subscriptions/{subscription_id}",
    name="update_subscription",
    summary="Change URL, event types or description; pause or resume deliveries",
    response_model=SubscriptionOut,
)
def update_subscription(
    subscription_id: uuid.UUID,
    body: SubscriptionPatch,
    caller: WebhookManager,
    session: WriteSession,
    runtime: RuntimeDep,
):
    subscription = _subscription(session, caller, subscription_id)
    changes = body.model_dump(exclude_unset=True, exclude_none=True)
    try:
        check(
            changes.get("url", subscription.url),
            changes.get("event_types", subscription.event_types),
            allow_private=runtime.settings.webhooks.allow_private_targets,
        )
    except InvalidSubscription as err:
        raise _invalid(err) from None
    for name, value in changes.items():
        setattr(subscription, name, sorted(set(value)) if name == "event_types" else value)
    if changes.get("active"):
        subscription.disabled_reason = None
    session.flush()
    return subscription


@router.delete(
    "/webhook-subscriptions/{subscription_id}",
    name="delete_subscription",
    summary="Stop and forget a subscription and its delivery log",
    status_code=204,
    response_class=Response,
)
def delete_subscription(
    subscription_id: uuid.UUID, caller: WebhookManager, session: WriteSession
) -> Response:
    session.delete(_subscription(session, caller, subscription_id))
    return Response(status_code=204)


@router.get(
    "/webhook-subscriptions/{subscription_id}/deliveries",
    name="list_deliveries",
    summary="The delivery log of a subscription, oldest first",
    response_model=paging.Page[DeliveryOut],
)
def list_deliveries(
    subscription_id: uuid.UUID,
    request: Request,
    response: Response,
    caller: WebhookManager,
    session: SessionDep,
    status: Annotated[DeliveryStatus | None, Query()] = None,
    limit: paging.Limit = paging.DEFAULT_LIMIT,
    after: paging.After = None,
):
    _subscription(session, caller, subscription_id)
    filters = {"subscription": subscription_id, "status": status}
    key = paging.decode(after, filters, 2)
    query = select(WebhookDelivery).where(WebhookDelivery.subscription_id == subscription_id)
    if status:
        query = query.where(WebhookDelivery.status == status)
    if key:
        try:
            start = (datetime.fromisoformat(key[0]), uuid.UUID(key[1]))
        except (TypeError, ValueError):
            raise paging.invalid_cursor() from None
        query = query.where(tuple_(WebhookDelivery.created_at, WebhookDelivery.id) > start)
    query = query.order_by(WebhookDelivery.created_at, WebhookDelivery.id).limit(limit + 1)
    rows = list(session.scalars(query))
    last = rows[limit - 1] if len(rows) > limit else None
    cursor = paging.encode([last.created_at.isoformat(), str(last.id)], filters) if last else None
    paging.link_next(request, response, cursor)
    return {"items": rows[:limit], "next": cursor}


def _delivery(session: Session, caller: Caller, delivery_id: uuid.UUID) -> WebhookDelivery:
    delivery = session.get(WebhookDelivery, delivery_id)
    if delivery is None or not _visible(caller, delivery.subscription):
        raise not_found(f"webhook delivery {delivery_id}")
    return delivery


@router.get(
    "/webhook-deliveries/{delivery_id}",
    name="get_delivery",
    summary="One delivery with every attempt",
    response_model=DeliveryDetail,
)
def get_delivery(delivery_id: uuid.UUID, caller: WebhookManager, session: SessionDep):
    delivery = _delivery(session, caller, delivery_id)
    delivery.log.sort(key=lambda a: a.number)
    return delivery


@router.post(
    "/webhook-deliveries/{delivery_id}/redeliver",
    name="redeliver",
    summary="Send a delivery again (dead-lettered or not) as soon as a worker is free",
    status_code=202,
    response_model=DeliveryOut,
)
def redeliver_one(delivery_id: uuid.UUID, caller: WebhookManager, session: WriteSession):
    delivery = redeliver(_delivery(session, caller, delivery_id))
    session.flush()
    return delivery
