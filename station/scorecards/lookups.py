"""Finding things for supervisors: the review queue, lots and inspections by any
identifier on the parcel or the unit, station and device health."""

from __future__ import annotations

import contextlib
import uuid
from dataclasses import dataclass

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, selectinload

from station.fleet.models import Station
from station.identifiers import normalise_gtin
from station.inspection.models import Inspection, InspectionStatus, Lot, ResultEvent, Verdict
from station.reference.models import Listing, Merchant, Shipment
from station.webhooks.models import DeliveryStatus, WebhookDelivery

QUEUE_LIMIT = 200
SEARCH_LIMIT = 100


# Waiting for a person: the bench said "review" and no supervisor has decided yet (the
# final verdict stays empty until then, as station.review has it).
AWAITING = (
    Inspection.status == InspectionStatus.COMPLETED,
    Inspection.verdict == Verdict.REVIEW,
    Inspection.final_verdict.is_(None),
)


def review_queue(session: Session, limit: int = QUEUE_LIMIT) -> list[Inspection]:
    """Completed inspections whose verdict still waits for a person, oldest first."""
    query = (
        select(Inspection)
        .where(*AWAITING)
        .options(selectinload(Inspection.checks), selectinload(Inspection.photos))
        .order_by(Inspection.completed_at, Inspection.id)
        .limit(limit)
    )
    return list(session.scalars(query))


def review_count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Inspection).where(*AWAITING))


@dataclass(frozen=True)
class Found:
    shipments: list[Shipment]
    lots: list[Lot]
    inspections: list[Inspection]


def search(session: Session, text: str) -> Found:
    """Shipments by tracking number, S10 id, id or merchant; inspections by GTIN or
    serial; and the lots of what was found."""
    text = text.strip()
    if not text:
        return Found([], [], [])
    upper = text.upper()
    merchants = select(Merchant.id).where(
        or_(Merchant.id == text, func.lower(Merchant.legal_name).contains(text.lower()))
    )
    shipments = list(
        session.scalars(
            select(Shipment)
            .where(
                or_(
                    Shipment.id == text,
                    Shipment.tracking_number == text,
                    Shipment.s10_id == upper.replace(" ", ""),
                    Shipment.merchant_id.in_(merchants),
                )
            )
            .order_by(Shipment.id)
            .limit(SEARCH_LIMIT)
        )
    )
    inspections = _inspections_by_code(session, text)
    shipment_ids = {s.id for s in shipments} | {i.shipment_id for i in inspections if i.shipment_id}
    lots = list(
        session.scalars(
            select(Lot)
            .where(Lot.shipment_id.in_(shipment_ids))
            .order_by(Lot.opened_at.desc())
            .limit(SEARCH_LIMIT)
        )
    )
    return Found(shipments, lots, inspections)


def _inspections_by_code(session: Session, text: str) -> list[Inspection]:
    conditions = [Inspection.serial == text]
    with contextlib.suppress(ValueError):
        conditions.append(Inspection.gtin == normalise_gtin(text))
    with contextlib.suppress(ValueError):
        conditions.append(Inspection.id == uuid.UUID(text))
    query = (
        select(Inspection)
        .where(or_(*conditions))
        .order_by(Inspection.completed_at.desc())
        .limit(SEARCH_LIMIT)
    )
    return list(session.scalars(query))


def listing_titles(session: Session, ids: set[str]) -> dict[str, tuple[str, str | None]]:
    rows = session.execute(
        select(Listing.id, Listing.title, Listing.title_zh).where(Listing.id.in_(ids))
    )
    return {lid: (title, title_zh) for lid, title, title_zh in rows}


def stations_with_devices(session: Session) -> list[Station]:
    query = select(Station).options(selectinload(Station.devices)).order_by(Station.id)
    return list(session.scalars(query))


def outbox_depth(session: Session) -> dict[str, tuple[int, int]]:
    """Per station: (results waiting to be delivered, deliveries given up on), from the
    webhook outbox; a station that has none is absent."""
    rows = session.execute(
        select(ResultEvent.station_id, WebhookDelivery.status, func.count())
        .join(ResultEvent, ResultEvent.id == WebhookDelivery.event_id)
        .where(WebhookDelivery.status.in_([DeliveryStatus.PENDING, DeliveryStatus.DEAD]))
        .group_by(ResultEvent.station_id, WebhookDelivery.status)
    )
    depth: dict[str, list[int]] = {}
    for station, status, n in rows:
        slot = depth.setdefault(station or "", [0, 0])
        slot[0 if status == DeliveryStatus.PENDING else 1] += n
    return {station: (pending, dead) for station, (pending, dead) in depth.items()}
