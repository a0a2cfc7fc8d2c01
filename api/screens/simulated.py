"""The bench screen's "simulated devices" panel (demo mode only, setting `demo`): its
buttons order the demo's simulated scale, scanner and camera about; what they do then
reaches the bench through the real drivers, like a real device's readings."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import HTMLResponse
from starlette.concurrency import run_in_threadpool

from api.deps import RuntimeDep
from api.screens.access import SignedIn, csrf_protect
from api.screens.bench import BenchUser, _panel, _runner
from station.demo.controls import press
from station.errors import StationError

router = APIRouter(include_in_schema=False, dependencies=[Depends(csrf_protect)])


@router.post("/bench/simulated")
async def simulated(
    request: Request,
    runtime: RuntimeDep,
    user: SignedIn = BenchUser,
    action: str = Form(...),
    value: str = Form(""),
) -> HTMLResponse:
    if not runtime.settings.demo:
        raise HTTPException(404, "simulated devices exist in demo mode only")
    runner = _runner(request, user)
    try:
        await run_in_threadpool(press, runtime.settings.data_dir, runner, action, value)
    except StationError as err:
        return HTMLResponse(str(err), status_code=400)
    return HTMLResponse(await run_in_threadpool(_panel, request, runtime, runner))
