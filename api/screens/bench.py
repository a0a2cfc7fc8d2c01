"""The bench screen: one station, driven by scans, the scale and the camera."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from api.deps import RuntimeDep
from api.screens.access import SignedIn, csrf_protect, role_required
from api.screens.pages import render
from station.access.models import Role
from station.fleet.models import Station

router = APIRouter(include_in_schema=False, dependencies=[Depends(csrf_protect)])
BenchUser = role_required(Role.OPERATOR, Role.SUPERVISOR, Role.ADMIN)


@router.get("/bench")
def bench(request: Request, runtime: RuntimeDep, user: SignedIn = BenchUser) -> Response:
    if not user.station_id:
        return render(request, "bench/no_station.html", user=user)
    with runtime.db.session() as session:
        station = session.get(Station, user.station_id)
    return render(request, "bench/bench.html", {"station": station}, user=user)
