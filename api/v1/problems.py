"""RFC 9457 problem details: the one error shape of the API.

`type` is a stable URI per kind of problem (documented at /problems/<slug>);
`detail` says what was wrong with this request; validation problems list each
bad field with a JSON pointer (body) or the parameter's name. Nothing of an
exception's text or traceback is ever sent.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy.exc import DataError, OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException

from station.reference.problems import Problem as RecordProblem
from station.reference.problems import field_path

log = logging.getLogger(__name__)
MEDIA_TYPE = "application/problem+json"
DATABASE_RETRY_AFTER_S = 5

# slug: (title, status, what the client should do)
CATALOGUE: dict[str, tuple[str, int, str]] = {
    "malformed-request": ("Malformed request", 400, "The body or a header cannot be read."),
    "invalid-cursor": (
        "Invalid cursor",
        400,
        "The cursor was not made by this endpoint with these filters; start without one.",
    ),
    "unauthorized": (
        "Missing or invalid API key",
        401,
        "Send 'Authorization: Bearer <key>' with a live key.",
    ),
    "forbidden": ("Scope missing", 403, "The key lacks the scope this operation needs."),
    "warehouse-not-allowed": (
        "Warehouse not allowed",
        403,
        "The key is restricted to other warehouses.",
    ),
    "not-found": ("Not found", 404, "No such record, or not in the key's warehouses."),
    "method-not-allowed": ("Method not allowed", 405, "See the OpenAPI document."),
    "still-referenced": (
        "Still referenced",
        409,
        "Other records refer to this one; change its status instead of deleting it.",
    ),
    "idempotency-key-in-flight": (
        "Request with this Idempotency-Key still running",
        409,
        "Retry later; the first request's response will then be replayed.",
    ),
    "upload-refused": (
        "Photo piece refused",
        409,
        "Resume the upload at the Upload-Offset header; a hash mismatch starts it over.",
    ),
    "precondition-failed": (
        "Precondition failed",
        412,
        "The record changed since you read it (If-Match) or exists already (If-None-Match).",
    ),
    "payload-too-large": ("Payload too large", 413, "Split the request."),
    "unsupported-media-type": (
        "Unsupported media type",
        415,
        "Send the Content-Type this operation documents.",
    ),
    "validation": ("Validation failed", 422, "Fix each listed field and send again."),
    "idempotency-key-reused": (
        "Idempotency-Key reused",
        422,
        "This key was used with a different request; use a new key.",
    ),
    "rate-limited": ("Too many requests", 429, "Wait for Retry-After seconds."),
    "internal": ("Internal error", 500, "Try again; the server logged the cause."),
    "unavailable": ("Service unavailable", 503, "Try again shortly."),
}


class ProblemItem(BaseModel):
    detail: str
    pointer: str | None = None
    parameter: str | None = None
    header: str | None = None
    line: int | None = None


class Problem(BaseModel):
    type: str
    title: str
    status: int
    detail: str
    instance: str | None = None
    errors: list[ProblemItem] | None = None


class ProblemException(Exception):
    def __init__(
        self,
        slug: str,
        detail: str,
        *,
        errors: list[ProblemItem] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.slug, self.detail, self.errors, self.headers = slug, detail, errors, headers


def problem_response(
    slug: str,
    detail: str,
    *,
    instance: str | None = None,
    errors: list[ProblemItem] | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    title, status, _ = CATALOGUE[slug]
    body = Problem(
        type=f"/problems/{slug}",
        title=title,
        status=status,
        detail=detail,
        instance=instance,
        errors=errors,
    )
    return JSONResponse(
        body.model_dump(exclude_none=True),
        status_code=status,
        headers=headers,
        media_type=MEDIA_TYPE,
    )


def not_found(what: str) -> ProblemException:
    return ProblemException("not-found", f"{what} does not exist or is not visible to this key")


def from_record_problems(
    problems: list, *, lines: dict[str, int] | None = None
) -> list[ProblemItem]:
    """Station problems (the same ones the import command prints) as error entries."""
    items = []
    for p in problems:
        if isinstance(p, RecordProblem):
            line = (lines or {}).get(p.where)
            text = p.message if line is not None or p.where == "body" else str(p)
            items.append(ProblemItem(detail=text, pointer=p.pointer, line=line))
        else:
            items.append(ProblemItem(detail=str(p)))
    return items


def _validation_items(exc: RequestValidationError) -> tuple[str, list[ProblemItem]]:
    items, malformed = [], False
    for error in exc.errors():
        where, *path = error.get("loc", ("body",))
        message = str(error.get("msg", "invalid")).removeprefix("Value error, ")
        if error.get("type") == "json_invalid":
            malformed = True
            items.append(ProblemItem(detail=f"the body is not valid JSON: {message}"))
        elif where == "body":
            pointer = RecordProblem("body", field_path(tuple(path)) or None, "").pointer
            items.append(ProblemItem(detail=_message(error, message), pointer=pointer))
        elif where == "header":
            items.append(ProblemItem(detail=message, header=str(path[0]) if path else None))
        else:
            items.append(ProblemItem(detail=message, parameter=str(path[0]) if path else None))
    return ("malformed-request" if malformed else "validation"), items


def _message(error: dict[str, Any], message: str) -> str:
    if error.get("type") == "extra_forbidden":
        return "not a field of this kind of record"
    if error.get("type") == "missing":
        return "required but missing"
    return message


def install(app: FastAPI) -> None:
    @app.exception_handler(ProblemException)
    async def _problem(request: Request, exc: ProblemException) -> JSONResponse:
        return problem_response(
            exc.slug, exc.detail, instance=request.url.path, errors=exc.errors, headers=exc.headers
        )

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        slug, items = _validation_items(exc)
        count = len(items)
        detail = f"{count} problem{'s' if count != 1 else ''} with the request; see errors"
        return problem_response(slug, detail, instance=request.url.path, errors=items)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        slug = {404: "not-found", 405: "method-not-allowed", 400: "malformed-request"}.get(
            exc.status_code, "malformed-request" if exc.status_code < 500 else "internal"
        )
        detail = {
            404: f"no operation at {request.url.path}; see /v1/openapi.json",
            405: f"{request.method} is not allowed on {request.url.path}",
        }.get(exc.status_code, CATALOGUE[slug][2])
        return problem_response(slug, detail, instance=request.url.path, headers=exc.headers)

    @app.exception_handler(DataError)
    async def _unstorable(request: Request, exc: DataError) -> JSONResponse:
        # A value the validation let through but the database cannot hold (a NUL
        # character in text on PostgreSQL, a number beyond 64 bits): the client's.
        log.info(
            "refused unstorable value in %s %s: %s",
            request.method,
            request.url.path,
            type(exc.orig).__name__,
        )
        return problem_response(
            "validation",
            "a value in the request cannot be stored (for example a NUL character or a "
            "number out of range)",
            instance=request.url.path,
        )

    @app.exception_handler(OperationalError)
    async def _database_down(request: Request, exc: OperationalError) -> JSONResponse:
        # The database restarting, unreachable or busy: nothing the client did, and a
        # retry a little later succeeds. One line in the log, not a traceback per request.
        log.warning(
            "database unavailable in %s %s: %s",
            request.method,
            request.url.path,
            str(exc.orig or exc).strip().splitlines()[0][:200],
        )
        return problem_response(
            "unavailable",
            "the database is not reachable just now; try again shortly",
            instance=request.url.path,
            headers={"Retry-After": str(DATABASE_RETRY_AFTER_S)},
        )

    @app.exception_handler(Exception)
    async def _crash(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error in %s %s", request.method, request.url.path)
        return problem_response(
            "internal", "the server failed to handle this request", instance=request.url.path
        )
