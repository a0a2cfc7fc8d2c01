"""The bench's state: plain data, saved as JSON after every step.

What the machine knows about the shipment, its lines, the open lot and the unit on
the bench; nothing here refers to the database or a device.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field


class Phase(StrEnum):
    SIGNED_OUT = "signed_out"  # nobody at the bench
    IDLE = "idle"  # waiting for a parcel scan
    FINDING_SHIPMENT = "finding_shipment"  # looking up the ASN (inside one step)
    OPENING_LOT = "opening_lot"  # creating the lot of the next ASN line (inside one step)
    COUNTING = "counting"  # waiting for the operator's count of the line
    PLANNING = "planning"  # drawing the sample (inside one step)
    OPENING_UNIT = "opening_unit"  # creating the next unit's inspection (inside one step)
    INSPECTING = "inspecting"  # collecting scans, weight, photos, answers
    EVALUATING = "evaluating"  # running the checks (inside one step)
    LOT_COMPLETE = "lot_complete"  # every sampled unit has a verdict; waiting for CONFIRM
    PAUSED = "paused"  # the operator walked away


# Phases that exist only between an effect and its answer, within one transaction.
TRANSIENT = frozenset(
    {
        Phase.FINDING_SHIPMENT,
        Phase.OPENING_LOT,
        Phase.PLANNING,
        Phase.OPENING_UNIT,
        Phase.EVALUATING,
    }
)


class Data(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Notice(Data):
    """The last thing the bench told the operator."""

    level: str = "info"  # info, warning, error
    en: str
    zh: str


class ParcelScan(Data):
    text: str
    kind: str
    valid: bool
    reason: str | None = None
    fields: dict = Field(default_factory=dict)


class LineView(Data):
    """One ASN line and what inspecting a unit of it takes."""

    line_no: int
    listing_id: str
    title: str
    quantity: int
    gtins: list[str]  # GTIN-14
    requires_serial: bool
    requires_expiry: bool
    rules: str
    photo_faces: list[str]
    questions: list[str]
    done: bool = False


class ShipmentView(Data):
    id: str
    merchant_id: str
    warehouse_id: str
    tracking_number: str | None = None
    s10_id: str | None = None
    lines: list[LineView]

    @property
    def traceable(self) -> bool:
        return bool(self.tracking_number or self.s10_id)

    def line(self, line_no: int) -> LineView | None:
        return next((x for x in self.lines if x.line_no == line_no), None)

    def line_with_gtin(self, gtin: str) -> LineView | None:
        return next((x for x in self.lines if gtin in x.gtins), None)


class ClassPlan(Data):
    """One defect class's single sampling plan (after any arrow of the table)."""

    aql: str
    code_letter: str
    sample_size: int  # the plan's n
    judged_on: int  # the first units in draw order this class is judged on
    accept: int
    reject: int


class PlanView(Data):
    """The sampling plan of a lot and the units drawn for it (station.sampling)."""

    mode: str = "sample"  # sample, hundred_percent or skip (merchant indicators)
    scheme: str
    level: str
    severity: str
    code_letter: str  # Table 1's letter for the lot size, before any arrow
    lot_size: int
    sample_size: int
    hundred_percent: bool
    seed: int
    units: list[int]  # 1-based unit numbers to inspect, in draw order
    classes: dict[str, ClassPlan]
    rule: str = ""


class Tally(Data):
    passed: int = 0
    failed: int = 0
    review: int = 0
    # Defective units by their most serious class (critical, major, minor).
    defectives: dict[str, int] = Field(default_factory=dict)


class UnitState(Data):
    unit_no: int
    index: int  # position in the sample
    inspection_id: uuid.UUID | None = None
    gtin: str | None = None
    serial: str | None = None
    batch: str | None = None
    expiry: date | None = None
    weight_mg: int | None = None
    weighing: bool = False  # something is on the scale and has not settled yet
    photos: dict[str, str] = Field(default_factory=dict)  # face -> sha256, in order taken
    retakes: dict[str, int] = Field(default_factory=dict)  # face -> photos the gate turned down
    # face -> quality problems of its last photo: turned down (retake), or taken at the limit
    photo_problems: dict[str, list[str]] = Field(default_factory=dict)
    answers: dict[str, str] = Field(default_factory=dict)
    skipped: dict[str, str] = Field(default_factory=dict)  # step -> reason
    waived: dict[str, str] = Field(default_factory=dict)  # device kind -> supervisor
    damaged: bool = False


class LotState(Data):
    lot_id: uuid.UUID
    line_no: int
    counted: int | None = None
    plan: PlanView | None = None
    next_index: int = 0  # how many sampled units have a verdict
    verdicts: dict[int, str] = Field(default_factory=dict)  # unit no -> verdict
    # unit no -> class of its most serious defect, for units with a final verdict
    defects: dict[int, str] = Field(default_factory=dict)
    tally: Tally = Field(default_factory=Tally)


class BenchState(Data):
    phase: Phase = Phase.SIGNED_OUT
    operator: str | None = None
    parcel: ParcelScan | None = None
    shipment: ShipmentView | None = None
    lot: LotState | None = None
    unit: UnitState | None = None
    devices_down: dict[str, str] = Field(default_factory=dict)  # kind -> why
    waivers: dict[str, str] = Field(default_factory=dict)  # kind -> supervisor
    confirming: str | None = None  # an action waiting for CONFIRM / CANCEL
    paused_from: Phase | None = None
    last_activity: datetime | None = None
    notice: Notice | None = None
    steps: int = 0

    def current_line(self) -> LineView | None:
        if self.shipment is None or self.lot is None:
            return None
        return self.shipment.line(self.lot.line_no)
