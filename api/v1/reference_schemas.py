"""What the reference endpoints return. A GET body carries the fields a PUT sends
plus read-only ones (created_at, updated_at, images, logos)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict

from station.reference.models import (
    AuthorisationStatus,
    BrandStatus,
    ListingStatus,
    MerchantKind,
    MerchantStatus,
    ShipmentStatus,
)

PREFIX = "/v1"


class Out(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: str
    created_at: datetime
    updated_at: datetime


class WarehouseOut(Out):
    name: str
    timezone: str
    address: str | None


class StationOut(Out):
    warehouse_id: str
    name: str
    last_seen_at: datetime | None
    software_version: str | None


class CategoryOut(Out):
    parent_id: str | None
    name: str
    name_zh: str | None
    rules: str | None


class PaidCategoryOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    category_id: str
    paid_from: date
    paid_until: date | None
    fee_minor: int
    currency: str


class MerchantOut(Out):
    kind: MerchantKind
    country: str
    enterprise_id: str | None
    legal_name: str
    status: MerchantStatus
    service_indicators: dict[str, Any]
    paid_categories: list[PaidCategoryOut]


class ImageOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    position: int
    sha256: str
    media_type: str
    width: int
    height: int


class BrandOut(Out):
    name: str
    trademark_number: str | None
    trademark_office: str | None
    owner_name: str
    nice_classes: list[int]
    status: BrandStatus
    registered_until: date | None
    logos: list[ImageOut]


class AuthorisationOut(Out):
    brand_id: str
    merchant_id: str
    parent_id: str | None
    valid_from: date
    valid_until: date | None
    status: AuthorisationStatus
    document_ref: str | None
    categories: list[str]


class ListingImageOut(ImageOut):
    face: str
    href: str


class ListingOut(Out):
    merchant_id: str
    brand_id: str
    category_id: str
    title: str
    title_zh: str | None
    gtins: list[str]
    attributes: dict[str, Any]
    unit_weight_g: float
    weight_tolerance_g: float
    requires_serial: bool
    requires_expiry: bool
    status: ListingStatus
    price_minor: int | None
    currency: str | None
    images: list[ListingImageOut]


class ShipmentLineOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    line_no: int
    listing_id: str
    quantity: int


class ShipmentOut(Out):
    merchant_id: str
    warehouse_id: str
    carrier: str | None
    tracking_number: str | None
    s10_id: str | None
    status: ShipmentStatus
    expected_at: datetime | None
    arrived_at: datetime | None
    lines: list[ShipmentLineOut]


class PutResult(BaseModel):
    outcome: str


class BulkResult(BaseModel):
    lines: int
    created: int
    updated: int
    unchanged: int


def grams(milligrams: int) -> float:
    return float(Decimal(milligrams) / 1000)


def authorisation_out(obj) -> AuthorisationOut:
    return AuthorisationOut.model_validate(
        {**_columns(obj), "categories": [c.id for c in obj.categories]}
    )


def listing_out(obj) -> ListingOut:
    images = [
        {**_columns(i), "href": f"{PREFIX}/listings/{obj.id}/images/{i.position}"}
        for i in obj.images
    ]
    return ListingOut.model_validate(
        {
            **_columns(obj),
            "gtins": [g.gtin for g in obj.gtins],
            "unit_weight_g": grams(obj.unit_weight_mg),
            "weight_tolerance_g": grams(obj.weight_tolerance_mg),
            "images": images,
        }
    )


def _columns(obj) -> dict[str, Any]:
    return {c.key: getattr(obj, c.key) for c in obj.__table__.columns}
