"""Who is at the screen: signed session cookies, the sign-in gate, roles and CSRF.

The gate redirects every screen to /login when nobody is signed in; the
marketplace API (/v1, keys), /health and static files are outside it.
"""

from __future__ import annotations

import secrets
import time
import uuid
from dataclasses import dataclass
from typing import Annotated
from urllib.parse import quote

from fastapi import Depends, FastAPI, Request
from fastapi.responses import RedirectResponse
from starlette.middleware.sessions import SessionMiddleware
from starlette.types import ASGIApp, Receive, Scope, Send

from api.deps import RuntimeDep
from station.access.models import Role, User
from station.access.session_key import session_key
from station.runtime import Runtime

COOKIE = "inbound_session"
# The marketplace API uses keys, not sessions; its documentation (including what
# each problem type means) is public.
PUBLIC_PATHS = {
    "/login",
    "/health",
    "/metrics",  # an API key (metrics:read) guards it, not a browser session
    "/favicon.ico",
    "/v1",
    "/openapi.json",
    "/docs",
    "/redoc",
    "/problems",
}
PUBLIC_PREFIXES = ("/lang/", "/static/", "/v1/", "/problems/")
UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}


class SignInRequired(Exception):
    """The session is missing, expired, or its user may no longer sign in."""


class NotAllowed(Exception):
    """The signed-in user's role does not open this screen."""


class CsrfRejected(Exception):
    """A form or POST came without this session's CSRF token."""


@dataclass(frozen=True)
class SignedIn:
    """The person at the screen, as this request sees them."""

    id: uuid.UUID
    username: str
    display_name: str
    role: Role
    station_id: str | None

    def may(self, *roles: Role) -> bool:
        return self.role in roles


def install(app: FastAPI, runtime: Runtime) -> None:
    """Add the gate and the signed-cookie sessions (the outermost layer)."""
    app.add_middleware(SignInGate)
    app.add_middleware(
        SessionMiddleware,
        secret_key=session_key(runtime.settings),
        session_cookie=COOKIE,
        max_age=runtime.settings.web.session_hours * 3600,
        same_site="lax",
        https_only=runtime.settings.web.secure_cookies,
    )


class SignInGate:
    """Screens need a signed-in session; anything public passes untouched."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or _public(scope["path"]):
            await self.app(scope, receive, send)
            return
        if scope.get("session", {}).get("uid"):
            await self.app(scope, receive, send)
            return
        response = RedirectResponse(login_url(scope["path"], scope.get("query_string")), 303)
        await response(scope, receive, send)


def _public(path: str) -> bool:
    return path in PUBLIC_PATHS or path.startswith(PUBLIC_PREFIXES)


def login_url(path: str, query: bytes | None = None) -> str:
    target = path + ("?" + query.decode("latin-1") if query else "")
    return "/login" if target in ("", "/") else f"/login?next={quote(target, safe='/')}"


def start_session(request: Request, user: User, station_id: str | None) -> None:
    """A fresh session for a successful sign-in (never reuse the anonymous one)."""
    request.session.clear()
    request.session.update(
        uid=str(user.id),
        station=station_id,
        at=int(time.time()),
        csrf=secrets.token_urlsafe(32),
    )


def csrf_token(request: Request) -> str:
    token = request.session.get("csrf")
    if not token:
        token = request.session["csrf"] = secrets.token_urlsafe(32)
    return token


async def csrf_protect(request: Request) -> None:
    """Every unsafe request carries the session's token in a form field or header."""
    if request.method not in UNSAFE:
        return
    expected = request.session.get("csrf")
    given = request.headers.get("x-csrf-token")
    if given is None and request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        given = (await request.form()).get("csrf_token")
    if not expected or not isinstance(given, str) or not secrets.compare_digest(expected, given):
        raise CsrfRejected()


def current_user(request: Request, runtime: RuntimeDep) -> SignedIn:
    """The signed-in user, checked against the database on every request."""
    session = request.session
    try:
        uid = uuid.UUID(session.get("uid", ""))
    except ValueError:
        raise SignInRequired() from None
    hours = runtime.settings.web.session_hours
    if time.time() - session.get("at", 0) > hours * 3600:
        raise SignInRequired()
    with runtime.db.session() as db:
        user = db.get(User, uid)
    if user is None or not user.active:
        raise SignInRequired()
    station = session.get("station")
    # One station at a time: signing in at another bench ends the session here.
    if user.role is Role.OPERATOR and station != user.station_id:
        raise SignInRequired()
    return SignedIn(user.id, user.username, user.display_name, user.role, station)


CurrentUser = Annotated[SignedIn, Depends(current_user)]


def role_required(*roles: Role):
    def check(user: CurrentUser) -> SignedIn:
        if not user.may(*roles):
            raise NotAllowed()
        return user

    return Depends(check)


def landing_page(user: SignedIn) -> str:
    return {Role.OPERATOR: "/bench", Role.SUPERVISOR: "/dashboard", Role.ADMIN: "/admin"}[user.role]


def redirect_to_login(request: Request) -> RedirectResponse:
    request.session.clear()
    return RedirectResponse(login_url(request.url.path, request.url.query.encode()), 303)
