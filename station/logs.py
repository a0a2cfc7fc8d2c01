"""Logging set-up: plain lines for people, or one JSON object per line for collectors.

While a bench works on an inspection, `inspection_in_context` names it, and every log
record made meanwhile (in any module, on that thread or task) carries its id.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime

# Fields a log call may attach with extra={...}; JSON lines carry them.
CONTEXT_FIELDS = ("inspection_id", "station_id", "device", "request_id")

_inspection: ContextVar[str | None] = ContextVar("inspection_id", default=None)


@contextmanager
def inspection_in_context(inspection_id: object | None) -> Iterator[None]:
    """Log records made inside the block carry this inspection id (None: no change)."""
    if inspection_id is None:
        yield
        return
    token = _inspection.set(str(inspection_id))
    try:
        yield
    finally:
        _inspection.reset(token)


def current_inspection() -> str | None:
    return _inspection.get()


class InspectionField(logging.Filter):
    """Puts the inspection in context on each record, unless the call named one itself."""

    def filter(self, record: logging.LogRecord) -> bool:
        inspection_id = _inspection.get()
        if inspection_id is not None and not hasattr(record, "inspection_id"):
            record.inspection_id = inspection_id
        return True


class JsonLines(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        entry.update({k: str(getattr(record, k)) for k in CONTEXT_FIELDS if hasattr(record, k)})
        if record.exc_info:
            entry["error"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


class TextLines(logging.Formatter):
    """Plain lines; the inspection id, when there is one, in brackets after the logger."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s%(inspection)s: %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        inspection_id = getattr(record, "inspection_id", None)
        record.inspection = f" [inspection {inspection_id}]" if inspection_id else ""
        return super().format(record)


def configure_logging(level: str = "INFO", json_lines: bool = False) -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(JsonLines() if json_lines else TextLines())
    # On the handler, not a logger: records of every logger pass through it.
    handler.addFilter(InspectionField())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    logging.getLogger("alembic").setLevel(max(logging.WARNING, root.level))
