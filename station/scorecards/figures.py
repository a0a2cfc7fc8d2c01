"""The scorecard figures over a window of whole UTC days, for everything or one
merchant, brand, category or station. Finished days come from the per-day
rollups (call rollup.refresh first), today from the inspections themselves."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from station.clock import utcnow
from station.inspection.models import CheckResult, Inspection, Outcome, Verdict
from station.reference.models import Listing
from station.scorecards.models import NONE, FailureDay, VerdictDay
from station.scorecards.rollup import bucket, day_name, day_start

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

    @property
    def split(self) -> datetime:
        """Where rollups end and live counting starts: the start of today."""
        return min(max(day_start(utcnow()), self.since), self.until)


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


def _listings(scope: Scope):
    column = getattr(Listing, f"{scope.kind}_id")
    return select(Listing.id).where(column == scope.id)


def _narrow(query: Select, scope: Scope) -> Select:
    """The scope's filter on inspections. Wrapped in coalesce() so that no planner
    walks a station's or listing's whole history by its index: the time window is
    the small part, and its index must lead."""
    if scope.kind == "station":
        return query.where(func.coalesce(Inspection.station_id, NONE) == scope.id)
    if scope.kind != "all":
        return query.where(func.coalesce(Inspection.listing_id, NONE).in_(_listings(scope)))
    return query


def _live(query: Select, scope: Scope) -> Select:
    return _narrow(
        query.where(Inspection.completed_at >= scope.split, Inspection.completed_at < scope.until),
        scope,
    )


def _rolled(query: Select, table, scope: Scope) -> Select:
    query = query.where(table.day >= day_name(scope.since), table.day < day_name(scope.split))
    if scope.kind == "station":
        return query.where(table.station_id == scope.id)
    if scope.kind != "all":
        return query.where(table.listing_id.in_(_listings(scope)))
    return query


def verdicts_by_day(session: Session, scope: Scope) -> list[DayCount]:
    """Final verdicts per day: what the marketplace acts on, after any override; units
    still waiting for a supervisor count as review."""
    days: dict[str, Counter] = {}
    rolled = select(VerdictDay.day, VerdictDay.final_verdict, func.sum(VerdictDay.units))
    rolled = _rolled(rolled.group_by(VerdictDay.day, VerdictDay.final_verdict), VerdictDay, scope)
    day = bucket(session, Inspection.completed_at, 10)
    live = select(day, Inspection.final_verdict, func.count()).group_by(
        day, Inspection.final_verdict
    )
    for query in (rolled, _live(live, scope)):
        for name, verdict, n in session.execute(query):
            # No final verdict yet: the unit is waiting for review.
            days.setdefault(name, Counter())[str(verdict or Verdict.REVIEW.value)] += int(n)
    return [
        DayCount(d, c[Verdict.PASS.value], c[Verdict.FAIL.value], c[Verdict.REVIEW.value])
        for d, c in sorted(days.items())
    ]


def top_failures(session: Session, scope: Scope, limit: int = 8) -> list[tuple[str, str, int]]:
    """(check, defect code, units) of the most frequent failing checks."""
    found: Counter = Counter()
    rolled = select(FailureDay.check, FailureDay.defect_code, func.sum(FailureDay.units))
    rolled = _rolled(rolled.group_by(FailureDay.check, FailureDay.defect_code), FailureDay, scope)
    live = (
        select(CheckResult.check, CheckResult.defect_code, func.count())
        .join(Inspection, Inspection.id == CheckResult.inspection_id)
        .where(CheckResult.outcome == Outcome.FAIL)
        .group_by(CheckResult.check, CheckResult.defect_code)
    )
    for query in (rolled, _live(live, scope)):
        for check, code, n in session.execute(query):
            found[(check, code or check)] += int(n)
    ranked = sorted(found.items(), key=lambda item: (-item[1], item[0]))[:limit]
    return [(check, code, n) for (check, code), n in ranked]


def defect_classes(session: Session, scope: Scope) -> dict[str, int]:
    """Defective units per class (each unit counted once, under its worst defect)."""
    found: Counter = Counter()
    rolled = (
        select(VerdictDay.defect_class, func.sum(VerdictDay.units))
        .where(VerdictDay.defect_class != NONE)
        .group_by(VerdictDay.defect_class)
    )
    live = (
        select(Inspection.defect_class, func.count())
        .where(Inspection.defect_class.is_not(None))
        .group_by(Inspection.defect_class)
    )
    for query in (_rolled(rolled, VerdictDay, scope), _live(live, scope)):
        for cls, n in session.execute(query):
            found[str(cls)] += int(n)
    return dict(found)


def throughput(session: Session, scope: Scope) -> dict[str, dict[str, int]]:
    """Units completed per station per hour: {station: {'YYYY-MM-DD HH': n}}. Counted
    from the inspections themselves: meant for short windows (a day)."""
    hour = bucket(session, Inspection.completed_at, 13).label("hour")
    query = select(Inspection.station_id, hour, func.count()).where(
        Inspection.completed_at >= scope.since, Inspection.completed_at < scope.until
    )
    query = _narrow(query, scope)
    table: dict[str, dict[str, int]] = {}
    for station, name, n in session.execute(query.group_by(Inspection.station_id, hour)):
        table.setdefault(station or "-", {})[name] = n
    return table
