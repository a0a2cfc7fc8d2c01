"""The declarative base shared by every model, with named constraints."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Integer, MetaData, Uuid
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from station.clock import utcnow
from station.db.types import UTCDateTime
from station.ids import uuid7

# Named constraints, so migrations (and SQLite's batch mode) can drop and
# alter them by name on every backend.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

JsonValue = JSON().with_variant(JSONB(), "postgresql")
# SQLite only auto-increments a column declared exactly INTEGER PRIMARY KEY.
BigId = BigInteger().with_variant(Integer(), "sqlite")


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {
        datetime: UTCDateTime(),
        uuid.UUID: Uuid(),
        dict[str, Any]: JsonValue,
        list[Any]: JsonValue,
        list[str]: JsonValue,
        list[int]: JsonValue,
    }


def new_id() -> uuid.UUID:
    return uuid7()


class Timestamped:
    """created_at and updated_at, set from the product's clock."""

    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


def enum_type(enum_cls: type, length: int = 32):
    """A VARCHAR holding one of the enum's values, checked by the ORM on every write.

    No native enum type (PostgreSQL enums are painful to migrate) and no CHECK
    constraint (SQLAlchemy would name it after the enum, clashing when two
    columns of one table share an enum)."""
    from sqlalchemy import Enum

    return Enum(
        enum_cls,
        native_enum=False,
        create_constraint=False,
        length=length,
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
    )
