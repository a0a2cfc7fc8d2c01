"""Central's side of the push: store a station's records once, in order.

A record is stored at most once: its id (the station-made UUIDv7 of the result
event) is kept in sync_received in the same transaction as everything it brings,
so a replay finds it and is answered with what was stored, changing nothing. The
station's records of one station are taken one request at a time (a lock per
station), so a retry racing the original request waits and then sees it stored.

Conflicts follow one rule (docs/sync.md): the station owns evidence and first
verdicts; central owns overrides and lot dispositions. A station's change to a
verdict or lot decision is taken only while central has not overridden it itself.
"""

from __future__ import annotations

import uuid
import zlib
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.exc import DataError, IntegrityError
from sqlalchemy.orm import Session

from station.errors import StationError
from station.evidence import EvidenceStore
from station.fleet.models import Station
from station.inspection.events import publish
from station.inspection.models import Inspection, Lot, Override
from station.reference.models import Shipment, ShipmentLine
from station.sync.models import ReceivedRecord
from station.sync.rows import row_from_dict
from station.sync.snapshot import CHILDREN

# Inspection and lot fields a later station record may still change on central.
_VERDICT_FIELDS = ("verdict", "final_verdict", "defect_class")
_LOT_DECISION_FIELDS = ("decision", "disposition", "decided_by")


class IngestRefused(StationError):
    """A station record central cannot store; the message says which and why."""


@dataclass(frozen=True)
class Answer:
    record_id: str
    seq: int
    status: str  # stored | duplicate | refused
    position: int | None = None
    error: str | None = None

    def as_json(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v is not None}


def ingest_batch(
    session: Session, station_id: str, records: list[dict[str, Any]], evidence: EvidenceStore
) -> list[Answer]:
    """Store the records in order; stop at the first one refused (order matters: an
    override must not arrive before the verdict it changes). The caller commits."""
    _lock_station(session, station_id)
    ids = [uuid.UUID(str(r["record_id"])) for r in records]
    seen = dict(  # one look for the whole batch: replays are common after a lost answer
        session.execute(
            select(ReceivedRecord.record_id, ReceivedRecord.position).where(
                ReceivedRecord.record_id.in_(ids)
            )
        ).all()
    )
    answers = []
    for record in records:
        answer = _ingest_one(session, station_id, record, evidence, seen)
        answers.append(answer)
        if answer.status == "refused":
            break
    return answers


def _ingest_one(
    session: Session, station_id: str, record: dict, evidence: EvidenceStore, seen: dict
) -> Answer:
    record_id, seq = uuid.UUID(str(record["record_id"])), int(record["seq"])
    if record_id in seen:
        return Answer(str(record_id), seq, "duplicate", seen[record_id])
    missing = [h for h in record.get("photos", []) if not evidence.has(h)]
    if missing:
        return Answer(str(record_id), seq, "refused", error=f"photos not uploaded: {missing}")
    try:
        with session.begin_nested():
            position = _store(session, station_id, record["body"])
            session.add(
                ReceivedRecord(
                    record_id=record_id,
                    station_id=station_id,
                    seq=seq,
                    kind=record["kind"],
                    position=position,
                )
            )
            session.flush()
        seen[record_id] = position  # the same record twice in one batch
    except (IntegrityError, DataError, ValueError, KeyError, TypeError, IngestRefused) as err:
        reason = str(getattr(err, "orig", None) or err).splitlines()[0][:500]
        return Answer(str(record_id), seq, "refused", error=reason)
    return Answer(str(record_id), seq, "stored", position)


def _lock_station(session: Session, station_id: str) -> None:
    if session.get_bind().dialect.name == "postgresql":
        key = zlib.crc32(f"sync:{station_id}".encode())
        session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": key})


