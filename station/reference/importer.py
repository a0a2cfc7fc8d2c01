"""`inbound-station import KIND FILE`: validate a whole file, then write all of it or nothing."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from station.audit.models import record as audit
from station.db.engine import Database
from station.errors import ImportFailed
from station.evidence import EvidenceStore
from station.reference.batch import validate_rows, write_batch
from station.reference.csv_shape import shape_csv
from station.reference.files import read_rows
from station.reference.images import ImageFile, read_image
from station.reference.problems import Problem
from station.reference.records import (
    RECORD_TYPES,
    BrandRecord,
    ListingRecord,
    Record,
)

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
    problems: list = []
    if path.suffix.lower() == ".csv":
        rows, problems = shape_csv(kind, rows)
    if not rows:
        problems.append("the file holds no records")
    located, invalid = validate_rows(kind, rows)
    problems += invalid
    files = _read_images(located, images_dir or path.parent, problems)
    report = ImportReport(kind, path)
    with db.transaction() as session:
        if not problems:
            # Images are stored first: a committed row never names a missing file.
            for image in files.values():
                store.put(image.data)
        report.counts = write_batch(
            session, kind, located, files, problems=problems, source=str(path)
        )
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


def _read_images(located, base: Path, problems: list) -> dict[str, ImageFile]:
    files: dict[str, ImageFile] = {}
    for where, record in located:
        for field_name, name in _image_names(record):
            if name in files:
                continue
            try:
                files[name] = read_image(base / name)
            except ValueError as err:
                problems.append(Problem(where, field_name, str(err)))
    return files


def _image_names(record: Record):
    if isinstance(record, ListingRecord):
        yield from ((f"images[{i}].file", img.file) for i, img in enumerate(record.images))
    elif isinstance(record, BrandRecord):
        yield from ((f"logos[{i}]", name) for i, name in enumerate(record.logos))
