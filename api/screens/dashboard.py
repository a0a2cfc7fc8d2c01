"""The supervisor dashboard: today at a glance, station health, and live updates."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response, StreamingResponse
from sqlalchemy import func, select
from starlette.concurrency import run_in_threadpool

from api.deps import RuntimeDep
from api.screens.access import SignedIn, csrf_protect, role_required
from api.screens.pages import language, render, translator
from api.screens.scorecards import scorecard, window
from station.access.models import Role
from station.fleet.models import Device
from station.inspection.models import Inspection, Override, ResultEvent
from station.runtime import Runtime
from station.scorecards.lookups import outbox_depth, review_count, stations_with_devices
from station.sync.status import last_received, sync_status

router = APIRouter(include_in_schema=False, dependencies=[Depends(csrf_protect)])
Supervisor = role_required(Role.SUPERVISOR, Role.ADMIN)
LIVE_INTERVAL = 1.0  # seconds between looks at the database for changes
LIVE_KEEPALIVE = 15  # a comment line this often keeps proxies from closing the stream


@router.get("/dashboard")
def dashboard(request: Request, runtime: RuntimeDep, user: SignedIn = Supervisor) -> Response:
    t = translator(request)
    card = scorecard(runtime.db, window("all", None, 30), t, language(request))
    with runtime.db.session() as session:
        queue = review_count(session)
        stations = stations_with_devices(session)
        outbox = outbox_depth(session)
        received = last_received(session)
    context = {"card": card, "queue": queue, "stations": stations, "outbox": outbox}
    context |= {"sync": sync_status(runtime.db, runtime.settings), "received": received}
    return render(request, "dashboard/overview.html", context, user=user)


@router.get("/dashboard/stations")
def stations(request: Request, runtime: RuntimeDep, user: SignedIn = Supervisor) -> Response:
    with runtime.db.session() as session:
        rows = stations_with_devices(session)
        outbox = outbox_depth(session)
        received = last_received(session)
    context = {"stations": rows, "outbox": outbox, "received": received}
    context["sync"] = sync_status(runtime.db, runtime.settings)
    return render(request, "dashboard/stations.html", context, user=user)


def change_marker(runtime: Runtime) -> str:
    """Changes whenever anything a dashboard shows may have changed."""
    with runtime.db.session() as session:
        marks = (
            session.scalar(select(func.max(Inspection.completed_at))),
            session.scalar(select(func.max(Override.created_at))),
            session.scalar(select(func.max(ResultEvent.position))),
            session.scalar(select(func.max(Device.updated_at))),
            review_count(session),
        )
    return json.dumps([str(m) for m in marks])


@router.get("/dashboard/live")
async def live(request: Request, runtime: RuntimeDep, user: SignedIn = Supervisor) -> Response:
    """Server-sent events: 'changed' whenever the marker moves; the page refreshes
    its live parts in place (several API processes behind a balancer all see the
    same database, so no message bus is needed)."""
    return StreamingResponse(
        _changes(request, runtime),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )


async def _changes(request: Request, runtime: Runtime) -> AsyncIterator[str]:
    last = await run_in_threadpool(change_marker, runtime)
    yield "retry: 3000\n\n"
    quiet = 0.0
    while not await request.is_disconnected():
        await asyncio.sleep(LIVE_INTERVAL)
        marker = await run_in_threadpool(change_marker, runtime)
        if marker != last:
            last, quiet = marker, 0.0
            yield "event: changed\ndata: {}\n\n"
        else:
            quiet += LIVE_INTERVAL
            if quiet >= LIVE_KEEPALIVE:
                quiet = 0.0
                yield ": keep-alive\n\n"
