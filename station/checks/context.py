"""Reads the facts the checks need from the database (the only part of checks that does I/O)."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from station.checks.facts import (
    AuthorisationFacts,
    BrandFacts,
    ListingFacts,
    MerchantFacts,
    PaidCategory,
)
from station.errors import NotFound
from station.inspection.models import Inspection, InspectionStatus
from station.reference.models import (
    Brand,
    BrandAuthorisation,
    Category,
    Listing,
    Merchant,
)

DEFAULT_RULES = "general"


def category_path(session: Session, category_id: str) -> tuple[list[str], str]:
    """The category and its ancestors, and the first rule set named on that path."""
    path, rules = [], None
    current = session.get(Category, category_id)
    while current is not None and current.id not in path:
        path.append(current.id)
        rules = rules or current.rules
        current = session.get(Category, current.parent_id) if current.parent_id else None
    return path or [category_id], rules or DEFAULT_RULES


def listing_facts(session: Session, listing_id: str) -> ListingFacts:
    listing = session.get(Listing, listing_id)
    if listing is None:
        raise NotFound(f"listing {listing_id} does not exist")
    path, rules = category_path(session, listing.category_id)
    return ListingFacts(
        id=listing.id,
        merchant_id=listing.merchant_id,
        brand_id=listing.brand_id,
        category_id=listing.category_id,
        category_path=tuple(path),
        rules=rules,
        title=listing.title,
        gtins=frozenset(g.gtin for g in listing.gtins),
        unit_weight_mg=listing.unit_weight_mg,
        weight_tolerance_mg=listing.weight_tolerance_mg,
        requires_serial=listing.requires_serial,
        requires_expiry=listing.requires_expiry,
    )


def merchant_facts(session: Session, merchant_id: str) -> MerchantFacts:
    merchant = session.get(Merchant, merchant_id)
    if merchant is None:
        raise NotFound(f"merchant {merchant_id} does not exist")
    return MerchantFacts(
        id=merchant.id,
        kind=merchant.kind.value,
        enterprise_id=merchant.enterprise_id,
        status=merchant.status.value,
        country=merchant.country,
        legal_name=merchant.legal_name,
        paid=tuple(
            PaidCategory(p.category_id, p.paid_from, p.paid_until) for p in merchant.paid_categories
        ),
    )


def brand_facts(session: Session, brand_id: str) -> BrandFacts:
    brand = session.get(Brand, brand_id)
    if brand is None:
        raise NotFound(f"brand {brand_id} does not exist")
    return BrandFacts(brand.id, brand.name, brand.status.value, brand.registered_until)


def authorisation_facts(
    session: Session, merchant_id: str, brand_id: str
) -> dict[str, AuthorisationFacts]:
    """The merchant's authorisations for the brand, and every parent up their chains."""
    rows = list(
        session.scalars(
            select(BrandAuthorisation).where(
                BrandAuthorisation.merchant_id == merchant_id,
                BrandAuthorisation.brand_id == brand_id,
            )
        )
    )
    found: dict[str, AuthorisationFacts] = {}
    while rows:
        row = rows.pop()
        if row.id in found:
            continue
        found[row.id] = AuthorisationFacts(
            id=row.id,
            brand_id=row.brand_id,
            merchant_id=row.merchant_id,
            parent_id=row.parent_id,
            valid_from=row.valid_from,
            valid_until=row.valid_until,
            status=row.status.value,
            categories=tuple(c.id for c in row.categories),
        )
        if row.parent_id and row.parent_id not in found:
            parent = session.get(BrandAuthorisation, row.parent_id)
            if parent is not None:
                rows.append(parent)
    return found


def earlier_with_serial(
    session: Session, gtin: str | None, serial: str | None, excluding: uuid.UUID
) -> tuple[str, ...]:
    """Completed inspections of the same GTIN that already carried this serial."""
    if not gtin or not serial:
        return ()
    ids = session.scalars(
        select(Inspection.id)
        .where(
            Inspection.gtin == gtin,
            Inspection.serial == serial,
            Inspection.id != excluding,
            Inspection.status == InspectionStatus.COMPLETED,
        )
        .limit(5)
    )
    return tuple(str(i) for i in ids)
