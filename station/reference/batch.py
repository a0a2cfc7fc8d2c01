"""Validating and writing a batch of reference records.

One code path for `inbound-station import` (files) and the API (one record per
PUT, or an NDJSON batch): validate every row, check every reference, then write
all of it in the caller's transaction, or raise ImportFailed and write nothing.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from pydantic import ValidationError
from sqlalchemy.orm import Session

from station.errors import ImportFailed
from station.reference.files import Row
from station.reference.images import ImageFile
from station.reference.problems import Problem, describe_validation_error
from station.reference.records import (
    RECORD_TYPES,
    AuthorisationRecord,
    CategoryRecord,
    Record,
)
from station.reference.references import check_references
from station.reference.upsert import KNOWN_IDS, UPSERTS, prefetch

Located = list[tuple[str, Record]]


def validate_rows(
    kind: str, rows: Iterable[Row], model: type[Record] | None = None
) -> tuple[Located, list[Problem]]:
    """Each row as a record of `kind` (or of `model`, a narrower form of it), and
    every problem found; an id given twice is a problem on its second row."""
    model = model or RECORD_TYPES[kind]
    located: Located = []
    problems: list[Problem] = []
    first_seen: dict[str, str] = {}
    for row in rows:
        raw_id = row.data.get("id")
        if isinstance(raw_id, str) and raw_id in first_seen:
            problems.append(
                Problem(row.where, "id", f"{raw_id} already given on {first_seen[raw_id]}")
            )
            continue
        if isinstance(raw_id, str):
            first_seen[raw_id] = row.where
        try:
            record = model.model_validate(row.data)
        except ValidationError as err:
            problems.extend(describe_validation_error(row.where, e) for e in err.errors())
            continue
        located.append((row.where, record))
    return located, problems


def write_batch(
    session: Session,
    kind: str,
    located: Located,
    files: dict[str, ImageFile] | None = None,
    *,
    problems: list | None = None,
    source: str = "the batch",
) -> Counter:
    """Check references, then upsert every record in the caller's transaction.

    Raises ImportFailed with every problem (the ones passed in and the ones found
    here) before anything is written. Returns created/updated/unchanged counts.
    """
    problems = [*(problems or []), *check_references(session, kind, located)]
    if problems:
        raise ImportFailed(f"{source}: {len(problems)} problem(s), nothing was imported", problems)
    loaded = prefetch(session, kind, [record.id for _, record in located])
    counts: Counter = Counter()
    upsert = UPSERTS[kind]
    try:
        # One flush at the end (inserts go out in batches) instead of one per record.
        with session.no_autoflush:
            for _, record in _in_dependency_order(located):
                counts[upsert(session, record, files or {})] += 1
        session.flush()
    finally:
        session.info.pop(KNOWN_IDS, None)
        del loaded
    return counts


def _in_dependency_order(located: Located) -> Located:
    """Parents before children, for kinds that refer to their own kind."""
    if not located or not isinstance(located[0][1], CategoryRecord | AuthorisationRecord):
        return located
    by_id = {r.id: (w, r) for w, r in located}
    ordered, done = [], set()

    def visit(record_id: str) -> None:
        if record_id in done or record_id not in by_id:
            return
        done.add(record_id)
        visit(by_id[record_id][1].parent_id)
        ordered.append(by_id[record_id])

    for record_id in by_id:
        visit(record_id)
    return ordered
