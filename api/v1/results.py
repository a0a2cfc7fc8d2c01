"""GET /v1/inspections, /v1/lots and their evidence downloads."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from pydantic import AwareDatetime
from sqlalchemy import Select, select, tuple_
from sqlalchemy.orm import Session, selectinload

from api.deps import RuntimeDep, SessionDep
from api.v1 import paging
from api.v1.problems import not_found
from api.v1.results_schemas import InspectionDetail, InspectionSummary, Link, LotOut
from api.v1.security import Caller, ResultsReader
from api.v1.tags import Tag
from station.errors import NotFound
from station.inspection.models import (
    Inspection,
    LotDecision,
    Outcome,
    PhotoEvidence,
    Verdict,
)
from station.inspection.models import Lot as LotRow
from station.reference.models import Listing, Shipment

router = APIRouter(tags=[Tag.RESULTS])
IdFilter = Annotated[str | None, Query(pattern=r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$")]
Since = Annotated[
    AwareDatetime | None, Query(description="From this time on (inclusive), with its offset.")
]
Until = Annotated[
    AwareDatetime | None, Query(description="Before this time (exclusive), with its offset.")
]
PREFIX = "/v1"


def _after_key(key: list | None) -> tuple[datetime, uuid.UUID] | None:
    if key is None:
        return None
    try:
        at = datetime.fromisoformat(key[0])
        if at.tzinfo is None:
            raise ValueError
        return at, uuid.UUID(key[1])
    except (TypeError, ValueError):
        raise paging.invalid_cursor() from None


def _summary(inspection: Inspection, merchant_id: str | None) -> dict:
    columns = {c.key: getattr(inspection, c.key) for c in Inspection.__table__.columns}
    return {
        **columns,
        "verdict": inspection.final_verdict,
        "initial_verdict": inspection.verdict,
        "merchant_id": merchant_id,
        "href": f"{PREFIX}/inspections/{inspection.id}",
    }


@router.get(
    "/inspections",
    name="list_inspections",
    summary="Completed inspections, oldest completion first",
    response_model=paging.Page[InspectionSummary],
)
def list_inspections(
    request: Request,
    response: Response,
    caller: ResultsReader,
    session: SessionDep,
    warehouse_id: IdFilter = None,
    merchant_id: IdFilter = None,
    listing_id: IdFilter = None,
    verdict: Verdict | None = None,
    completed_since: Since = None,
    completed_until: Until = None,
    limit: paging.Limit = paging.DEFAULT_LIMIT,
    after: paging.After = None,
):
    filters = dict(
        warehouse_id=warehouse_id,
        merchant_id=merchant_id,
        listing_id=listing_id,
        verdict=verdict,
        since=completed_since,
        until=completed_until,
    )
    start = _after_key(paging.decode(after, filters, 2))
    query = (
        select(Inspection, Listing.merchant_id)
        .outerjoin(Listing, Inspection.listing_id == Listing.id)
        .where(Inspection.completed_at.is_not(None))
    )
    conditions = {
        Inspection.warehouse_id: warehouse_id,
        Listing.merchant_id: merchant_id,
        Inspection.listing_id: listing_id,
        Inspection.final_verdict: verdict,
    }
    query = query.where(*(column == value for column, value in conditions.items() if value))
    if completed_since:
        query = query.where(Inspection.completed_at >= completed_since)
    if completed_until:
        query = query.where(Inspection.completed_at < completed_until)
    query = _restrict(query, caller, Inspection.warehouse_id)
    if start:
        query = query.where(tuple_(Inspection.completed_at, Inspection.id) > tuple_(*start))
    query = query.order_by(Inspection.completed_at, Inspection.id).limit(limit + 1)
    rows = session.execute(query).all()
    items = [_summary(i, m) for i, m in rows[:limit]]
    last = rows[limit - 1][0] if len(rows) > limit else None
    cursor = paging.encode([last.completed_at.isoformat(), str(last.id)], filters) if last else None
    paging.link_next(request, response, cursor)
    return {"items": items, "next": cursor}


def _restrict(query: Select, caller: Caller, column) -> Select:
    if caller.warehouses is not None:
        query = query.where(column.in_(caller.warehouses))
    return query


def _inspection(session: Session, caller: Caller, inspection_id: uuid.UUID) -> Inspection:
    inspection = session.scalar(
        select(Inspection)
        .where(Inspection.id == inspection_id)
        .options(
            selectinload(Inspection.checks),
            selectinload(Inspection.photos),
            selectinload(Inspection.weights),
            selectinload(Inspection.scans),
            selectinload(Inspection.overrides),
        )
    )
    if inspection is None or not caller.sees(inspection.warehouse_id):
        raise not_found(f"inspection {inspection_id}")
    return inspection


@router.get(
    "/inspections/{inspection_id}",
    name="get_inspection",
    summary="One inspection with checks, defects, weights, scans and evidence links",
    response_model=InspectionDetail,
)
def get_inspection(inspection_id: uuid.UUID, caller: ResultsReader, session: SessionDep):
    inspection = _inspection(session, caller, inspection_id)
    merchant_id = session.scalar(
        select(Listing.merchant_id).where(Listing.id == inspection.listing_id)
    )
    base = f"{PREFIX}/inspections/{inspection.id}"
    defects = [
        {
            "check": c.check,
            "code": c.defect_code,
            "defect_class": c.defect_class,
            "reason": c.reason,
        }
        for c in inspection.checks
        if c.outcome is Outcome.FAIL and c.defect_class is not None
    ]
    photos = [
        {
            **{k.key: getattr(p, k.key) for k in PhotoEvidence.__table__.columns},
            "href": f"{base}/photos/{p.id}",
        }
        for p in inspection.photos
    ]
    return {
        **_summary(inspection, merchant_id),
        "checks": inspection.checks,
        "defects": defects,
        "weights": inspection.weights,
        "scans": inspection.scans,
        "photos": photos,
        "overrides": inspection.overrides,
        "report": Link(href=f"{base}/report.pdf", media_type="application/pdf"),
    }


@router.get(
    "/inspections/{inspection_id}/photos/{photo_id}",
    name="get_inspection_photo",
    summary="Download an evidence photo",
    response_class=Response,
    responses={200: {"description": "The photo", "content": {"image/*": {}}}},
)
def get_inspection_photo(
    inspection_id: uuid.UUID,
    photo_id: uuid.UUID,
    caller: ResultsReader,
    session: SessionDep,
    runtime: RuntimeDep,
) -> Response:
    inspection = _inspection(session, caller, inspection_id)
    photo = next((p for p in inspection.photos if p.id == photo_id), None)
    if photo is None:
        raise not_found(f"photo {photo_id} of inspection {inspection_id}")
    try:
        data = runtime.evidence.read(photo.sha256)
    except NotFound:
        raise not_found(f"the stored file of photo {photo_id}") from None
    headers = {"ETag": f'"{photo.sha256}"', "Cache-Control": "private, max-age=86400"}
    return Response(data, media_type=photo.media_type, headers=headers)


@router.get(
    "/inspections/{inspection_id}/report.pdf",
    name="get_inspection_report",
    summary="Download the inspection's PDF report",
    response_class=Response,
    responses={200: {"description": "The report", "content": {"application/pdf": {}}}},
)
def get_inspection_report(
    inspection_id: uuid.UUID, caller: ResultsReader, session: SessionDep
) -> Response:
    _inspection(session, caller, inspection_id)
    # The report generator (station/reports) is built by the workflow area; until
    # it is part of this installation there is no PDF to give.
    raise not_found(f"a PDF report of inspection {inspection_id} (not produced by this version)")


def _lot(lot: LotRow, merchant_id: str, warehouse_id: str) -> dict:
    columns = {c.key: getattr(lot, c.key) for c in LotRow.__table__.columns}
    return {
        **columns,
        "merchant_id": merchant_id,
        "warehouse_id": warehouse_id,
        "href": f"{PREFIX}/lots/{lot.id}",
    }


def _lots_query(caller: Caller) -> Select:
    query = select(LotRow, Shipment.merchant_id, Shipment.warehouse_id).join(
        Shipment, LotRow.shipment_id == Shipment.id
    )
    return _restrict(query, caller, Shipment.warehouse_id)


@router.get(
    "/lots",
    name="list_lots",
    summary="Lots (what arrived per ASN line) and their decisions, oldest first",
    response_model=paging.Page[LotOut],
)
def list_lots(
    request: Request,
    response: Response,
    caller: ResultsReader,
    session: SessionDep,
    warehouse_id: IdFilter = None,
    merchant_id: IdFilter = None,
    listing_id: IdFilter = None,
    decision: LotDecision | None = None,
    opened_since: Since = None,
    opened_until: Until = None,
    limit: paging.Limit = paging.DEFAULT_LIMIT,
    after: paging.After = None,
):
    filters = dict(
        warehouse_id=warehouse_id,
        merchant_id=merchant_id,
        listing_id=listing_id,
        decision=decision,
        since=opened_since,
        until=opened_until,
    )
    start = _after_key(paging.decode(after, filters, 2))
    query = _lots_query(caller)
    conditions = {
        Shipment.warehouse_id: warehouse_id,
        Shipment.merchant_id: merchant_id,
        LotRow.listing_id: listing_id,
        LotRow.decision: decision,
    }
    query = query.where(*(column == value for column, value in conditions.items() if value))
    if opened_since:
        query = query.where(LotRow.opened_at >= opened_since)
    if opened_until:
        query = query.where(LotRow.opened_at < opened_until)
    if start:
        query = query.where(tuple_(LotRow.opened_at, LotRow.id) > tuple_(*start))
    rows = session.execute(query.order_by(LotRow.opened_at, LotRow.id).limit(limit + 1)).all()
    items = [_lot(*row) for row in rows[:limit]]
    last = rows[limit - 1][0] if len(rows) > limit else None
    cursor = paging.encode([last.opened_at.isoformat(), str(last.id)], filters) if last else None
    paging.link_next(request, response, cursor)
    return {"items": items, "next": cursor}


@router.get("/lots/{lot_id}", name="get_lot", summary="One lot", response_model=LotOut)
def get_lot(lot_id: uuid.UUID, caller: ResultsReader, session: SessionDep):
    row = session.execute(_lots_query(caller).where(LotRow.id == lot_id)).first()
    if row is None:
        raise not_found(f"lot {lot_id}")
    return _lot(*row)
