"""POST /v1/bulk/{kind}: catalogue-sized loads as NDJSON, all lines or none.

Every line is parsed, validated and reference-checked first; one bad line
rejects the batch (422, each problem with its line number and a JSON pointer)
and nothing is written. A good batch is written in one transaction.
"""

from __future__ import annotations

import json
from enum import StrEnum
from typing import Annotated

from fastapi import APIRouter, Path, Request

from api.v1.problems import ProblemException, from_record_problems
from api.v1.reference import BY_PATH
from api.v1.reference_schemas import BulkResult
from api.v1.security import ReferenceWriter
from api.v1.tags import Tag
from api.v1.writes import WriteSession
from station.audit.models import record as audit
from station.errors import ImportFailed
from station.reference.batch import validate_rows, write_batch
from station.reference.files import Row
from station.reference.problems import Problem

router = APIRouter(tags=[Tag.REFERENCE])
BulkKind = StrEnum("BulkKind", {k.path.replace("-", "_"): k.path for k in BY_PATH.values()})
NDJSON_BODY = {
    "requestBody": {
        "required": True,
        "description": "One JSON record per line, each with its `id`, as the PUT of that kind "
        "takes it.",
        "content": {"application/x-ndjson": {"schema": {"type": "string"}}},
    }
}


def parse_lines(body: bytes) -> tuple[list[Row], list[Problem]]:
    rows, problems = [], []
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise ProblemException(
            "malformed-request", f"the body is not UTF-8 text (byte {err.start})"
        ) from None
    for number, line in enumerate(text.splitlines(), start=1):
        where = f"line {number}"
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except json.JSONDecodeError as err:
            problems.append(Problem(where, None, f"not JSON: {err.msg} at column {err.colno}"))
            continue
        if not isinstance(value, dict):
            problems.append(Problem(where, None, "each line must be a JSON object"))
            continue
        rows.append(Row(where, value))
    return rows, problems


@router.post(
    "/bulk/{kind}",
    name="bulk_load",
    summary="Load many records of one kind from NDJSON; all or nothing",
    response_model=BulkResult,
    openapi_extra=NDJSON_BODY,
)
async def bulk_load(
    kind: Annotated[BulkKind, Path(description="Which kind of record every line holds.")],
    request: Request,
    caller: ReferenceWriter,
    session: WriteSession,
) -> BulkResult:
    spec = BY_PATH[kind.value]
    rows, problems = parse_lines(await request.body())
    if not rows and not problems:
        raise ProblemException("validation", "the body holds no records")
    located, invalid = validate_rows(spec.kind, rows, model=spec.fields)
    problems += invalid
    for where, record in located:
        if spec.warehouse_field and not caller.sees(spec.warehouse_of(record)):
            problems.append(Problem(where, spec.warehouse_field, "not one of the key's warehouses"))
    try:  # reference checks run even when other lines failed: every problem at once
        counts = write_batch(session, spec.kind, located, problems=problems, source="the batch")
    except ImportFailed as err:
        raise _rejected(err.details) from None
    audit(
        session,
        actor=f"apikey:{caller.prefix}",
        action="api.bulk",
        subject_type=spec.kind,
        subject_id=f"{len(rows)} lines",
        **dict(counts),
    )
    return BulkResult(
        lines=len(rows), **{k: counts.get(k, 0) for k in ("created", "updated", "unchanged")}
    )


def _rejected(problems: list[Problem]) -> ProblemException:
    lines = {p.where: int(p.where.split()[1]) for p in problems}
    items = sorted(from_record_problems(problems, lines=lines), key=lambda p: p.line or 0)
    return ProblemException(
        "validation",
        f"{len(items)} problem(s) on {len(set(lines.values()))} line(s); nothing was written",
        errors=items,
    )
