"""ETag, If-Match and If-None-Match for the reference records (RFC 9110 §13)."""

from __future__ import annotations

import hashlib

from pydantic import BaseModel

from api.v1.problems import ProblemException


def etag(representation: BaseModel) -> str:
    digest = hashlib.sha256(representation.model_dump_json().encode()).hexdigest()
    return f'"{digest[:32]}"'


def _tags(header: str) -> list[str]:
    return [t.strip() for t in header.split(",") if t.strip()]


def check_write(current: str | None, if_match: str | None, if_none_match: str | None) -> None:
    """`current` is the ETag of the record as stored (None: it does not exist)."""
    if if_match is not None:
        tags = _tags(if_match)
        ok = current is not None and ("*" in tags or current in tags)
        if not ok:
            raise ProblemException(
                "precondition-failed",
                "If-Match does not match the stored record (changed since read, or missing)",
            )
    if if_none_match is not None and current is not None:
        tags = _tags(if_none_match)
        if "*" in tags or current in tags:
            raise ProblemException(
                "precondition-failed", "If-None-Match: the record exists already"
            )


def not_modified(current: str, if_none_match: str | None) -> bool:
    if if_none_match is None:
        return False
    tags = [t.removeprefix("W/") for t in _tags(if_none_match)]
    return "*" in tags or current in tags
