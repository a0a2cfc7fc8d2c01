"""What the machine asks the bench to do. The bench carries out every effect of a step
in one transaction; effects marked "answers with" give the machine an event back."""

from __future__ import annotations

import uuid
from typing import Literal

from pydantic import BaseModel, ConfigDict

from station.workflow.events import Photo, Scan, Weight
from station.workflow.state import ParcelScan, Tally, UnitState


class _Effect(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class FindShipment(_Effect):
    """Look the parcel up; answers with ShipmentFound or ShipmentUnknown."""

    kind: Literal["find_shipment"] = "find_shipment"
    parcel: ParcelScan


class RecordParcel(_Effect):
    """Record the parcel's own inspection (traceability); quarantine it when untraceable."""

    kind: Literal["record_parcel"] = "record_parcel"
    parcel: ParcelScan
    shipment_id: str | None
    reason: str | None = None


class OpenShipment(_Effect):
    kind: Literal["open_shipment"] = "open_shipment"
    shipment_id: str


class CloseShipment(_Effect):
    kind: Literal["close_shipment"] = "close_shipment"
    shipment_id: str
    status: Literal["closed", "quarantined"]
    reason: str


class OpenLot(_Effect):
    """Create the lot of an ASN line; answers with LotOpened."""

    kind: Literal["open_lot"] = "open_lot"
    shipment_id: str
    line_no: int


class CountLot(_Effect):
    """Record the counted quantity and the lot's quantity check."""

    kind: Literal["count_lot"] = "count_lot"
    lot_id: uuid.UUID
    counted: int


class PlanLot(_Effect):
    """Plan the sample and draw the units; answers with LotPlanned."""

    kind: Literal["plan_lot"] = "plan_lot"
    lot_id: uuid.UUID
    lot_size: int


class OpenUnit(_Effect):
    """Create the inspection of one sampled unit; answers with UnitOpened."""

    kind: Literal["open_unit"] = "open_unit"
    lot_id: uuid.UUID
    unit_no: int


class RecordScan(_Effect):
    kind: Literal["record_scan"] = "record_scan"
    inspection_id: uuid.UUID
    purpose: Literal["unit", "command"]
    scan: Scan


class RecordWeight(_Effect):
    kind: Literal["record_weight"] = "record_weight"
    inspection_id: uuid.UUID
    weight: Weight


class RecordPhoto(_Effect):
    """Keep a photo as evidence; `kept` False: the quality gate turned it down (retake)."""

    kind: Literal["record_photo"] = "record_photo"
    inspection_id: uuid.UUID
    face: str
    photo: Photo
    kept: bool = True


class EvaluateUnit(_Effect):
    """Run the checks, record the verdict; answers with UnitEvaluated."""

    kind: Literal["evaluate_unit"] = "evaluate_unit"
    lot_id: uuid.UUID
    unit: UnitState


class AbandonUnit(_Effect):
    kind: Literal["abandon_unit"] = "abandon_unit"
    inspection_id: uuid.UUID
    reason: str


class CloseLot(_Effect):
    """Record the lot decision (pending while units await review) and its disposition."""

    kind: Literal["close_lot"] = "close_lot"
    lot_id: uuid.UUID
    decision: Literal["accepted", "rejected", "pending"]
    disposition: Literal["accept_to_stock", "quarantine", "return_to_merchant"] | None
    tally: Tally


class AbandonLot(_Effect):
    kind: Literal["abandon_lot"] = "abandon_lot"
    lot_id: uuid.UUID
    reason: str


class Audit(_Effect):
    """An entry in the append-only audit log (supervisor permissions, skips, pauses)."""

    kind: Literal["audit"] = "audit"
    action: str
    actor: str
    detail: dict


Effect = (
    FindShipment
    | RecordParcel
    | OpenShipment
    | CloseShipment
    | OpenLot
    | CountLot
    | PlanLot
    | OpenUnit
    | RecordScan
    | RecordWeight
    | RecordPhoto
    | EvaluateUnit
    | AbandonUnit
    | CloseLot
    | AbandonLot
    | Audit
)
