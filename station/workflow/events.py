"""What can happen at a bench. Every event is plain data with a `type`; a script file is
one JSON object per line in exactly this shape (see docs/workflow.md, "Script format")."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

from station.workflow.state import LineView, ParcelScan, PlanView, ShipmentView


class _Event(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    at: datetime | None = None  # filled in by the bench when missing


# --- from the operator -----------------------------------------------------------
class SignIn(_Event):
    type: Literal["sign_in"] = "sign_in"
    operator: str = Field(min_length=1, max_length=100)


class SignOut(_Event):
    type: Literal["sign_out"] = "sign_out"


class Answer(_Event):
    """A checklist answer (yes/no), or a typed value for "serial" or "expiry" (YYYY-MM-DD)."""

    type: Literal["answer"] = "answer"
    question: str
    value: str


class Count(_Event):
    type: Literal["count"] = "count"
    quantity: int = Field(ge=0)


class Command(_Event):
    """A bench command: NEXT, RETAKE, SKIP, DAMAGED, SUPERVISOR, ABANDON, CONFIRM, CANCEL."""

    type: Literal["command"] = "command"
    name: str
    argument: str | None = None


class Tick(_Event):
    """Time passes (the bench sends one every few seconds)."""

    type: Literal["tick"] = "tick"


# --- from devices ----------------------------------------------------------------
class Identification(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    kind: str
    valid: bool
    reason: str | None = None
    fields: dict = Field(default_factory=dict)


class Scan(_Event):
    type: Literal["scan"] = "scan"
    text: str
    aim: str | None = None
    symbology: str | None = None
    device: str = "scanner"
    # What the text is; the bench fills it in (station.identifiers.identify) when missing.
    identification: Identification | None = None


class Weight(_Event):
    type: Literal["weight"] = "weight"
    milligrams: int | None
    stable: bool
    status: str = "ok"
    device: str = "scale"


class Photo(_Event):
    """A photo already in the evidence store (the bench stores the bytes first)."""

    type: Literal["photo"] = "photo"
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    face: str | None = None
    camera: str = "camera"
    width: int = Field(default=0, ge=0)
    height: int = Field(default=0, ge=0)
    media_type: str = "image/png"
    # The photo quality gate's verdict (vision.quality problem codes, e.g. "blurry") and
    # its measurements; the bench fills both in when `quality` is None.
    problems: list[str] = Field(default_factory=list)
    quality: dict | None = None


class DeviceStatus(_Event):
    type: Literal["device"] = "device"
    device: str
    kind: Literal["scale", "camera", "scanner"]
    state: str  # connecting, ready, stalled, disconnected
    reason: str = ""


# --- answers the bench gives the machine to its own effects ------------------------
class ShipmentFound(_Event):
    type: Literal["shipment_found"] = "shipment_found"
    shipment: ShipmentView


class ShipmentUnknown(_Event):
    type: Literal["shipment_unknown"] = "shipment_unknown"
    reason: str


class LotOpened(_Event):
    type: Literal["lot_opened"] = "lot_opened"
    lot_id: uuid.UUID
    line: LineView


class LotPlanned(_Event):
    type: Literal["lot_planned"] = "lot_planned"
    plan: PlanView


class UnitOpened(_Event):
    type: Literal["unit_opened"] = "unit_opened"
    inspection_id: uuid.UUID


class UnitEvaluated(_Event):
    type: Literal["unit_evaluated"] = "unit_evaluated"
    verdict: Literal["pass", "fail", "review"]
    defect_class: Literal["critical", "major", "minor"] | None = None
    reason_en: str = ""
    reason_zh: str = ""


OperatorEvent = SignIn | SignOut | Answer | Count | Command | Tick
DeviceEvent = Scan | Weight | Photo | DeviceStatus
Response = ShipmentFound | ShipmentUnknown | LotOpened | LotPlanned | UnitOpened | UnitEvaluated
Event = Annotated[OperatorEvent | DeviceEvent | Response, Field(discriminator="type")]
EXTERNAL_TYPES = frozenset(
    t.model_fields["type"].default for t in (*OperatorEvent.__args__, *DeviceEvent.__args__)
)

event_adapter: TypeAdapter[Event] = TypeAdapter(Event)

__all__ = ["EXTERNAL_TYPES", "Event", "ParcelScan", "event_adapter"]
