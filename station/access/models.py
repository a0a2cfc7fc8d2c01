"""Users (operators, supervisors, admins) and API keys. Secrets are stored hashed."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from station.clock import utcnow
from station.db.base import Base, Timestamped, enum_type, new_id


class Role(StrEnum):
    OPERATOR = "operator"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"


class User(Timestamped, Base):
    __tablename__ = "users"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    role: Mapped[Role] = mapped_column(enum_type(Role))
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(default=True)
    # An operator works at one station at a time.
    station_id: Mapped[str | None] = mapped_column(ForeignKey("stations.id"))
    locale: Mapped[str] = mapped_column(String(8), default="en")


class ApiKey(Base):
    """A key for another system: a visible prefix plus a secret shown once."""

    __tablename__ = "api_keys"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    name: Mapped[str] = mapped_column(String(200))
    prefix: Mapped[str] = mapped_column(String(32), unique=True)
    secret_hash: Mapped[str] = mapped_column(String(255))
    scopes: Mapped[list[str]] = mapped_column(default=list)
    # None: every warehouse; otherwise the warehouses this key may see.
    warehouses: Mapped[list[str] | None]
    # Set for a station's own key (scope station:sync).
    station_id: Mapped[str | None] = mapped_column(ForeignKey("stations.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]