def _store(session: Session, station_id: str, body: dict[str, Any]) -> int | None:
    event = body["event"]
    warehouse_id = event.get("warehouse_id")
    _ensure_station(session, station_id, warehouse_id)
    if "shipment" in body:
        _shipment_if_absent(session, body["shipment"])
    if "lot" in body:
        _merge_lot(session, body["lot"])
    if "inspection" in body:
        _merge_inspection(session, body["inspection"])
    stored = publish(
        session,
        kind=event["kind"],
        subject_id=uuid.UUID(event["subject_id"]),
        payload=event["payload"],
        warehouse_id=warehouse_id,
        station_id=event.get("station_id") or station_id,
        occurred_at=datetime.fromisoformat(event["occurred_at"]),
        event_id=uuid.UUID(event["id"]),
    )
    return stored.position


def _ensure_station(session: Session, station_id: str, warehouse_id: str | None) -> None:
    if session.get(Station, station_id) is not None:
        return
    if warehouse_id is None:
        raise IngestRefused(
            f"station {station_id} is unknown here and the record names no warehouse"
        )
    session.add(Station(id=station_id, warehouse_id=warehouse_id, name=station_id))
    session.flush()


def _shipment_if_absent(session: Session, data: dict[str, Any]) -> None:
    """A shipment the station announced itself; central's own copy always wins."""
    data = dict(data)
    lines = data.pop("lines", [])
    if session.get(Shipment, data["id"]) is not None:
        return
    session.add(row_from_dict(Shipment, data))
    session.add_all(row_from_dict(ShipmentLine, line) for line in lines)


def _merge_lot(session: Session, data: dict[str, Any]) -> None:
    data = dict(data)
    overrides = data.pop("overrides", [])
    incoming = row_from_dict(Lot, data)
    lot = session.get(Lot, incoming.id)
    if lot is None:
        session.add(incoming)
    else:
        changed = [k for k in data if k not in ("id", "created_at", "updated_at")
                   and getattr(lot, k) != getattr(incoming, k)]  # fmt: skip
        if set(changed) & set(_LOT_DECISION_FIELDS) and _central_overrode(
            session, Override.lot_id, lot.id, overrides
        ):
            changed = [k for k in changed if k not in _LOT_DECISION_FIELDS]
        for key in changed:
            setattr(lot, key, getattr(incoming, key))
    _add_overrides(session, overrides)


def _merge_inspection(session: Session, data: dict[str, Any]) -> None:
    data = dict(data)
    children = {name: data.pop(name, []) for name in CHILDREN}
    overrides = data.pop("overrides", [])
    data["operator_id"] = None  # station sign-ins are not central's users
    incoming = row_from_dict(Inspection, data)
    inspection = session.get(Inspection, incoming.id)
    if inspection is None:  # the usual case: a new inspection, with all its evidence
        session.add(incoming)
        session.add_all(row_from_dict(m, row) for n, m in CHILDREN.items() for row in children[n])
        _add_overrides(session, overrides)
        return
    overrode = _central_overrode(session, Override.inspection_id, inspection.id, overrides)
    for key in data:
        if key in ("id", "operator_id") or (overrode and key in _VERDICT_FIELDS):
            continue
        setattr(inspection, key, getattr(incoming, key))
    for name, model in CHILDREN.items():
        known = set(session.scalars(select(model.id).where(model.inspection_id == incoming.id)))
        for row in children[name]:
            if uuid.UUID(row["id"]) not in known:
                session.add(row_from_dict(model, row))
    _add_overrides(session, overrides)


def _central_overrode(session: Session, column, subject_id, station_overrides: list) -> bool:
    """Whether central holds an override the station does not know (central's own)."""
    theirs = {uuid.UUID(o["id"]) for o in station_overrides}
    ours = set(session.scalars(select(Override.id).where(column == subject_id)))
    return bool(ours - theirs)


def _add_overrides(session: Session, overrides: list[dict[str, Any]]) -> None:
    for data in overrides:
        if session.get(Override, uuid.UUID(data["id"])) is None:
            session.add(row_from_dict(Override, {**data, "user_id": None}))
