"""One problem with one record: where it is, which field, what is wrong.

The command line prints problems as text ("line 7, field gtins[0]: ..."); the API
turns the same objects into RFC 9457 error entries with a JSON pointer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_PART = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


@dataclass(frozen=True)
class Problem:
    where: str  # "line 7", "item 3 (line 12)", "body": what a person needs to find it
    field: str | None  # "paid_categories[0].category_id", "(record)", or None for the row
    message: str

    def __str__(self) -> str:
        if self.field is None:
            return f"{self.where}: {self.message}"
        return f"{self.where}, field {self.field}: {self.message}"

    @property
    def pointer(self) -> str:
        """The field as an RFC 6901 JSON pointer into the record ("" is the whole record)."""
        if not self.field or self.field == "(record)":
            return ""
        parts = [name or index for name, index in _PART.findall(self.field)]
        return "".join("/" + p.replace("~", "~0").replace("/", "~1") for p in parts)


def field_path(loc: tuple) -> str:
    """A pydantic error location as the dotted path the problems use: a.b[0].c"""
    return ".".join(str(p) if isinstance(p, str) else f"[{p}]" for p in loc).replace(".[", "[")


def describe_validation_error(where: str, error: dict) -> Problem:
    """A pydantic error entry, in the words the problems use."""
    loc = field_path(error["loc"])
    message = error["msg"].removeprefix("Value error, ")
    if error["type"] == "extra_forbidden":
        return Problem(where, loc, "not a field of this kind of record")
    if error["type"] == "missing":
        return Problem(where, loc, "required but missing")
    return Problem(where, loc or "(record)", message)
