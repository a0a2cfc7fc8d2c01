"""The bench screen: one station, driven by scans, the scale and the camera, or by
keys and touch. Inputs go to the station's BenchRunner; the screen is redrawn from
server-sent events (the panel comes ready-rendered in the reader's language)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator

import cv2
from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, Response, StreamingResponse
from starlette.concurrency import run_in_threadpool

from api.deps import RuntimeDep
from api.screens.access import SignedIn, csrf_protect, role_required
from api.screens.bench_view import bench_view
from api.screens.commands import SKIP_REASONS
from api.screens.pages import fragment, language, render, translator
from station.access.models import Role
from station.benchrun import BenchRunner, Update
from station.demo.controls import Offers, offers
from station.errors import StationError
from station.fleet.models import Station
from station.sync.status import sync_status
from station.workflow.events import Answer, Count, Scan, SignIn

router = APIRouter(include_in_schema=False, dependencies=[Depends(csrf_protect)])
BenchUser = role_required(Role.OPERATOR, Role.SUPERVISOR, Role.ADMIN)
PREVIEW_WIDTH, PREVIEW_EVERY_S = 480, 0.15


def _runner(request: Request, user: SignedIn) -> BenchRunner:
    if not user.station_id:
        raise HTTPException(409, "not signed in at a station")
    return request.app.state.benches.runner(user.station_id)


def _panel(request: Request, runtime, runner: BenchRunner) -> str:
    with runtime.db.session() as session:
        view = bench_view(session, runner, language(request), translator(request))
    context = {"view": view, "runner": runner, "skip_reasons": SKIP_REASONS,
               "simulated": simulated_offers(runtime, runner)}  # fmt: skip
    return fragment(request, "bench/_panel.html", context)


def simulated_offers(runtime, runner: BenchRunner) -> Offers | None:
    """The "simulated devices" panel's buttons; None (no panel at all) outside demo mode."""
    settings = runtime.settings
    if not settings.demo:
        return None
    key = settings.identifiers.shipment_qr_key.get_secret_value()
    with runtime.db.session() as session:
        return offers(session, runner.state(), runner.shell.target.warehouse_id, key)


@router.get("/bench")
def bench(request: Request, runtime: RuntimeDep, user: SignedIn = BenchUser) -> Response:
    if not user.station_id:
        return render(request, "bench/no_station.html", user=user)
    runner = _runner(request, user)
    if runner.state().operator != user.username:
        runner.submit(SignIn(operator=user.username))
    with runtime.db.session() as session:
        station = session.get(Station, user.station_id)
    context = {"station": station, "runner": runner, "panel": _panel(request, runtime, runner)}
    context["sync"] = sync_status(runtime.db, runtime.settings)
    return render(request, "bench/bench.html", context, user=user)


@router.get("/bench/panel")
def panel(request: Request, runtime: RuntimeDep, user: SignedIn = BenchUser) -> HTMLResponse:
    return HTMLResponse(_panel(request, runtime, _runner(request, user)))


def _act(request: Request, runtime, user: SignedIn, action) -> HTMLResponse:
    """Do one thing at the bench; answer with the redrawn panel (or the refusal)."""
    runner = _runner(request, user)
    try:
        action(runner)
    except StationError as err:
        return HTMLResponse(str(err), status_code=400)
    return HTMLResponse(_panel(request, runtime, runner))


@router.post("/bench/scan")
def scan(
    request: Request, runtime: RuntimeDep, user: SignedIn = BenchUser, text: str = Form(...)
) -> HTMLResponse:
    """A code typed, or scanned by a keyboard-wedge scanner into the screen."""
    event = Scan(text=text.strip(), device="keyboard")
    return _act(request, runtime, user, lambda r: r.submit(event))


@router.post("/bench/command")
def command(
    request: Request,
    runtime: RuntimeDep,
    user: SignedIn = BenchUser,
    name: str = Form(...),
    argument: str = Form(""),
) -> HTMLResponse:
    return _act(request, runtime, user, lambda r: r.command(name, argument or None))


@router.post("/bench/answer")
def answer(
    request: Request,
    runtime: RuntimeDep,
    user: SignedIn = BenchUser,
    question: str = Form(...),
    value: str = Form(...),
) -> HTMLResponse:
    event = Answer(question=question, value=value)
    return _act(request, runtime, user, lambda r: r.submit(event))


