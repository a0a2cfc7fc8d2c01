"""The browser screens: sign-in, bench, dashboard and admin, behind one gate."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response

from api.screens import (
    access,
    admin,
    bench,
    benches,
    commands,
    dashboard,
    exports,
    login,
    lots,
    review,
    scorecards,
    simulated,
)
from api.screens.pages import render, translator
from station.runtime import Runtime

SCREENS = (login, admin, bench, commands, dashboard, review, lots, scorecards, exports, simulated)


def install(app: FastAPI, runtime: Runtime) -> None:
    access.install(app, runtime)
    benches.install(app, runtime)
    for module in SCREENS:
        app.include_router(module.router)
    app.add_exception_handler(access.SignInRequired, _sign_in_required)
    app.add_exception_handler(access.NotAllowed, _not_allowed)
    app.add_exception_handler(access.CsrfRejected, _csrf_rejected)


def _wants_json(request: Request) -> bool:
    return "application/json" in request.headers.get("accept", "")


def _sign_in_required(request: Request, _exc: Exception) -> Response:
    if _wants_json(request):
        request.session.clear()
        return JSONResponse({"error": translator(request)("error.signed_out")}, 401)
    return access.redirect_to_login(request)


def _not_allowed(request: Request, _exc: Exception) -> Response:
    return _refusal(request, "error.not_allowed")


def _csrf_rejected(request: Request, _exc: Exception) -> Response:
    return _refusal(request, "error.csrf")


def _refusal(request: Request, key: str) -> Response:
    if _wants_json(request):
        return JSONResponse({"error": translator(request)(key)}, 403)
    return render(request, "refused.html", {"message_key": key}, status_code=403)
