"""Scorecard figures from rollups plus today's live rows equal a direct count over the
inspections, for every scope; stale days (late syncs, overrides) are rebuilt."""

from __future__ import annotations

import shutil
import uuid
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from station.clock import FixedClock, get_clock, set_clock
from station.db import migrate
from station.db.engine import Database
from station.evidence import EvidenceStore
from station.inspection.events import EventKind, publish
from station.inspection.models import CheckResult, Inspection, Outcome, Override, Verdict
from station.reference.models import Listing
from station.sample.history import make_history
from station.sample.load import load_sample
from station.scorecards import figures, rollup
from station.scorecards.figures import Scope
from station.scorecards.models import RolledDay
from tests.support import postgres

NOW = datetime(2026, 11, 20, 15, 30, tzinfo=UTC)


@pytest.fixture(scope="session")
def images(tmp_path_factory):
    return tmp_path_factory.mktemp("sample-images")


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def history_template(request, tmp_path_factory, images) -> Iterator[str]:
    """A database with the sample and 800 inspections over ten days, made once per
    backend; each test works on its own copy."""
    folder = tmp_path_factory.mktemp("scorecards")
    previous = set_clock(FixedClock(NOW))
    try:
        if request.param == "sqlite":
            url = f"sqlite:///{folder / 'template.db'}"
        else:
            postgres.require_postgres()
            url = postgres.database_url(postgres.create_database(prefix="inbound_sc"))
        migrate.upgrade(url)
        db = Database(url)
        load_sample(db, EvidenceStore(folder / "evidence"), images)
        make_history(db, 800, days=10, open_reviews=4)
        db.dispose()
    finally:
        set_clock(previous)
    yield url
    if request.param == "postgres":
        postgres.drop_database(url.rsplit("/", 1)[1])


@pytest.fixture
def history(history_template, tmp_path) -> Iterator[Database]:
    previous = set_clock(FixedClock(NOW))
    rollup._checked.clear()
    if history_template.startswith("sqlite"):
        copy = tmp_path / "copy.db"
        shutil.copy(history_template.removeprefix("sqlite:///"), copy)
        db = Database(f"sqlite:///{copy}")
        yield db
        db.dispose()
    else:
        with postgres.scratch_database(template=history_template.rsplit("/", 1)[1]) as url:
            db = Database(url)
            yield db
            db.dispose()
    set_clock(previous)


def _window(kind, id, days=12) -> Scope:
    start = rollup.day_start(NOW) - timedelta(days=days - 1)
    return Scope(kind, id, start, NOW + timedelta(seconds=1))


def _truth(db, scope: Scope):
    """Counted the slow, obvious way: every inspection in Python."""
    with db.session() as session:
        listings = {row.id: row for row in session.scalars(select(Listing))}
        rows = session.scalars(
            select(Inspection).where(
                Inspection.completed_at >= scope.since, Inspection.completed_at < scope.until
            )
        ).all()
        days, classes = {}, Counter()
        for i in rows:
            if scope.kind == "station" and i.station_id != scope.id:
                continue
            owner = getattr(listings[i.listing_id], f"{scope.kind}_id", scope.id)
            if scope.kind not in ("all", "station") and owner != scope.id:
                continue
            final = i.final_verdict or Verdict.REVIEW
            days.setdefault(i.completed_at.strftime("%Y-%m-%d"), Counter())[final] += 1
            if i.defect_class:
                classes[i.defect_class.value] += 1
    by_day = [
        (d, c[Verdict.PASS], c[Verdict.FAIL], c[Verdict.REVIEW]) for d, c in sorted(days.items())
    ]
    return by_day, dict(classes)


def _figures(db, scope):
    rollup.refresh(db, scope.since, scope.until)
    with db.session() as session:
        days = figures.verdicts_by_day(session, scope)
        classes = figures.defect_classes(session, scope)
    return [(d.day, d.passed, d.failed, d.review) for d in days], classes


@pytest.mark.parametrize(
    ("kind", "id"),
    [
        ("all", None),
        ("station", "HZ1-B02"),
        ("merchant", "M08"),
        ("brand", "B03"),
        ("category", "ELEC-AUDIO"),
    ],
)
def test_figures_equal_a_direct_count(history, kind, id):
    scope = _window(kind, id)
    assert _figures(history, scope) == _truth(history, scope)
    # Days before today came from rollups, today from the inspections.
    with history.session() as session:
        rolled = set(session.scalars(select(RolledDay.day)))
    assert "2026-11-19" in rolled and "2026-11-20" not in rolled


def test_top_failures_match_the_failing_checks(history):
    scope = _window("all", None)
    rollup.refresh(history, scope.since, scope.until)
    with history.session() as session:
        top = figures.top_failures(session, scope, limit=50)
        failing = session.execute(
            select(CheckResult.check, CheckResult.defect_code).where(
                CheckResult.outcome == Outcome.FAIL
            )
        )
        truth = Counter(tuple(row) for row in failing)
    assert {(check, code): n for check, code, n in top} == dict(truth)
    assert [n for *_, n in top] == sorted((n for *_, n in top), reverse=True)


def test_a_late_synced_inspection_and_an_override_make_their_day_stale(history):
    scope = _window("all", None)
    before, _ = _figures(history, scope)
    day = "2026-11-15"
    with history.transaction() as session:
        unit = session.scalars(
            select(Inspection)
            .where(Inspection.final_verdict == Verdict.PASS)
            .where(Inspection.completed_at >= datetime(2026, 11, 15, tzinfo=UTC))
            .where(Inspection.completed_at < datetime(2026, 11, 16, tzinfo=UTC))
        ).first()
        late = Inspection(
            id=uuid.uuid4(),
            station_id="HZ1-B01",
            listing_id=unit.listing_id,
            completed_at=datetime(2026, 11, 15, 9, tzinfo=UTC),
            verdict=Verdict.FAIL,
            final_verdict=Verdict.FAIL,
        )
        session.add(late)
        unit.final_verdict = Verdict.FAIL
        session.add(
            Override(
                inspection_id=unit.id,
                actor="sven",
                from_value="pass",
                to_value="fail",
                reason="seal broken after all",
            )
        )
        publish(session, kind=EventKind.INSPECTION_OVERRIDDEN, subject_id=unit.id, payload={})
    # Within the check interval nothing is looked at again...
    assert _figures(history, scope)[0] == before
    # ...after it, the day is rebuilt and agrees with the inspections again.
    get_clock().advance(rollup.CHECK_EVERY + 1)
    after, _ = _figures(history, scope)
    assert after == _truth(history, scope)[0]
    old, new = dict((d, r) for d, *r in before)[day], dict((d, r) for d, *r in after)[day]
    assert new == [old[0] - 1, old[1] + 2, old[2]]
