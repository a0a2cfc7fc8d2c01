"""Rendering a screen: the template plus what every page needs (language, user, CSRF)."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse

from api.i18n import LANGUAGES, NATIVE_NAMES, negotiate, translate
from api.screens.access import SignedIn, csrf_token
from api.templating import templates
from station.access.models import Role

LANG_COOKIE = "lang"


def language(request: Request) -> str:
    """The reader's choice (cookie), else their browser's, else the installation's."""
    chosen = request.cookies.get(LANG_COOKIE)
    if chosen in LANGUAGES:
        return chosen
    default = request.app.state.runtime.settings.web.language
    return negotiate(request.headers.get("accept-language"), default)


def translator(request: Request):
    lang = language(request)
    return lambda key, **params: translate(lang, key, **params)


def _page(request: Request, user: SignedIn | None, context: dict[str, Any] | None) -> dict:
    lang = language(request)
    return {
        "request": request,
        "lang": lang,
        "t": lambda key, **params: translate(lang, key, **params),
        "languages": [(code, NATIVE_NAMES[code]) for code in LANGUAGES],
        "here": request.url.path + (f"?{request.url.query}" if request.url.query else ""),
        "csrf_token": csrf_token(request),
        "user": user,
        "nav": _nav(user),
        **(context or {}),
    }


def fragment(request: Request, template: str, context: dict[str, Any] | None = None) -> str:
    """A piece of a page, rendered for the reader (live updates swap it in place)."""
    return templates.get_template(template).render(_page(request, None, context))


def render(
    request: Request,
    template: str,
    context: dict[str, Any] | None = None,
    *,
    user: SignedIn | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    page = _page(request, user, context)
    page.pop("request")
    return templates.TemplateResponse(request, template, page, status_code=status_code)


def _nav(user: SignedIn | None) -> list[tuple[str, str]]:
    """The screens this user may open, as (path, message key)."""
    if user is None:
        return []
    screens = [("/bench", "nav.bench", (Role.OPERATOR, Role.SUPERVISOR, Role.ADMIN))]
    screens.append(("/dashboard", "nav.dashboard", (Role.SUPERVISOR, Role.ADMIN)))
    screens.append(("/admin/users", "nav.admin", (Role.ADMIN,)))
    return [(path, key) for path, key, roles in screens if user.role in roles]
