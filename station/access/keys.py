"""API keys for other systems: `isk_<prefix>_<secret>`, the secret shown once.

The prefix is visible (listings, logs) and finds the key; only a SHA-256 of the
secret is stored. The secret is 256 random bits, so a fast hash is enough: slow
password hashes exist for guessable secrets, and nothing here can be guessed.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session

from station.access.models import ApiKey
from station.audit.models import record as audit
from station.clock import utcnow
from station.errors import NotFound, StationError
from station.fleet.models import Station

_TOKEN = re.compile(r"^isk_([a-z2-7]{10})_([A-Za-z0-9_-]{43})$")
_ALPHABET = "abcdefghijklmnopqrstuvwxyz234567"


class Scope(StrEnum):
    REFERENCE_READ = "reference:read"
    REFERENCE_WRITE = "reference:write"
    RESULTS_READ = "results:read"
    WEBHOOKS_MANAGE = "webhooks:manage"
    STATION_SYNC = "station:sync"
    METRICS_READ = "metrics:read"
    ADMIN = "admin"


# A scope also grants the ones listed here; admin grants every scope.
IMPLIED = {
    Scope.REFERENCE_WRITE: {Scope.REFERENCE_READ},
    Scope.ADMIN: set(Scope),
}


class InvalidKeyRequest(StationError):
    """An API key cannot be created as asked."""


@dataclass(frozen=True)
class NewKey:
    key: ApiKey
    token: str  # the only time the whole secret exists outside the caller's hands


def granted(scopes: list[str]) -> set[str]:
    """Every scope a key's list grants, implied ones included."""
    result = set(scopes)
    for name in scopes:
        result.update(IMPLIED.get(name, ()))
    return result


def parse_scopes(text: str | list[str]) -> list[str]:
    names = [s.strip() for s in (text.split(",") if isinstance(text, str) else text) if s.strip()]
    unknown = [n for n in names if n not in Scope._value2member_map_]
    if unknown or not names:
        raise InvalidKeyRequest(
            f"unknown scope(s) {', '.join(unknown) or '(none given)'}; "
            f"expected some of {', '.join(s.value for s in Scope)}"
        )
    return sorted(set(names))


def create_key(
    session: Session,
    *,
    name: str,
    scopes: list[str],
    warehouses: list[str] | None = None,
    station_id: str | None = None,
    actor: str = "cli",
) -> NewKey:
    if not name.strip():
        raise InvalidKeyRequest("an API key needs a name that says who uses it")
    if station_id is not None and session.get(Station, station_id) is None:
        raise InvalidKeyRequest(
            f"station {station_id!r} does not exist here; add it first (admin screen, Stations)"
        )
    prefix = "isk_" + "".join(secrets.choice(_ALPHABET) for _ in range(10))
    secret = secrets.token_urlsafe(32)
    key = ApiKey(
        name=name.strip(),
        prefix=prefix,
        secret_hash=_hash(secret),
        scopes=parse_scopes(scopes),
        warehouses=sorted(set(warehouses)) if warehouses else None,
        station_id=station_id,
    )
    session.add(key)
    session.flush()
    audit(
        session,
        actor=actor,
        action="apikey.create",
        subject_type="api_key",
        subject_id=prefix,
        name=key.name,
        scopes=key.scopes,
        warehouses=key.warehouses,
    )
    return NewKey(key, f"{prefix}_{secret}")


def list_keys(session: Session) -> list[ApiKey]:
    return list(session.scalars(select(ApiKey).order_by(ApiKey.created_at, ApiKey.prefix)))


def revoke_key(session: Session, prefix: str, *, actor: str = "cli") -> ApiKey:
    key = session.scalar(select(ApiKey).where(ApiKey.prefix == prefix))
    if key is None:
        raise NotFound(f"no API key with prefix {prefix!r} (see `inbound-station apikey list`)")
    if key.revoked_at is None:
        key.revoked_at = utcnow()
        audit(
            session, actor=actor, action="apikey.revoke", subject_type="api_key", subject_id=prefix
        )
    return key


def authenticate(session: Session, token: str) -> ApiKey | None:
    """The live key this token belongs to, or None (unknown, wrong secret, revoked)."""
    match = _TOKEN.match(token)
    if match is None:
        return None
    key = session.scalar(select(ApiKey).where(ApiKey.prefix == f"isk_{match[1]}"))
    if key is None or key.revoked_at is not None:
        return None
    if not hmac.compare_digest(key.secret_hash, _hash(match[2])):
        return None
    return key


def key_id_of(token: str) -> str | None:
    """The visible prefix of a well-formed token (no database look-up)."""
    match = _TOKEN.match(token)
    return f"isk_{match[1]}" if match else None


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()
