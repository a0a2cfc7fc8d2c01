"""Central's reference data for one station, as pages of changes after a cursor.

The station pulls (station/sync/pull.py) what changed since its last pass: each
table in turn, rows in (updated_at, id) order, with their child rows. A pass that
reaches the end hands back a cursor for the next pass, starting a few minutes
before this one began, so a row committed late by a long transaction is not
missed (rows sent twice are upserted, which changes nothing).

Overrides central made to this station's inspections and lots come along: the
conflict rule (docs/sync.md) sends central's overrides back to the station.
"""

from __future__ import annotations

import base64
import binascii
import json
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from station.clock import utcnow
from station.errors import StationError
from station.fleet.models import Station
from station.inspection.models import Inspection, Lot, Override
from station.reference.models import (
    Brand,
    BrandAuthorisation,
    BrandLogo,
    Category,
    Listing,
    ListingGtin,
    ListingImage,
    Merchant,
    MerchantCategory,
    Shipment,
    ShipmentLine,
    Warehouse,
    authorisation_categories,
)
from station.sync.rows import row_dict

LATE_COMMIT = timedelta(minutes=5)


@dataclass(frozen=True)
class Table:
    name: str
    model: type
    children: tuple[tuple[str, type, str], ...] = ()  # (name, model, column naming the parent)


# In the order a station applies them (parents before the rows that name them).
TABLES = (
    Table("warehouses", Warehouse),
    Table("stations", Station),
    Table("categories", Category),
    Table("merchants", Merchant, (("paid_categories", MerchantCategory, "merchant_id"),)),
    Table("brands", Brand, (("logos", BrandLogo, "brand_id"),)),
    Table("authorisations", BrandAuthorisation),
    Table(
        "listings",
        Listing,
        (("gtins", ListingGtin, "listing_id"), ("images", ListingImage, "listing_id")),
    ),  # fmt: skip
    Table("shipments", Shipment, (("lines", ShipmentLine, "shipment_id"),)),
    Table("overrides", Override),
)
BY_NAME = {t.name: t for t in TABLES}


class InvalidCursor(StationError):
    """A reference cursor this server did not make."""


@dataclass(frozen=True)
class Cursor:
    since: datetime | None = None  # this pass sends rows changed at or after this
    table: int = 0
    after: tuple[datetime, str] | None = None  # the last row sent of the current table
    started: datetime | None = None

    def encode(self) -> str:
        data = {
            "since": self.since.isoformat() if self.since else None,
            "table": self.table,
            "after": [self.after[0].isoformat(), self.after[1]] if self.after else None,
            "started": self.started.isoformat() if self.started else None,
        }
        return base64.urlsafe_b64encode(json.dumps(data).encode()).decode()

    @classmethod
    def decode(cls, text: str | None) -> Cursor:
        if not text:
            return cls()
        try:
            data = json.loads(base64.urlsafe_b64decode(text.encode()))
            after = data["after"]
            return cls(
                since=_time(data["since"]),
                table=int(data["table"]),
                after=(datetime.fromisoformat(after[0]), str(after[1])) if after else None,
                started=_time(data["started"]),
            )
        except (ValueError, KeyError, TypeError, IndexError, binascii.Error):
            raise InvalidCursor(
                "not a reference cursor from this server; start without one"
            ) from None


def _time(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def reference_page(session: Session, station_id: str, cursor: Cursor, limit: int) -> dict[str, Any]:
    """Up to `limit` changed rows for the station, the cursor after them, and whether
    this pass is complete (then `next` starts the next pass)."""
    station = session.get(Station, station_id)
    if station is None:
        raise InvalidCursor(f"station {station_id} is not known here")
    started = cursor.started or (utcnow() - LATE_COMMIT)
    table, after, items = cursor.table, cursor.after, []
    while table < len(TABLES) and len(items) < limit:
        rows = _changed(session, TABLES[table], station, cursor.since, after, limit - len(items))
        items += [_item(session, TABLES[table], row) for row in rows]
        if rows and len(items) == limit:
            after = (_stamp(rows[-1]), str(rows[-1].id))
        else:
            table, after = table + 1, None
    done = table >= len(TABLES)
    following = (
        Cursor(since=started, started=None) if done else Cursor(cursor.since, table, after, started)
    )
    return {"items": items, "next": following.encode(), "done": done}


def _stamp_column(model):
    return model.created_at if model is Override else model.updated_at


def _stamp(row) -> datetime:
    return row.created_at if isinstance(row, Override) else row.updated_at


def _changed(session, table: Table, station: Station, since, after, limit: int) -> list:
    model = table.model
    stamp = _stamp_column(model)
    query = select(model).order_by(stamp, model.id).limit(limit)
    if since is not None:
        query = query.where(stamp >= since)
    if after is not None:
        after_id = uuid.UUID(after[1]) if model is Override else after[1]
        query = query.where(or_(stamp > after[0], and_(stamp == after[0], model.id > after_id)))
    if model is Shipment:
        query = query.where(Shipment.warehouse_id == station.warehouse_id)
    if model is Override:
        query = query.where(or_(Override.inspection_id.in_(_of_station(Inspection, station.id)),
                                Override.lot_id.in_(_of_station(Lot, station.id))))  # fmt: skip
    return list(session.scalars(query))


def _of_station(model, station_id: str):
    return select(model.id).where(model.station_id == station_id)


def _item(session: Session, table: Table, row) -> dict[str, Any]:
    item: dict[str, Any] = {"table": table.name, "row": row_dict(row), "children": {}}
    for name, model, column in table.children:
        children = session.scalars(select(model).where(getattr(model, column) == row.id))
        item["children"][name] = [row_dict(c) for c in children]
    if table.model is BrandAuthorisation:
        categories = session.scalars(
            select(authorisation_categories.c.category_id).where(
                authorisation_categories.c.authorisation_id == row.id
            )
        )
        item["children"]["category_ids"] = sorted(categories)
    return item
