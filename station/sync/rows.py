"""Database rows as JSON and back, by their mapped columns, for carrying records to central."""

from __future__ import annotations

import base64
import enum
import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import inspect as sa_inspect
from sqlalchemy.types import Date, LargeBinary, Uuid

from station.db.types import UTCDateTime


def row_dict(obj: Any) -> dict[str, Any]:
    """Every mapped column of a row as a JSON value."""
    mapper = sa_inspect(type(obj))
    return {c.key: _to_json(getattr(obj, c.key)) for c in mapper.column_attrs}


def row_from_dict(model: type, data: dict[str, Any]) -> Any:
    """A new (unsaved) row of `model` from row_dict() output; unknown keys are refused."""
    mapper = sa_inspect(model)
    columns = {c.key: c.columns[0].type for c in mapper.column_attrs}
    unknown = set(data) - set(columns)
    if unknown:
        raise ValueError(f"{model.__tablename__}: unknown fields {sorted(unknown)}")
    return model(**{k: _from_json(columns[k], v) for k, v in data.items()})


def _to_json(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, bytes):
        return base64.b64encode(value).decode()
    return value


def _from_json(column_type: Any, value: Any) -> Any:
    if value is None:
        return None
    if isinstance(column_type, Uuid):
        return uuid.UUID(value)
    if isinstance(column_type, UTCDateTime):
        return datetime.fromisoformat(value)
    if isinstance(column_type, Date):
        return date.fromisoformat(value)
    if isinstance(column_type, LargeBinary):
        return base64.b64decode(value)
    return value
