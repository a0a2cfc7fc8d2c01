"""Many station results with photos, fast: real outbox records (made by the autopilot
through the real outbox code) cloned with fresh ids and fresh photo bytes."""

from __future__ import annotations

import copy
import hashlib
import os
import uuid
from typing import Any

from sqlalchemy import select

from station.db.engine import Database
from station.evidence import EvidenceStore
from station.ids import uuid7
from station.sync.models import OutboxRecord

CHILDREN = ("photos", "weights", "scans", "checks")


def templates(db: Database) -> list[dict[str, Any]]:
    """The station's completed-inspection records that carry photos."""
    with db.session() as session:
        rows = session.scalars(select(OutboxRecord).order_by(OutboxRecord.seq))
        return [
            {"kind": r.kind, "body": r.body, "photos": r.photos}
            for r in rows
            if r.body["event"]["kind"] == "inspection.completed" and r.photos
        ]


def clone(
    template: dict[str, Any], photo_bytes: int, photos: int | None = None
) -> tuple[dict[str, Any], dict[str, bytes]]:
    """A copy of a record about a new inspection (new ids), with new photos of the size
    (as many as the template has, or `photos`)."""
    body = copy.deepcopy(template["body"])
    inspection, event = body["inspection"], body["event"]
    if photos is not None:
        have = inspection["photos"]
        inspection["photos"] = [copy.deepcopy(have[n % len(have)]) for n in range(photos)]
    new_id = str(uuid7())
    inspection["id"] = event["subject_id"] = event["payload"]["inspection_id"] = new_id
    event["id"] = str(uuid7())
    files: dict[str, bytes] = {}
    for name in CHILDREN:
        for child in inspection[name]:
            child["id"], child["inspection_id"] = str(uuid7()), new_id
            if name == "photos":
                data = os.urandom(photo_bytes)
                child["sha256"] = hashlib.sha256(data).hexdigest()
                files[child["sha256"]] = data
    inspection["overrides"] = []
    record = {"record_id": uuid.UUID(event["id"]), "kind": template["kind"], "body": body,
              "photos": sorted(files)}  # fmt: skip
    return record, files


def fill_outbox(
    db: Database, evidence: EvidenceStore, count: int, photo_bytes: int, photos: int | None = None
) -> int:
    """Add `count` cloned records (and their photo files) to a station's outbox; returns
    the number of photo bytes written."""
    bases = templates(db)
    if not bases:
        raise RuntimeError("no completed inspection with photos to clone: run the autopilot")
    written = 0
    for start in range(0, count, 200):
        rows = []
        for n in range(start, min(count, start + 200)):
            record, files = clone(bases[n % len(bases)], photo_bytes, photos)
            for data in files.values():
                evidence.put(data)
                written += len(data)
            rows.append(OutboxRecord(**record))
        with db.transaction() as session:
            session.add_all(rows)
    return written
