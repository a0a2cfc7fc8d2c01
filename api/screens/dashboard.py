"""The supervisor dashboard: review queue, lots, scorecards, station health."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from api.screens.access import SignedIn, csrf_protect, role_required
from api.screens.pages import render
from station.access.models import Role

router = APIRouter(include_in_schema=False, dependencies=[Depends(csrf_protect)])
Supervisor = role_required(Role.SUPERVISOR, Role.ADMIN)


@router.get("/dashboard")
def dashboard(request: Request, user: SignedIn = Supervisor) -> Response:
    return render(request, "dashboard/overview.html", user=user)
