"""Writing validated records: insert new ids, update changed ones, leave equal ones alone.

Each function returns "created", "updated" or "unchanged", so importing the same
file twice reports (and changes) nothing the second time.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from station.fleet.models import Station
from station.reference.images import ImageFile
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
)
from station.reference.records import (
    AuthorisationRecord,
    BrandFields,
    ListingFields,
    MerchantRecord,
    Record,
    ShipmentRecord,
)

Files = dict[str, ImageFile]
KNOWN_IDS = "reference_ids_known"  # session.info key: model -> ids that exist


def _scalars(obj: Any, values: dict[str, Any]) -> bool:
    changed = False
    for field, value in values.items():
        if getattr(obj, field) != value:
            setattr(obj, field, value)
            changed = True
    return changed


def _get_or_new(session: Session, model, record_id: str):
    # A batch that prefetched its records knows which ids are new: no query for them.
    known = session.info.get(KNOWN_IDS, {}).get(model)
    if known is not None and record_id not in known:
        obj = model(id=record_id)
        session.add(obj)
        known.add(record_id)
        return obj, True
    obj = session.get(model, record_id)
    if obj is None:
        obj = model(id=record_id)
        session.add(obj)
        return obj, True
    return obj, False


def _outcome(created: bool, changed: bool) -> str:
    return "created" if created else ("updated" if changed else "unchanged")


def upsert_plain(session: Session, model, record: Record, exclude: set[str] = frozenset()) -> str:
    """For kinds whose record fields map one-to-one onto columns."""
    obj, created = _get_or_new(session, model, record.id)
    changed = _scalars(obj, record.model_dump(exclude={"id", *exclude}))
    return _outcome(created, changed)


def upsert_merchant(session: Session, record: MerchantRecord, _files: Files) -> str:
    obj, created = _get_or_new(session, Merchant, record.id)
    changed = _scalars(obj, record.model_dump(exclude={"id", "paid_categories"}))
    wanted = sorted(
        (p.model_dump() for p in record.paid_categories), key=lambda p: p["category_id"]
    )
    have = [
        {
            k: getattr(p, k)
            for k in ("category_id", "paid_from", "paid_until", "fee_minor", "currency")
        }
        for p in obj.paid_categories
    ]
    if created or have != wanted:
        obj.paid_categories = [MerchantCategory(**p) for p in wanted]
        session.flush()
        changed = True
    return _outcome(created, changed)


def upsert_brand(session: Session, record: BrandFields, files: Files) -> str:
    """Logos are replaced only when the record names them (files do; the API
    uploads them one by one and leaves them alone here)."""
    obj, created = _get_or_new(session, Brand, record.id)
    changed = _scalars(obj, record.model_dump(exclude={"id", "logos"}))
    if not hasattr(record, "logos"):
        return _outcome(created, changed)
    wanted = [files[path].columns() for path in record.logos]
    have = [_image_columns(logo) for logo in obj.logos]
    if created or have != wanted:
        obj.logos = [BrandLogo(position=i, **cols) for i, cols in enumerate(wanted, start=1)]
        session.flush()
        changed = True
    return _outcome(created, changed)


def upsert_authorisation(session: Session, record: AuthorisationRecord, _files: Files) -> str:
    obj, created = _get_or_new(session, BrandAuthorisation, record.id)
    changed = _scalars(obj, record.model_dump(exclude={"id", "categories"}))
    if created or [c.id for c in obj.categories] != sorted(record.categories):
        obj.categories = [session.get(Category, c) for c in sorted(record.categories)]
        changed = True
    return _outcome(created, changed)


def upsert_listing(session: Session, record: ListingFields, files: Files) -> str:
    """Images are replaced only when the record names them (as for brand logos)."""
    obj, created = _get_or_new(session, Listing, record.id)
    changed = _scalars(obj, record.model_dump(exclude={"id", "gtins", "images"}))
    if created or [g.gtin for g in obj.gtins] != sorted(record.gtins):
        obj.gtins = [ListingGtin(gtin=g) for g in sorted(record.gtins)]
        changed = True
    if hasattr(record, "images"):
        wanted = [{"face": i.face, **files[i.file].columns()} for i in record.images]
        have = [{"face": i.face, **_image_columns(i)} for i in obj.images]
        if created or have != wanted:
            obj.images = [
                ListingImage(position=n, **cols) for n, cols in enumerate(wanted, start=1)
            ]
            changed = True
    return _outcome(created, changed)


def upsert_shipment(session: Session, record: ShipmentRecord, _files: Files) -> str:
    obj, created = _get_or_new(session, Shipment, record.id)
    changed = _scalars(obj, record.model_dump(exclude={"id", "lines"}))
    wanted = [line.model_dump() for line in sorted(record.lines, key=lambda x: x.line_no)]
    have = [
        {"line_no": x.line_no, "listing_id": x.listing_id, "quantity": x.quantity}
        for x in obj.lines
    ]
    if created or have != wanted:
        obj.lines = [ShipmentLine(**line) for line in wanted]
        session.flush()
        changed = True
    return _outcome(created, changed)


def _image_columns(row) -> dict[str, Any]:
    return {k: getattr(row, k) for k in ("sha256", "media_type", "width", "height")}


UPSERTS = {
    "warehouses": lambda s, r, f: upsert_plain(s, Warehouse, r),
    "stations": lambda s, r, f: upsert_plain(s, Station, r),
    "categories": lambda s, r, f: upsert_plain(s, Category, r),
    "merchants": upsert_merchant,
    "brands": upsert_brand,
    "authorisations": upsert_authorisation,
    "listings": upsert_listing,
    "shipments": upsert_shipment,
}


# What each kind loads with its rows, so a batch finds every existing record in
# the session (one query per 500 ids) instead of asking the database per record.
_PREFETCH = {
    "warehouses": (Warehouse, ()),
    "stations": (Station, ()),
    "categories": (Category, ()),
    "merchants": (Merchant, (Merchant.paid_categories,)),
    "brands": (Brand, (Brand.logos,)),
    "authorisations": (BrandAuthorisation, (BrandAuthorisation.categories,)),
    "listings": (Listing, (Listing.gtins, Listing.images)),
    "shipments": (Shipment, (Shipment.lines,)),
}


def prefetch(session: Session, kind: str, ids: list[str]) -> list:
    """Load the existing records of a batch into the session's identity map. The
    session only holds them weakly: keep the returned list while the batch runs."""
    model, related = _PREFETCH[kind]
    wanted = sorted(set(ids))
    loaded: list = []
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        query = select(model).where(model.id.in_(chunk))
        query = query.options(*(selectinload(r) for r in related))
        loaded.extend(session.scalars(query))
    session.info.setdefault(KNOWN_IDS, {})[model] = {obj.id for obj in loaded}
    return loaded
