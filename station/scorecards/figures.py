"""The scorecard figures, each one aggregate query over completed inspections in a
time window, optionally narrowed to one merchant, brand, category or station.

Days and hours are UTC buckets.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.orm import Session

from station.inspection.models import CheckResult, Inspection, Outcome, Verdict
from station.reference.models import Listing

SCOPES = ("all", "merchant", "brand", "category", "station")


@dataclass(frozen=True)
class Scope:
    """Which inspections a scorecard covers: a kind (see SCOPES), an id, a window."""

    kind: str
    id: str | None
    since: datetime
    until: datetime

    def __post_init__(self) -> None:
        if self.kind not in SCOPES:
            raise ValueError(f"scope {self.kind!r} is not one of {', '.join(SCOPES)}")


@dataclass(frozen=True)
class DayCount:
    day: str
    passed: int
    failed: int
    review: int

    @property
    def total(self) -> int:
        return self.passed + self.failed + self.review

    @property
    def pass_rate(self) -> float | None:
        return self.passed / self.total if self.total else None


def _within(query: Select, scope: Scope) -> Select:
    query = query.where(
        Inspection.completed_at >= scope.since, Inspection.completed_at < scope.until
    )
    if scope.kind == "station":
        return query.where(Inspection.station_id == scope.id)
    if scope.kind in ("merchant", "brand", "category"):
        column = getattr(Listing, f"{scope.kind}_id")
        listings = select(Listing.id).where(column == scope.id)
        return query.where(Inspection.listing_id.in_(listings))
    return query


def _bucket(session: Session, column, length: int) -> ColumnElement[str]:
    """'YYYY-MM-DD' (length 10) or 'YYYY-MM-DD HH' (13) of a UTC timestamp."""
    if session.get_bind().dialect.name == "sqlite":
        return func.substr(column, 1, length)
    pattern = "YYYY-MM-DD" if length == 10 else "YYYY-MM-DD HH24"
    return func.to_char(func.timezone("UTC", column), pattern)


def verdicts_by_day(session: Session, scope: Scope) -> list[DayCount]:
    """Final verdicts per day: what the marketplace acts on, after any override."""
    day = _bucket(session, Inspection.completed_at, 10).label("day")
    query = _within(
        select(day, Inspection.final_verdict, func.count()).group_by(day, Inspection.final_verdict),
        scope,
    )
    days: dict[str, Counter] = {}
    for bucket, verdict, n in session.execute(query):
        days.setdefault(bucket, Counter())[verdict] += n
    return [
        DayCount(d, c[Verdict.PASS], c[Verdict.FAIL], c[Verdict.REVIEW])
        for d, c in sorted(days.items())
    ]


def top_failures(session: Session, scope: Scope, limit: int = 8) -> list[tuple[str, str, int]]:
    """(check, defect code, units) of the most frequent failing checks."""
    query = _within(
        select(CheckResult.check, CheckResult.defect_code, func.count())
        .join(Inspection, Inspection.id == CheckResult.inspection_id)
        .where(CheckResult.outcome == Outcome.FAIL)
        .group_by(CheckResult.check, CheckResult.defect_code)
        .order_by(func.count().desc(), CheckResult.check)
        .limit(limit),
        scope,
    )
    return [(check, code or check, n) for check, code, n in session.execute(query)]


def defect_classes(session: Session, scope: Scope) -> dict[str, int]:
    """Defective units per class (each unit counted once, under its worst defect)."""
    query = _within(
        select(Inspection.defect_class, func.count())
        .where(Inspection.defect_class.is_not(None))
        .group_by(Inspection.defect_class),
        scope,
    )
    return {cls.value: n for cls, n in session.execute(query)}


def throughput(session: Session, scope: Scope) -> dict[str, dict[str, int]]:
    """Units completed per station per hour: {station: {'YYYY-MM-DD HH': n}}."""
    hour = _bucket(session, Inspection.completed_at, 13).label("hour")
    query = _within(
        select(Inspection.station_id, hour, func.count()).group_by(Inspection.station_id, hour),
        scope,
    )
    table: dict[str, dict[str, int]] = {}
    for station, bucket, n in session.execute(query):
        table.setdefault(station or "-", {})[bucket] = n
    return table
