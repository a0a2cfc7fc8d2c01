"""What the results endpoints return."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict

from station.inspection.models import (
    DefectClass,
    Disposition,
    InspectionStatus,
    LotDecision,
    Outcome,
    ScanPurpose,
    Verdict,
)


class Model(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class InspectionSummary(Model):
    id: uuid.UUID
    href: str
    status: InspectionStatus
    verdict: Verdict | None  # after any override: what the marketplace acts on
    initial_verdict: Verdict | None
    defect_class: DefectClass | None
    warehouse_id: str | None
    station_id: str | None
    shipment_id: str | None
    lot_id: uuid.UUID | None
    listing_id: str | None
    merchant_id: str | None
    unit_no: int | None
    gtin: str | None
    serial: str | None
    batch: str | None
    expiry: date | None
    started_at: datetime
    completed_at: datetime | None


class CheckOut(Model):
    check: str
    outcome: Outcome
    measured: str | None
    expected: str | None
    defect_code: str | None
    defect_class: DefectClass | None
    reason: str
    details: dict[str, Any]


class DefectOut(Model):
    check: str
    code: str | None
    defect_class: DefectClass
    reason: str


class WeightOut(Model):
    value_mg: int
    unit: str
    stable: bool
    status: str
    device: str
    taken_at: datetime


class ScanOut(Model):
    purpose: ScanPurpose
    text: str
    symbology: str | None
    aim: str | None
    parsed: dict[str, Any]
    device: str
    scanned_at: datetime


class PhotoOut(Model):
    id: uuid.UUID
    face: str
    sha256: str
    media_type: str
    width: int
    height: int
    camera: str
    taken_at: datetime
    href: str


class OverrideOut(Model):
    actor: str
    from_value: str
    to_value: str
    reason: str
    created_at: datetime


class Link(BaseModel):
    href: str
    media_type: str


class InspectionDetail(InspectionSummary):
    checks: list[CheckOut]
    defects: list[DefectOut]
    weights: list[WeightOut]
    scans: list[ScanOut]
    photos: list[PhotoOut]
    overrides: list[OverrideOut]
    report: Link


class LotOut(Model):
    id: uuid.UUID
    href: str
    shipment_id: str
    line_no: int
    listing_id: str
    merchant_id: str
    warehouse_id: str
    station_id: str | None
    quantity: int
    scheme: str | None
    inspection_level: str | None
    severity: str | None
    code_letter: str | None
    sample_size: int | None
    plan: dict[str, Any]
    decision: LotDecision
    disposition: Disposition | None
    opened_at: datetime
    closed_at: datetime | None
    decided_by: str | None


class FeedEvent(Model):
    id: uuid.UUID
    cursor: str  # resume the feed right after this event
    kind: str
    subject_id: uuid.UUID
    warehouse_id: str | None
    station_id: str | None
    occurred_at: datetime
    payload: dict[str, Any]


class FeedPage(BaseModel):
    items: list[FeedEvent]
    next: str  # always given: store it and send it as `after` next time
