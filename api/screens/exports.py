"""CSV exports of any list on the dashboard: one inspection, one lot, the review
queue, or a scorecard's inspections (kind, id and days, as the scorecard shows them).
Rows come from station.reports' export, streamed; the time window keeps the scan
short and the filter keeps the rows of the list asked for."""

from __future__ import annotations

import csv
import io
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

from fastapi import APIRouter, Depends, HTTPException
from fastapi.responses import StreamingResponse
from sqlalchemy.orm import Session

from api.deps import RuntimeDep
from api.screens.access import SignedIn, csrf_protect, role_required
from api.screens.scorecards import CHOICES, WINDOWS, window
from station.access.models import Role
from station.inspection.models import Inspection, Lot
from station.reports.export import COLUMNS, result_rows
from station.runtime import Runtime
from station.scorecards.lookups import review_queue

router = APIRouter(include_in_schema=False, dependencies=[Depends(csrf_protect)])
Supervisor = role_required(Role.SUPERVISOR, Role.ADMIN)
SECOND = timedelta(seconds=1)
BATCH = 500


@dataclass(frozen=True)
class Selection:
    name: str
    since: datetime | None
    until: datetime | None
    keep: Callable[[dict], bool]


@router.get("/dashboard/export.csv")
def export(
    runtime: RuntimeDep,
    user: SignedIn = Supervisor,
    inspection: uuid.UUID | None = None,
    lot: uuid.UUID | None = None,
    list: str | None = None,
    kind: str | None = None,
    id: str | None = None,
    days: int = 30,
) -> StreamingResponse:
    with runtime.db.session() as session:
        if inspection is not None:
            chosen = _one(session, inspection)
        elif lot is not None:
            chosen = _lot(session, lot)
        elif list == "review":
            chosen = _review(session)
        elif kind in CHOICES and id and days in WINDOWS:
            scope = window(kind, id, days)
            keep = _column(f"{kind}_id", id)
            chosen = Selection(f"{kind}-{id}-{days}d", scope.since, scope.until, keep)
        else:
            raise HTTPException(400, "name an inspection, a lot, list=review, or kind, id and days")
    headers = {"Content-Disposition": f'attachment; filename="{chosen.name}.csv"'}
    return StreamingResponse(_csv(runtime, chosen), media_type="text/csv", headers=headers)


def _one(session: Session, inspection_id: uuid.UUID) -> Selection:
    found = session.get(Inspection, inspection_id)
    if found is None or found.completed_at is None:
        raise HTTPException(404)
    at = found.completed_at
    return Selection(f"inspection-{inspection_id}", at, at + SECOND, _ids({str(inspection_id)}))


def _lot(session: Session, lot_id: uuid.UUID) -> Selection:
    found = session.get(Lot, lot_id)
    if found is None:
        raise HTTPException(404)
    until = found.closed_at + SECOND if found.closed_at else None
    return Selection(f"lot-{lot_id}", found.opened_at, until, _column("lot_id", str(lot_id)))


def _review(session: Session) -> Selection:
    items = review_queue(session)
    since = min((i.completed_at for i in items), default=None)
    return Selection("review-queue", since, None, _ids({str(i.id) for i in items}))


def _ids(ids: set[str]) -> Callable[[dict], bool]:
    return lambda row: row["inspection_id"] in ids


def _column(column: str, value: str) -> Callable[[dict], bool]:
    return lambda row: row[column] == value


def _csv(runtime: Runtime, chosen: Selection) -> Iterator[str]:
    """The header, then the kept rows, BATCH at a time."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS)
    writer.writeheader()
    with runtime.db.session() as session:
        kept = 0
        for row in result_rows(session, since=chosen.since, until=chosen.until):
            if chosen.keep(row):
                writer.writerow(row)
                kept += 1
            if kept >= BATCH:
                yield _drain(out)
                kept = 0
    yield _drain(out)


def _drain(out: io.StringIO) -> str:
    text = out.getvalue()
    out.seek(0)
    out.truncate()
    return text
