"""`inbound-station import KIND FILE`: validate a whole file, then write all of it or nothing."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from station.audit.models import record as audit
from station.db.engine import Database
from station.errors import ImportFailed
from station.evidence import EvidenceStore
from station.reference.csv_shape import shape_csv
from station.reference.files import Row, read_rows
from station.reference.images import ImageFile, read_image
from station.reference.records import (
    RECORD_TYPES,
    AuthorisationRecord,
    BrandRecord,
    CategoryRecord,
    ListingRecord,
    Record,
)
from station.reference.references import check_references
from station.reference.upsert import UPSERTS

# The order in which a full data set must be imported (each kind refers to earlier ones).
KINDS = tuple(RECORD_TYPES)


@dataclass
class ImportReport:
    kind: str
    file: Path
    counts: Counter = field(default_factory=Counter)

    def summary(self) -> str:
        c = self.counts
        return (
            f"{self.kind} from {self.file}: {c['created']} created, {c['updated']} updated, "
            f"{c['unchanged']} unchanged"
        )


def import_file(
    db: Database,
    store: EvidenceStore,
    kind: str,
    path: Path,
    *,
    images_dir: Path | None = None,
    actor: str = "import",
) -> ImportReport:
    """Import one file of one kind. Raises ImportFailed listing every problem; then
    nothing at all was written."""
    if kind not in RECORD_TYPES:
        raise ImportFailed(f"unknown kind {kind!r}", [f"expected one of {', '.join(KINDS)}"])
    rows = read_rows(path)
    problems: list[str] = []
    if path.suffix.lower() == ".csv":
        rows, problems = shape_csv(kind, rows)
    located = _validate(kind, rows, problems)
    files = _read_images(located, images_dir or path.parent, problems)
    report = ImportReport(kind, path)
    with db.transaction() as session:
        problems += check_references(session, kind, located)
        if problems:
            raise ImportFailed(
                f"{path}: {len(problems)} problem(s), nothing was imported", problems
            )
        for image in files.values():
            store.put(image.data)
        for _, record in _in_dependency_order(located):
            report.counts[UPSERTS[kind](session, record, files)] += 1
        audit(
            session,
            actor=actor,
            action="import",
            subject_type=kind,
            subject_id=path.name,
            file=str(path),
            **dict(report.counts),
        )
    return report


def _validate(kind: str, rows: list[Row], problems: list[str]) -> list[tuple[str, Record]]:
    model = RECORD_TYPES[kind]
    located: list[tuple[str, Record]] = []
    first_seen: dict[str, str] = {}
    for row in rows:
        raw_id = row.data.get("id")
        if isinstance(raw_id, str) and raw_id in first_seen:
            problems.append(
                f"{row.where}, field id: {raw_id} already given on {first_seen[raw_id]}"
            )
            continue
        if isinstance(raw_id, str):
            first_seen[raw_id] = row.where
        try:
            record = model.model_validate(row.data)
        except ValidationError as err:
            problems.extend(f"{row.where}, {_describe(e)}" for e in err.errors())
            continue
        located.append((row.where, record))
    if not rows:
        problems.append("the file holds no records")
    return located


def _describe(error) -> str:
    loc = ".".join(str(p) if isinstance(p, str) else f"[{p}]" for p in error["loc"]).replace(
        ".[", "["
    )
    message = error["msg"].removeprefix("Value error, ")
    if error["type"] == "extra_forbidden":
        return f"field {loc}: not a field of this kind of record"
    if error["type"] == "missing":
        return f"field {loc}: required but missing"
    return f"field {loc or '(record)'}: {message}"


def _read_images(located, base: Path, problems: list[str]) -> dict[str, ImageFile]:
    files: dict[str, ImageFile] = {}
    for where, record in located:
        for field_name, name in _image_names(record):
            if name in files:
                continue
            try:
                files[name] = read_image(base / name)
            except ValueError as err:
                problems.append(f"{where}, field {field_name}: {err}")
    return files


def _image_names(record: Record):
    if isinstance(record, ListingRecord):
        yield from ((f"images[{i}].file", img.file) for i, img in enumerate(record.images))
    elif isinstance(record, BrandRecord):
        yield from ((f"logos[{i}]", name) for i, name in enumerate(record.logos))


def _in_dependency_order(located):
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
