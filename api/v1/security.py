"""Who is calling: the API key, its scopes and warehouses, its request rate.

Missing or unknown key: 401. A key without the operation's scope: 403. A
record of a warehouse the key is not allowed: 404, as if it did not exist.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Annotated

from fastapi import Depends, Request, Security
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer, SecurityScopes

from api.deps import get_runtime
from api.v1.limits import RateLimiter, retry_after
from api.v1.problems import ProblemException
from station.access.keys import Scope, authenticate, granted
from station.access.models import ApiKey
from station.clock import utcnow
from station.runtime import Runtime

bearer = HTTPBearer(
    auto_error=False,
    scheme_name="ApiKey",
    description="An API key from `inbound-station apikey create`: `Authorization: Bearer isk_...`",
)
_LAST_USED_EVERY = timedelta(minutes=1)


@dataclass(frozen=True)
class Caller:
    key_id: object
    prefix: str
    scopes: frozenset[str]
    warehouses: tuple[str, ...] | None  # None: every warehouse
    station_id: str | None = None  # a station's own key (scope station:sync)

    def sees(self, warehouse_id: str | None) -> bool:
        return self.warehouses is None or warehouse_id in self.warehouses

    @property
    def warehouse_list(self) -> list[str] | None:
        return None if self.warehouses is None else list(self.warehouses)


def _unauthorized(detail: str) -> ProblemException:
    return ProblemException(
        "unauthorized", detail, headers={"WWW-Authenticate": 'Bearer realm="inbound-station"'}
    )


def identify(runtime: Runtime, token: str) -> ApiKey | None:
    """The live key for a token, with its last use recorded (at most once a minute)."""
    with runtime.db.session() as session:
        key = authenticate(session, token)
        if key is None:
            return None
        now = utcnow()
        if key.last_used_at is None or now - key.last_used_at >= _LAST_USED_EVERY:
            key.last_used_at = now
            session.commit()
        return key


def current_caller(
    security: SecurityScopes,
    request: Request,
    runtime: Annotated[Runtime, Depends(get_runtime)],
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> Caller:
    if credentials is None:
        raise _unauthorized("send an API key as 'Authorization: Bearer <key>'")
    key = identify(runtime, credentials.credentials)
    if key is None:
        raise _unauthorized("this API key is unknown or revoked")
    limiter: RateLimiter = request.app.state.rate_limiter
    wait = limiter.take(key.prefix)
    if wait:
        raise ProblemException(
            "rate-limited",
            f"key {key.prefix} made more than {limiter.per_second:g} requests per second",
            headers={"Retry-After": retry_after(wait)},
        )
    scopes = frozenset(granted(key.scopes))
    missing = sorted(set(security.scopes) - scopes)
    if missing:
        raise ProblemException(
            "forbidden", f"key {key.prefix} lacks the scope {', '.join(missing)} for this operation"
        )
    warehouses = None if key.warehouses is None else tuple(key.warehouses)
    return Caller(key.id, key.prefix, scopes, warehouses, key.station_id)


def require(scope: Scope):
    return Security(current_caller, scopes=[scope.value])


ReferenceReader = Annotated[Caller, require(Scope.REFERENCE_READ)]
ReferenceWriter = Annotated[Caller, require(Scope.REFERENCE_WRITE)]
ResultsReader = Annotated[Caller, require(Scope.RESULTS_READ)]
WebhookManager = Annotated[Caller, require(Scope.WEBHOOKS_MANAGE)]
