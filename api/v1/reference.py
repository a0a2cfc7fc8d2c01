"""PUT / GET / DELETE of reference records with the marketplace's own ids.

Validation, reference checks and writing are station/reference's, the same code
`inbound-station import` runs. Warehouses, stations and shipments belong to a
warehouse and follow the key's warehouse restriction; the rest is marketplace-wide.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Header, Path, Response
from pydantic import Field, create_model
from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from api.deps import SessionDep
from api.v1 import reference_schemas as out
from api.v1.preconditions import check_write, etag, not_modified
from api.v1.problems import ProblemException, ProblemItem, from_record_problems, not_found
from api.v1.security import Caller, ReferenceReader, ReferenceWriter
from api.v1.tags import Tag
from api.v1.writes import WriteSession
from station.audit.models import record as audit
from station.errors import ImportFailed
from station.fleet.models import Station
from station.reference import records
from station.reference.batch import write_batch
from station.reference.models import (
    Brand,
    BrandAuthorisation,
    Category,
    Listing,
    Merchant,
    Shipment,
    Warehouse,
)

router = APIRouter(tags=[Tag.REFERENCE])
RecordId = Annotated[
    str, Path(pattern=r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$", description="The marketplace's id.")
]
IfMatch = Annotated[str | None, Header(max_length=1000)]


@dataclass(frozen=True)
class Kind:
    path: str  # URL segment
    kind: str  # station.reference kind
    noun: str
    model: type
    fields: type[records.Record]  # the record as the API takes it
    out: type[out.Out]
    to_out: Callable[[Any], out.Out]
    warehouse_field: str | None = None  # set for records that belong to a warehouse

    @property
    def body(self) -> type[records.Record]:
        return _bodies[self.kind]

    def warehouse_of(self, thing) -> str | None:
        return getattr(thing, self.warehouse_field) if self.warehouse_field else None


def _plain(model: type[out.Out]) -> Callable[[Any], out.Out]:
    return lambda obj: model.model_validate(obj)


KINDS = (
    Kind(
        "warehouses",
        "warehouses",
        "warehouse",
        Warehouse,
        records.WarehouseRecord,
        out.WarehouseOut,
        _plain(out.WarehouseOut),
        "id",
    ),
    Kind(
        "stations",
        "stations",
        "station",
        Station,
        records.StationRecord,
        out.StationOut,
        _plain(out.StationOut),
        "warehouse_id",
    ),
    Kind(
        "categories",
        "categories",
        "category",
        Category,
        records.CategoryRecord,
        out.CategoryOut,
        _plain(out.CategoryOut),
    ),
    Kind(
        "merchants",
        "merchants",
        "merchant",
        Merchant,
        records.MerchantRecord,
        out.MerchantOut,
        _plain(out.MerchantOut),
    ),
    Kind(
        "brands", "brands", "brand", Brand, records.BrandFields, out.BrandOut, _plain(out.BrandOut)
    ),
    Kind(
        "brand-authorisations",
        "authorisations",
        "brand_authorisation",
        BrandAuthorisation,
        records.AuthorisationRecord,
        out.AuthorisationOut,
        out.authorisation_out,
    ),
    Kind(
        "listings",
        "listings",
        "listing",
        Listing,
        records.ListingFields,
        out.ListingOut,
        out.listing_out,
    ),
    Kind(
        "shipments",
        "shipments",
        "shipment",
        Shipment,
        records.ShipmentRecord,
        out.ShipmentOut,
        _plain(out.ShipmentOut),
        "warehouse_id",
    ),
)
BY_PATH = {k.path: k for k in KINDS}

# The PUT body: the record without a required id (the path carries it).
_bodies = {
    k.kind: create_model(
        k.fields.__name__.removesuffix("Record").removesuffix("Fields") + "Body",
        __base__=k.fields,
        id=(
            records.RefId | None,
            Field(default=None, description="Optional; when given, equal to the id in the path."),
        ),
    )
    for k in KINDS
}


def visible(caller: Caller, kind: Kind, obj) -> bool:
    return caller.sees(kind.warehouse_of(obj)) if kind.warehouse_field else True


def load(session: Session, kind: Kind, caller: Caller, record_id: str):
    obj = session.get(kind.model, record_id)
    if obj is None or not visible(caller, kind, obj):
        raise not_found(f"{kind.noun.replace('_', ' ')} {record_id}")
    return obj


def allow_warehouse(caller: Caller, kind: Kind, record, where: str = "") -> None:
    warehouse = kind.warehouse_of(record) if kind.warehouse_field else None
    if kind.warehouse_field and not caller.sees(warehouse):
        pointer = f"{where}/{kind.warehouse_field}"
        raise ProblemException(
            "warehouse-not-allowed",
            f"this key may not write records of warehouse {warehouse}",
            errors=[ProblemItem(detail="not one of the key's warehouses", pointer=pointer)],
        )


def put_record(
    session: Session, kind: Kind, caller: Caller, record_id: str, body, if_match, if_none_match
) -> tuple[str, Any]:
    if body.id not in (None, record_id):
        raise ProblemException(
            "validation",
            "the id in the body differs from the id in the path",
            errors=[ProblemItem(detail=f"expected {record_id} or nothing", pointer="/id")],
        )
    record = body.model_copy(update={"id": record_id})
    existing = session.get(kind.model, record_id)
    if existing is not None and not visible(caller, kind, existing):
        raise not_found(f"{kind.noun.replace('_', ' ')} {record_id}")
    allow_warehouse(caller, kind, record)
    check_write(etag(kind.to_out(existing)) if existing else None, if_match, if_none_match)
    try:
        counts = write_batch(session, kind.kind, [("body", record)], source=kind.path)
    except ImportFailed as err:
        raise ProblemException(
            "validation",
            f"{len(err.details)} problem(s) with this {kind.noun.replace('_', ' ')}",
            errors=from_record_problems(err.details),
        ) from None
    outcome = next(iter(counts))
    if outcome != "unchanged":
        audit(
            session,
            actor=f"apikey:{caller.prefix}",
            action=f"api.put.{outcome}",
            subject_type=kind.kind,
            subject_id=record_id,
        )
    session.expire_all()
    return outcome, session.get(kind.model, record_id)


def _add_routes(kind: Kind) -> None:
    noun, body_model = kind.noun, kind.body

    def put(
        record_id: RecordId,
        body: records.Record,  # replaced by this kind's body model below
        caller: ReferenceWriter,
        session: WriteSession,
        response: Response,
        if_match: IfMatch = None,
        if_none_match: IfMatch = None,
    ):
        outcome, obj = put_record(session, kind, caller, record_id, body, if_match, if_none_match)
        representation = kind.to_out(obj)
        response.status_code = 201 if outcome == "created" else 200
        response.headers["ETag"] = etag(representation)
        response.headers["Location"] = f"{out.PREFIX}/{kind.path}/{record_id}"
        return representation

    def get(
        record_id: RecordId,
        caller: ReferenceReader,
        session: SessionDep,
        response: Response,
        if_none_match: IfMatch = None,
    ):
        representation = kind.to_out(load(session, kind, caller, record_id))
        tag = etag(representation)
        if not_modified(tag, if_none_match):
            return Response(status_code=304, headers={"ETag": tag})
        response.headers["ETag"] = tag
        return representation

    def remove(
        record_id: RecordId,
        caller: ReferenceWriter,
        session: WriteSession,
        if_match: IfMatch = None,
    ) -> Response:
        obj = load(session, kind, caller, record_id)
        check_write(etag(kind.to_out(obj)), if_match, None)
        session.expunge_all()
        try:
            session.execute(delete(kind.model).where(kind.model.id == record_id))
        except IntegrityError:
            raise ProblemException(
                "still-referenced",
                f"{noun.replace('_', ' ')} {record_id} is still referred to by other records; "
                "change its status instead of deleting it",
            ) from None
        audit(
            session,
            actor=f"apikey:{caller.prefix}",
            action="api.delete",
            subject_type=kind.kind,
            subject_id=record_id,
        )
        return Response(status_code=204)

    put.__annotations__["body"] = body_model  # a local class: give FastAPI the type itself
    item = f"/{kind.path}/{{record_id}}"
    created = {201: {"description": "Created", "model": kind.out}}
    router.add_api_route(
        item,
        put,
        methods=["PUT"],
        name=f"put_{noun}",
        response_model=kind.out,
        summary=f"Create or replace a {noun.replace('_', ' ')}",
        responses={**created, 412: {}},
    )
    router.add_api_route(
        item,
        get,
        methods=["GET"],
        name=f"get_{noun}",
        response_model=kind.out,
        summary=f"Read a {noun.replace('_', ' ')}",
        responses={304: {"description": "Not modified"}},
    )
    router.add_api_route(
        item,
        remove,
        methods=["DELETE"],
        name=f"delete_{noun}",
        status_code=204,
        summary=f"Delete a {noun.replace('_', ' ')} nothing refers to",
        response_class=Response,
        responses={409: {}, 412: {}},
    )


for _kind in KINDS:
    _add_routes(_kind)
