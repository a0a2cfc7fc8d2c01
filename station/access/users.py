"""Browser users: create, change, authenticate. Every change is audited."""

from __future__ import annotations

import re
import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from station.access.models import Role, User
from station.access.passwords import hash_password, needs_rehash, verify_password
from station.audit.models import record
from station.errors import StationError
from station.fleet.models import Station

USERNAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{1,63}$")
PASSWORD_MIN = 8
LOCALES = ("en", "zh")


class InvalidUser(StationError):
    """A user could not be created or changed; the message names the field."""


def create_user(
    session: Session,
    *,
    username: str,
    role: str,
    password: str,
    actor: str,
    display_name: str | None = None,
    station_id: str | None = None,
    locale: str = "en",
) -> User:
    """Add a user to the caller's transaction, or raise InvalidUser naming the field."""
    if not USERNAME.match(username):
        raise InvalidUser(
            f"username {username!r}: use 2-64 letters, digits, '.', '_' or '-', "
            "starting with a letter or digit"
        )
    if session.scalar(select(User.id).where(User.username == username)) is not None:
        raise InvalidUser(f"username {username!r} is already taken")
    user = User(
        username=username,
        display_name=(display_name or username).strip()[:200],
        role=_role(role),
        password_hash=hash_password(_checked_password(password)),
        station_id=_station(session, station_id),
        locale=_locale(locale),
    )
    session.add(user)
    session.flush()
    record(
        session,
        actor=actor,
        action="user.create",
        subject_type="user",
        subject_id=str(user.id),
        username=username,
        role=user.role.value,
        station_id=user.station_id,
    )
    return user


def update_user(
    session: Session,
    user_id: uuid.UUID,
    *,
    actor: str,
    role: str | None = None,
    display_name: str | None = None,
    station_id: str | None = None,
    active: bool | None = None,
    password: str | None = None,
) -> User:
    """Change the given fields of a user; an empty station_id clears the station."""
    user = session.get(User, user_id)
    if user is None:
        raise InvalidUser(f"user {user_id} does not exist")
    changes: dict[str, object] = {}
    if role is not None and role != user.role.value:
        user.role = _role(role)
        changes["role"] = role
    if display_name is not None and display_name.strip() != user.display_name:
        user.display_name = display_name.strip()[:200] or user.username
        changes["display_name"] = user.display_name
    if station_id is not None and (station_id or None) != user.station_id:
        user.station_id = _station(session, station_id)
        changes["station_id"] = user.station_id
    if active is not None and active != user.active:
        user.active = active
        changes["active"] = active
    if password:
        user.password_hash = hash_password(_checked_password(password))
        changes["password"] = "changed"
    if changes:
        record(
            session,
            actor=actor,
            action="user.update",
            subject_type="user",
            subject_id=str(user.id),
            **changes,
        )
    return user


def authenticate(session: Session, username: str, password: str) -> User | None:
    """The active user with this name and password, or None (same time either way)."""
    user = session.scalar(select(User).where(User.username == username))
    if not verify_password(user.password_hash if user else None, password):
        return None
    if user is None or not user.active:
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return user


def sign_in_at_station(session: Session, user: User, station_id: str) -> None:
    """Bind an operator to one station; signing in elsewhere moves them there."""
    user.station_id = _station(session, station_id)
    record(
        session,
        actor=user.username,
        action="user.sign_in",
        subject_type="station",
        subject_id=station_id,
    )


def _role(value: str) -> Role:
    try:
        return Role(value)
    except ValueError:
        known = ", ".join(r.value for r in Role)
        raise InvalidUser(f"role {value!r} is not one of {known}") from None


def _checked_password(password: str) -> str:
    if len(password) < PASSWORD_MIN:
        raise InvalidUser(f"password: at least {PASSWORD_MIN} characters are needed")
    return password


def _station(session: Session, station_id: str | None) -> str | None:
    if not station_id:
        return None
    if session.get(Station, station_id) is None:
        raise InvalidUser(f"station {station_id!r} does not exist")
    return station_id


def _locale(value: str) -> str:
    if value not in LOCALES:
        raise InvalidUser(f"locale {value!r} is not one of {', '.join(LOCALES)}")
    return value
