"""CSV export of inspection results, streamed so a million rows do not sit in memory."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from datetime import datetime
from typing import TextIO

from sqlalchemy import select
from sqlalchemy.orm import Session

from station.inspection.models import CheckResult, Inspection, InspectionStatus, Outcome
from station.reference.models import Listing

COLUMNS = (
    "inspection_id",
    "scope",
    "completed_at",
    "warehouse_id",
    "station_id",
    "shipment_id",
    "lot_id",
    "unit_no",
    "listing_id",
    "merchant_id",
    "brand_id",
    "category_id",
    "gtin",
    "serial",
    "batch",
    "expiry",
    "verdict",
    "final_verdict",
    "defect_class",
    "failed_checks",
    "operator",
)


def result_rows(
    session: Session,
    since: datetime | None = None,
    until: datetime | None = None,
    warehouse_id: str | None = None,
) -> Iterator[dict]:
    query = (
        select(Inspection, Listing.merchant_id, Listing.brand_id, Listing.category_id)
        .outerjoin(Listing, Listing.id == Inspection.listing_id)
        .where(Inspection.status == InspectionStatus.COMPLETED)
        .order_by(Inspection.completed_at, Inspection.id)
    )
    if since:
        query = query.where(Inspection.completed_at >= since)
    if until:
        query = query.where(Inspection.completed_at < until)
    if warehouse_id:
        query = query.where(Inspection.warehouse_id == warehouse_id)
    for batch in session.execute(query.execution_options(yield_per=1000)).partitions():
        failed = _failed_checks(session, [row[0].id for row in batch])
        for inspection, merchant_id, brand_id, category_id in batch:
            yield _row(inspection, merchant_id, brand_id, category_id, failed)


def _failed_checks(session: Session, ids: list) -> dict:
    found: dict = {}
    rows = session.execute(
        select(CheckResult.inspection_id, CheckResult.check, CheckResult.defect_code).where(
            CheckResult.inspection_id.in_(ids), CheckResult.outcome == Outcome.FAIL
        )
    )
    for inspection_id, check, code in rows:
        found.setdefault(inspection_id, []).append(f"{check}:{code}")
    return found


def _row(inspection: Inspection, merchant_id, brand_id, category_id, failed: dict) -> dict:
    return {
        "inspection_id": str(inspection.id),
        "scope": "unit" if inspection.lot_id else "parcel",
        "completed_at": inspection.completed_at.isoformat() if inspection.completed_at else "",
        "warehouse_id": inspection.warehouse_id or "",
        "station_id": inspection.station_id or "",
        "shipment_id": inspection.shipment_id or "",
        "lot_id": str(inspection.lot_id or ""),
        "unit_no": inspection.unit_no or "",
        "listing_id": inspection.listing_id or "",
        "merchant_id": merchant_id or "",
        "brand_id": brand_id or "",
        "category_id": category_id or "",
        "gtin": inspection.gtin or "",
        "serial": inspection.serial or "",
        "batch": inspection.batch or "",
        "expiry": inspection.expiry.isoformat() if inspection.expiry else "",
        "verdict": inspection.verdict.value if inspection.verdict else "",
        "final_verdict": inspection.final_verdict.value if inspection.final_verdict else "",
        "defect_class": inspection.defect_class.value if inspection.defect_class else "",
        "failed_checks": ";".join(sorted(failed.get(inspection.id, []))),
        "operator": inspection.operator_name or "",
    }


def write_csv(out: TextIO, rows: Iterator[dict]) -> int:
    writer = csv.DictWriter(out, fieldnames=COLUMNS)
    writer.writeheader()
    count = 0
    for row in rows:
        writer.writerow(row)
        count += 1
    return count
