"""GET /metrics: the installation's figures for Prometheus (station.operations.metrics).

Read with an API key holding metrics:read (or admin); from this machine without a key
when operations.metrics_from_loopback is on. The figures are read from the database on
each scrape (a plain function: FastAPI runs it in its thread pool).
"""

from __future__ import annotations

from ipaddress import ip_address
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import PlainTextResponse, Response
from fastapi.security import HTTPAuthorizationCredentials

from api.deps import RuntimeDep
from api.v1.problems import problem_response
from api.v1.security import bearer, identify
from station.access.keys import Scope, granted
from station.operations import metrics
from station.runtime import Runtime

router = APIRouter()
Credentials = Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]


@router.get("/metrics", tags=["operations"], response_class=PlainTextResponse)
def scrape(request: Request, runtime: RuntimeDep, credentials: Credentials) -> Response:
    """Prometheus text format; 401/403 without a key holding metrics:read."""
    if not (runtime.settings.operations.metrics_from_loopback and _from_loopback(request)):
        refused = _refusal(runtime, credentials)
        if refused is not None:
            slug, detail = refused
            headers = {"WWW-Authenticate": 'Bearer realm="inbound-station"'}
            return problem_response(slug, detail, instance=request.url.path, headers=headers)
    body = metrics.render(metrics.collect(runtime))
    return PlainTextResponse(body, media_type=metrics.CONTENT_TYPE)


def _refusal(runtime: Runtime, credentials: HTTPAuthorizationCredentials | None):
    """(problem slug, detail) when the caller may not read the metrics, else None.
    Not rate-limited like /v1: a scraper asks every few seconds at most."""
    if credentials is None:
        return "unauthorized", "send an API key with the metrics:read scope as a Bearer token"
    key = identify(runtime, credentials.credentials)
    if key is None:
        return "unauthorized", "this API key is unknown or revoked"
    if Scope.METRICS_READ.value not in granted(key.scopes):
        return "forbidden", f"key {key.prefix} lacks the scope metrics:read"
    return None


def _from_loopback(request: Request) -> bool:
    host = request.client.host if request.client else ""
    try:
        return ip_address(host).is_loopback
    except ValueError:
        return False