@router.post("/bench/count")
def count(
    request: Request, runtime: RuntimeDep, user: SignedIn = BenchUser, quantity: int = Form(...)
) -> HTMLResponse:
    if quantity < 0:
        return HTMLResponse(translator(request)("bench.error.count"), status_code=400)
    return _act(request, runtime, user, lambda r: r.submit(Count(quantity=quantity)))


@router.post("/bench/photo")
def photo(
    request: Request, runtime: RuntimeDep, user: SignedIn = BenchUser, face: str = Form("")
) -> HTMLResponse:
    return _act(request, runtime, user, lambda r: r.take_photo(face or None))


@router.get("/bench/live")
async def live(request: Request, runtime: RuntimeDep, user: SignedIn = BenchUser) -> Response:
    runner = _runner(request, user)
    return StreamingResponse(
        _updates(request, runtime, runner),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )


async def _updates(request: Request, runtime, runner: BenchRunner) -> AsyncIterator[str]:
    loop = asyncio.get_running_loop()
    updates: asyncio.Queue[Update] = asyncio.Queue()
    unlisten = runner.listen(lambda u: loop.call_soon_threadsafe(updates.put_nowait, u))
    try:
        yield "retry: 1000\n\n"
        # What changed between drawing the page and listening: the current picture.
        for state in list(runner.device_states.values()):
            data = {"device": state.device, "kind": state.kind, "state": state.state}
            yield f"event: device\ndata: {json.dumps(data)}\n\n"
        for weight in list(runner.weights.values()):
            yield f"event: weight\ndata: {json.dumps(weight)}\n\n"
        yield (
            "event: panel\n"
            + "".join(
                f"data: {line}\n"
                for line in (await run_in_threadpool(_panel, request, runtime, runner)).splitlines()
            )
            + "\n"
        )
        while not await request.is_disconnected():
            try:
                first = await asyncio.wait_for(updates.get(), timeout=15)
            except TimeoutError:
                yield ": keep-alive\n\n"
                continue
            batch = [first]
            while not updates.empty():
                batch.append(updates.get_nowait())
            for message in await _messages(request, runtime, runner, batch):
                yield message
    finally:
        unlisten()


async def _messages(request, runtime, runner, batch: list[Update]) -> list[str]:
    """One message per kind, the latest of each; the panel drawn once per burst."""
    latest = {}
    for update in batch:
        key = (update.kind, update.data.get("device"))
        latest[key] = update
    out = []
    for (kind, _), update in latest.items():
        if kind == "state":
            continue
        out.append(f"event: {kind}\ndata: {json.dumps(update.data)}\n\n")
    if any(u.kind in ("state", "verdict") for u in batch):
        html = await run_in_threadpool(_panel, request, runtime, runner)
        data = "".join(f"data: {line}\n" for line in html.splitlines())
        out.append(f"event: panel\n{data}\n")
    return out


@router.get("/bench/camera.mjpg")
async def camera(request: Request, user: SignedIn = BenchUser) -> Response:
    """The live camera picture, small, as an MJPEG stream for an <img>."""
    runner = _runner(request, user)
    if not runner.cameras():
        raise HTTPException(404, "no camera at this bench")
    return StreamingResponse(
        _preview(request, runner, runner.cameras()[0]),
        media_type="multipart/x-mixed-replace; boundary=frame",
        headers={"Cache-Control": "no-store"},
    )


async def _preview(request: Request, runner: BenchRunner, name: str) -> AsyncIterator[bytes]:
    last = None
    while not await request.is_disconnected():
        frame = runner.frames.get(name)
        if frame is not None and frame.seq != last:
            last = frame.seq
            jpeg = await run_in_threadpool(_small_jpeg, frame.image)
            yield b"--frame\r\nContent-Type: image/jpeg\r\n\r\n" + jpeg + b"\r\n"
        await asyncio.sleep(PREVIEW_EVERY_S)


def _small_jpeg(image) -> bytes:
    height, width = image.shape[:2]
    scale = PREVIEW_WIDTH / max(width, 1)
    small = cv2.resize(image, (PREVIEW_WIDTH, max(1, round(height * scale))))
    return cv2.imencode(".jpg", small, [cv2.IMWRITE_JPEG_QUALITY, 70])[1].tobytes()
