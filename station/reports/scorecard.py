"""Merchant scorecards: pass rate and defect rates per merchant, brand or category over time.

Data for the dashboard's plots. Counts units with a final verdict (reviews still open
are left out until decided); each defective unit counts once, under its defect class.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from station.inspection.models import DefectClass, Inspection, InspectionStatus, Verdict
from station.reference.models import Listing

Dimension = Literal["merchant", "brand", "category"]
Period = Literal["day", "week", "month"]
_KEYS = {
    "merchant": Listing.merchant_id,
    "brand": Listing.brand_id,
    "category": Listing.category_id,
}


@dataclass(frozen=True)
class ScoreRow:
    key: str
    period_start: date
    inspected: int
    passed: int
    failed: int
    critical: int
    major: int
    minor: int

    @property
    def pass_rate(self) -> float:
        return self.passed / self.inspected if self.inspected else 0.0

    def defect_rate(self, defect_class: str) -> float:
        return getattr(self, defect_class) / self.inspected if self.inspected else 0.0


def _period(dialect: str, period: Period):
    column = Inspection.completed_at
    if dialect == "postgresql":
        return func.date_trunc(period, func.timezone("UTC", column))
    if period == "day":
        return func.date(column)
    if period == "month":
        return func.strftime("%Y-%m-01", column)
    return func.date(column, "-6 days", "weekday 1")  # the Monday on or before


def scorecard(
    session: Session,
    by: Dimension = "merchant",
    period: Period = "week",
    since: datetime | None = None,
    until: datetime | None = None,
) -> list[ScoreRow]:
    key = _KEYS[by]
    bucket = _period(session.get_bind().dialect.name, period).label("bucket")

    def count_if(condition):
        return func.sum(case((condition, 1), else_=0))

    query = (
        select(
            key.label("key"),
            bucket,
            func.count().label("inspected"),
            count_if(Inspection.final_verdict == Verdict.PASS),
            count_if(Inspection.final_verdict == Verdict.FAIL),
            *(count_if(Inspection.defect_class == c) for c in DefectClass),
        )
        .join(Listing, Listing.id == Inspection.listing_id)
        .where(
            Inspection.status == InspectionStatus.COMPLETED,
            Inspection.final_verdict.is_not(None),
            Inspection.lot_id.is_not(None),
        )
        .group_by(key, bucket)
        .order_by(key, bucket)
    )
    if since:
        query = query.where(Inspection.completed_at >= since)
    if until:
        query = query.where(Inspection.completed_at < until)
    return [
        ScoreRow(row[0], _as_date(row[1]), *(int(v or 0) for v in row[2:]))
        for row in session.execute(query)
    ]


def _as_date(value) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])
