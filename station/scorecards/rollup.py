"""Keeping the per-day rollups true: a finished day is rebuilt when it has no
rollup yet, when its number of inspections changed (a station synced late), or
when a result event (a verdict, an override) touched one of its units since."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, func, insert, literal, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from station.clock import get_clock, utcnow
from station.db.engine import Database
from station.inspection.models import CheckResult, Inspection, Outcome, ResultEvent
from station.scorecards.models import NONE, FailureDay, RolledDay, VerdictDay

DAY = timedelta(days=1)
# A process looks at most this often (seconds) whether finished days went stale:
# late syncs and overrides of old units show within this delay, and a busy
# dashboard does not count a month of inspections on every page view.
CHECK_EVERY = 20.0
_checked: dict[tuple[str, datetime, datetime], float] = {}


def day_start(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)


def day_name(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d")


def bucket(session: Session, column, length: int):
    """'YYYY-MM-DD' (length 10) or 'YYYY-MM-DD HH' (13) of a UTC timestamp column."""
    if session.get_bind().dialect.name == "sqlite":
        return func.substr(column, 1, length)
    pattern = "YYYY-MM-DD" if length == 10 else "YYYY-MM-DD HH24"
    return func.to_char(func.timezone("UTC", column), pattern)


def refresh(db: Database, since: datetime, until: datetime) -> int:
    """Bring the rollups of the finished days in [since, until) up to date; returns
    how many days were rebuilt."""
    start, end = day_start(since), min(day_start(until), day_start(utcnow()))
    if start >= end:
        return 0
    key, now = (db.url, start, end), get_clock().monotonic()
    if key in _checked and now - _checked[key] < CHECK_EVERY:
        return 0
    days = [day_name(start + DAY * i) for i in range((end - start).days)]
    with db.session() as session:
        rolled = {
            r.day: r for r in session.scalars(select(RolledDay).where(RolledDay.day.in_(days)))
        }
        day = bucket(session, Inspection.completed_at, 10)
        counts = dict(
            session.execute(
                select(day, func.count())
                .where(Inspection.completed_at >= start, Inspection.completed_at < end)
                .group_by(day)
            ).all()
        )
        latest = session.scalar(select(func.max(ResultEvent.position))) or 0
        touched = _touched_days(session, rolled, latest)
    stale = [
        d for d in days if d not in rolled or rolled[d].units != counts.get(d, 0) or d in touched
    ]
    for name in stale:
        _build(db, name, counts.get(name, 0), latest)
    _checked[key] = now
    fresh = [d for d in days if d in rolled and d not in stale]
    if fresh and latest:
        # Checked against every event so far: next time, look only at newer ones.
        with db.transaction() as session:
            for r in session.scalars(select(RolledDay).where(RolledDay.day.in_(fresh))):
                r.event_position = max(r.event_position, latest)
    return len(stale)


def _touched_days(session: Session, rolled: dict[str, RolledDay], latest: int) -> set[str]:
    if not rolled:
        return set()
    low = min(r.event_position for r in rolled.values())
    if low >= latest:
        return set()
    day = bucket(session, Inspection.completed_at, 10)
    rows = session.execute(
        select(day, ResultEvent.position)
        .join(Inspection, Inspection.id == ResultEvent.subject_id)
        .where(ResultEvent.position > low)
    )
    return {d for d, position in rows if d in rolled and position > rolled[d].event_position}


def _build(db: Database, name: str, units: int, latest: int) -> None:
    start = datetime.strptime(name, "%Y-%m-%d").replace(tzinfo=UTC)
    within = (Inspection.completed_at >= start, Inspection.completed_at < start + DAY)
    try:
        with db.transaction() as session:
            session.execute(delete(VerdictDay).where(VerdictDay.day == name))
            session.execute(delete(FailureDay).where(FailureDay.day == name))
            session.execute(delete(RolledDay).where(RolledDay.day == name))
            _insert_verdicts(session, name, within)
            _insert_failures(session, name, within)
            session.add(RolledDay(day=name, units=units, event_position=latest, built_at=utcnow()))
    except IntegrityError:
        pass  # another server process built the same day at the same moment


def _insert_verdicts(session: Session, name: str, within) -> None:
    dims = (
        func.coalesce(Inspection.station_id, NONE),
        func.coalesce(Inspection.listing_id, NONE),
        func.coalesce(Inspection.final_verdict, NONE),
        func.coalesce(Inspection.defect_class, NONE),
    )
    query = select(literal(name), *dims, func.count()).where(*within).group_by(*dims)
    columns = ["day", "station_id", "listing_id", "final_verdict", "defect_class", "units"]
    session.execute(insert(VerdictDay).from_select(columns, query))


def _insert_failures(session: Session, name: str, within) -> None:
    dims = (
        func.coalesce(Inspection.station_id, NONE),
        func.coalesce(Inspection.listing_id, NONE),
        CheckResult.check,
        func.coalesce(CheckResult.defect_code, NONE),
    )
    query = (
        select(literal(name), *dims, func.count())
        .join(Inspection, Inspection.id == CheckResult.inspection_id)
        .where(CheckResult.outcome == Outcome.FAIL, *within)
        .group_by(*dims)
    )
    columns = ["day", "station_id", "listing_id", "check", "defect_code", "units"]
    session.execute(insert(FailureDay).from_select(columns, query))
