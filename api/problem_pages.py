"""GET /problems/<slug>: what each problem `type` of the API means (RFC 9457)."""

from __future__ import annotations

from html import escape

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from api.v1.problems import CATALOGUE, not_found

router = APIRouter()


@router.get("/problems", response_class=HTMLResponse, include_in_schema=False)
def all_problems() -> HTMLResponse:
    rows = "".join(
        f'<tr id="{slug}"><td><code>/problems/{slug}</code></td><td>{status}</td>'
        f"<td>{escape(title)}</td><td>{escape(hint)}</td></tr>"
        for slug, (title, status, hint) in CATALOGUE.items()
    )
    return HTMLResponse(
        "<!doctype html><title>API problem types</title>"
        '<link rel="stylesheet" href="/static/base.css"><h1>API problem types</h1>'
        "<table><tr><th>type</th><th>status</th><th>title</th><th>what to do</th></tr>"
        f"{rows}</table>"
    )


@router.get("/problems/{slug}", response_class=HTMLResponse, include_in_schema=False)
def one_problem(slug: str) -> HTMLResponse:
    if slug not in CATALOGUE:
        raise not_found(f"problem type {slug}")
    title, status, hint = CATALOGUE[slug]
    return HTMLResponse(
        f"<!doctype html><title>{escape(title)}</title>"
        '<link rel="stylesheet" href="/static/base.css">'
        f"<h1>{escape(title)}</h1><p>HTTP {status}. {escape(hint)}</p>"
        '<p><a href="/problems">All problem types</a></p>'
    )
