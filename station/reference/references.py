"""Checks that a file's records point at things that exist, before anything is written."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from station.reference.models import (
    Brand,
    BrandAuthorisation,
    Category,
    Listing,
    Merchant,
    Warehouse,
)
from station.reference.problems import Problem
from station.reference.records import (
    AuthorisationRecord,
    CategoryRecord,
    ListingFields,
    MerchantRecord,
    Record,
    ShipmentRecord,
    StationRecord,
)

Located = list[tuple[str, Record]]  # (where in the file, record)


def _existing(session: Session, model, ids: Iterable[str]) -> set[str]:
    wanted = sorted(set(ids))
    found: set[str] = set()
    for start in range(0, len(wanted), 500):  # stay under SQLite's bound-parameter limit
        chunk = wanted[start : start + 500]
        found.update(session.scalars(select(model.id).where(model.id.in_(chunk))))
    return found


def _missing(
    session, model, label, items: list[tuple[str, str, str | None]], also=()
) -> list[Problem]:
    """items: (where, field, referenced id). `also` holds ids defined in the same file."""
    known = _existing(session, model, [i for _, _, i in items if i]) | set(also)
    return [
        Problem(where, field, f"{label} {ref} does not exist")
        for where, field, ref in items
        if ref and ref not in known
    ]


def check_references(session: Session, kind: str, located: Located) -> list[Problem]:
    checker = _CHECKERS.get(kind)
    return checker(session, located) if checker else []


def _stations(session: Session, located: Located) -> list[Problem]:
    items = [
        (w, "warehouse_id", r.warehouse_id) for w, r in located if isinstance(r, StationRecord)
    ]
    return _missing(session, Warehouse, "warehouse", items)


def _categories(session: Session, located: Located) -> list[Problem]:
    records = {r.id: (w, r) for w, r in located if isinstance(r, CategoryRecord)}
    items = [(w, "parent_id", r.parent_id) for w, r in records.values()]
    problems = _missing(session, Category, "category", items, also=records)
    for where, record in records.values():
        seen, node = {record.id}, record.parent_id
        while node in records:
            if node in seen:
                problems.append(
                    Problem(where, "parent_id", f"category {record.id} is its own ancestor")
                )
                break
            seen.add(node)
            node = records[node][1].parent_id
    return problems


def _merchants(session: Session, located: Located) -> list[Problem]:
    items = [
        (w, f"paid_categories[{i}].category_id", paid.category_id)
        for w, r in located
        if isinstance(r, MerchantRecord)
        for i, paid in enumerate(r.paid_categories)
    ]
    return _missing(session, Category, "category", items)


def _authorisations(session: Session, located: Located) -> list[Problem]:
    records = {r.id: (w, r) for w, r in located if isinstance(r, AuthorisationRecord)}
    problems = _missing(
        session, Brand, "brand", [(w, "brand_id", r.brand_id) for w, r in records.values()]
    )
    problems += _missing(
        session,
        Merchant,
        "merchant",
        [(w, "merchant_id", r.merchant_id) for w, r in records.values()],
    )
    problems += _missing(
        session,
        Category,
        "category",
        [(w, "categories", c) for w, r in records.values() for c in r.categories],
    )
    parents = [(w, "parent_id", r.parent_id) for w, r in records.values()]
    problems += _missing(session, BrandAuthorisation, "authorisation", parents, also=records)
    for where, record in records.values():
        problems += _chain_problems(session, records, where, record)
    return problems


def _chain_problems(session, records, where: str, record: AuthorisationRecord) -> list[Problem]:
    """Walk owner <- distributor <- merchant: one brand all the way, no loops."""
    seen, parent_id = {record.id}, record.parent_id
    while parent_id:
        if parent_id in seen:
            return [Problem(where, "parent_id", f"the authorisation chain of {record.id} loops")]
        seen.add(parent_id)
        parent = (
            records[parent_id][1]
            if parent_id in records
            else session.get(BrandAuthorisation, parent_id)
        )
        if parent is None:
            return []  # reported as missing already
        if parent.brand_id != record.brand_id:
            return [
                Problem(
                    where,
                    "parent_id",
                    f"authorisation {parent_id} is for brand {parent.brand_id}, "
                    f"not {record.brand_id}",
                )
            ]
        parent_id = parent.parent_id
    return []


def _listings(session: Session, located: Located) -> list[Problem]:
    records = [(w, r) for w, r in located if isinstance(r, ListingFields)]
    problems = _missing(
        session, Merchant, "merchant", [(w, "merchant_id", r.merchant_id) for w, r in records]
    )
    problems += _missing(session, Brand, "brand", [(w, "brand_id", r.brand_id) for w, r in records])
    problems += _missing(
        session, Category, "category", [(w, "category_id", r.category_id) for w, r in records]
    )
    return problems


def _shipments(session: Session, located: Located) -> list[Problem]:
    records = [(w, r) for w, r in located if isinstance(r, ShipmentRecord)]
    problems = _missing(
        session, Merchant, "merchant", [(w, "merchant_id", r.merchant_id) for w, r in records]
    )
    problems += _missing(
        session, Warehouse, "warehouse", [(w, "warehouse_id", r.warehouse_id) for w, r in records]
    )
    listing_ids = sorted({line.listing_id for _, r in records for line in r.lines})
    owners: dict[str, str] = {}
    for start in range(0, len(listing_ids), 500):
        chunk = listing_ids[start : start + 500]
        rows = session.execute(select(Listing.id, Listing.merchant_id).where(Listing.id.in_(chunk)))
        owners.update((listing_id, merchant_id) for listing_id, merchant_id in rows)
    for where, record in records:
        for i, line in enumerate(record.lines):
            field = f"lines[{i}].listing_id"
            owner = owners.get(line.listing_id)
            if owner is None:
                problems.append(Problem(where, field, f"listing {line.listing_id} does not exist"))
            elif owner != record.merchant_id:
                problems.append(
                    Problem(
                        where,
                        field,
                        f"listing {line.listing_id} belongs to merchant {owner}, "
                        f"not {record.merchant_id}",
                    )
                )
    return problems


_CHECKERS = {
    "stations": _stations,
    "categories": _categories,
    "merchants": _merchants,
    "authorisations": _authorisations,
    "listings": _listings,
    "shipments": _shipments,
}
