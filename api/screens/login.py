"""Signing in and out, and the language switch (both work before signing in)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select

from api.deps import RuntimeDep
from api.i18n import LANGUAGES
from api.screens.access import (
    csrf_protect,
    current_user,
    landing_page,
    start_session,
)
from api.screens.pages import LANG_COOKIE, render
from station.access.models import Role
from station.access.users import authenticate, sign_in_at_station
from station.fleet.models import Station

router = APIRouter(include_in_schema=False, dependencies=[Depends(csrf_protect)])
YEAR = 365 * 24 * 3600


def safe_next(target: str | None, fallback: str) -> str:
    """Only paths on this site: never an absolute or scheme-relative URL."""
    if target and target.startswith("/") and not target.startswith(("//", "/\\")):
        return target
    return fallback


@router.get("/login")
def login_page(request: Request, runtime: RuntimeDep, next: str | None = None) -> Response:
    if request.session.get("uid"):
        try:
            user = current_user(request, runtime)
        except Exception:  # an expired or stale session just shows the form
            request.session.clear()
        else:
            return RedirectResponse(safe_next(next, landing_page(user)), 303)
    return _form(request, runtime, next=next)


@router.post("/login")
def login(
    request: Request,
    runtime: RuntimeDep,
    username: str = Form(""),
    password: str = Form(""),
    station: str = Form(""),
    next: str = Form(""),
) -> Response:
    with runtime.db.transaction() as session:
        user = authenticate(session, username.strip(), password)
        if user is None:
            return _form(request, runtime, next=next, error="login.error.credentials", code=401)
        chosen = station or runtime.settings.station_id or ""
        if user.role is Role.OPERATOR:
            chosen = chosen or user.station_id or ""
            if not chosen:
                return _form(request, runtime, next=next, error="login.error.station", code=400)
            if session.get(Station, chosen) is None:
                return _form(request, runtime, next=next, error="login.error.station", code=400)
            sign_in_at_station(session, user, chosen)
        start_session(request, user, chosen or None)
        role = user.role
    fallback = {Role.OPERATOR: "/bench", Role.SUPERVISOR: "/dashboard"}.get(role, "/admin")
    return RedirectResponse(safe_next(next, fallback), 303)


@router.post("/logout")
def logout(request: Request) -> Response:
    request.session.clear()
    return RedirectResponse("/login", 303)


@router.get("/lang/{code}")
def switch_language(code: str, next: str | None = None) -> Response:
    response = RedirectResponse(safe_next(next, "/"), 303)
    if code in LANGUAGES:
        response.set_cookie(LANG_COOKIE, code, max_age=YEAR, samesite="lax")
    return response


def _form(request: Request, runtime, *, next, error=None, code=200) -> Response:
    with runtime.db.session() as session:
        stations = session.execute(select(Station.id, Station.name).order_by(Station.id)).all()
    context = {
        "stations": stations,
        "station": runtime.settings.station_id or "",
        "next": next or "",
        "error": error,
    }
    return render(request, "login.html", context, status_code=code)
