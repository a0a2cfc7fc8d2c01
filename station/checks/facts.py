"""What the checks look at: plain, typed facts taken from the reference data and the bench.

Checks never touch the database; station.checks.context builds these from it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class ParcelFacts:
    """The parcel scan and the ASN it led to (if any)."""

    scanned: str
    kind: str  # s10, tracking, shipment_qr, unknown ...
    valid: bool
    invalid_reason: str | None = None
    shipment_id: str | None = None
    tracking_number: str | None = None
    s10_id: str | None = None


@dataclass(frozen=True)
class PaidCategory:
    category_id: str
    paid_from: date
    paid_until: date | None


@dataclass(frozen=True)
class MerchantFacts:
    id: str
    kind: str  # enterprise / individual
    enterprise_id: str | None
    status: str  # active / suspended / closed
    country: str
    legal_name: str
    paid: tuple[PaidCategory, ...] = ()


@dataclass(frozen=True)
class BrandFacts:
    id: str
    name: str
    status: str  # registered / pending / expired / revoked
    registered_until: date | None


@dataclass(frozen=True)
class AuthorisationFacts:
    id: str
    brand_id: str
    merchant_id: str
    parent_id: str | None
    valid_from: date
    valid_until: date | None
    status: str  # active / revoked
    categories: tuple[str, ...]


@dataclass(frozen=True)
class ListingFacts:
    id: str
    merchant_id: str
    brand_id: str
    category_id: str
    # The listing's category first, then its ancestors up to the business scope.
    category_path: tuple[str, ...]
    rules: str
    title: str
    gtins: frozenset[str]
    unit_weight_mg: int
    weight_tolerance_mg: int
    requires_serial: bool
    requires_expiry: bool


@dataclass(frozen=True)
class UnitFacts:
    """What the bench learnt about one unit."""

    gtin: str | None = None  # as scanned
    serial: str | None = None
    batch: str | None = None
    expiry: date | None = None
    weight_mg: int | None = None
    photos: tuple[str, ...] = ()  # faces photographed
    answers: dict[str, str] = field(default_factory=dict)
    # step -> the operator's reason for skipping it (e.g. "weight", "photo:back")
    skipped: dict[str, str] = field(default_factory=dict)
    # device kind -> supervisor who allowed going on without it
    waived: dict[str, str] = field(default_factory=dict)
    damaged: bool = False
    # face -> quality problems (vision.quality codes) of a photo taken at the retake limit
    photo_problems: dict[str, tuple[str, ...]] = field(default_factory=dict)
