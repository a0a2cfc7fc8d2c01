"""What a station sends with each result event: the event and the records it is about.

Central needs the inspection (with its evidence rows and checks) or the lot to show
and override them, and the shipment when the station announced it itself. Photos
travel separately, by content hash (their hashes are listed in the outbox row).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from station.inspection.models import (
    CheckResult,
    Inspection,
    Lot,
    Override,
    PhotoEvidence,
    ResultEvent,
    ScanEvidence,
    WeightEvidence,
)
from station.reference.models import Shipment, ShipmentLine
from station.sync.rows import row_dict

# Evidence and checks of an inspection, in the order central inserts them.
CHILDREN = {
    "photos": PhotoEvidence,
    "weights": WeightEvidence,
    "scans": ScanEvidence,
    "checks": CheckResult,
}


def event_body(session: Session, event: ResultEvent) -> tuple[dict[str, Any], list[str]]:
    """The outbox body of an event and the SHA-256 of the photos it brings along."""
    event_row = row_dict(event)
    event_row.pop("position")  # central gives the event its own place in its feed
    body: dict[str, Any] = {"event": event_row}
    photos: list[str] = []
    if event.kind.startswith("inspection."):
        inspection = session.get(Inspection, event.subject_id)
        if inspection is not None:
            body["inspection"] = inspection_record(session, inspection)
            photos = [p["sha256"] for p in body["inspection"]["photos"]]
            lot = session.get(Lot, inspection.lot_id) if inspection.lot_id else None
            body.update(_lot_and_shipment(session, lot, inspection.shipment_id))
    elif event.kind.startswith("lot."):
        lot = session.get(Lot, event.subject_id)
        if lot is not None:
            body.update(_lot_and_shipment(session, lot, lot.shipment_id))
    return body, sorted(set(photos))


def inspection_record(session: Session, inspection: Inspection) -> dict[str, Any]:
    record = row_dict(inspection)
    for name, model in CHILDREN.items():
        rows = session.scalars(select(model).where(model.inspection_id == inspection.id))
        record[name] = [row_dict(r) for r in rows]
    overrides = session.scalars(select(Override).where(Override.inspection_id == inspection.id))
    record["overrides"] = [row_dict(o) for o in overrides]
    return record


def _lot_and_shipment(session: Session, lot: Lot | None, shipment_id: str | None) -> dict:
    found: dict[str, Any] = {}
    if lot is not None:
        found["lot"] = row_dict(lot)
        overrides = session.scalars(select(Override).where(Override.lot_id == lot.id))
        found["lot"]["overrides"] = [row_dict(o) for o in overrides]
    shipment = session.get(Shipment, shipment_id) if shipment_id else None
    if shipment is not None:
        found["shipment"] = row_dict(shipment)
        lines = session.scalars(select(ShipmentLine).where(ShipmentLine.shipment_id == shipment.id))
        found["shipment"]["lines"] = [row_dict(line) for line in lines]
    return found
