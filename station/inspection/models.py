"""What the bench records. Ids are UUIDv7, made at the station where the record is born."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import BigInteger, ForeignKey, ForeignKeyConstraint, Index, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from station.clock import utcnow
from station.db.base import Base, Timestamped, enum_type, new_id


class Verdict(StrEnum):
    PASS = "pass"
    FAIL = "fail"
    REVIEW = "review"


class Outcome(StrEnum):
    PASS = "pass"
    FAIL = "fail"
    REVIEW = "review"
    NOT_APPLICABLE = "not_applicable"


class DefectClass(StrEnum):
    CRITICAL = "critical"
    MAJOR = "major"
    MINOR = "minor"


class InspectionStatus(StrEnum):
    OPEN = "open"
    COMPLETED = "completed"
    ABANDONED = "abandoned"


class LotStatus(StrEnum):
    OPEN = "open"
    CLOSED = "closed"
    ABANDONED = "abandoned"


class LotDecision(StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    REJECTED = "rejected"


class Disposition(StrEnum):
    ACCEPT_TO_STOCK = "accept_to_stock"
    QUARANTINE = "quarantine"
    RETURN_TO_MERCHANT = "return_to_merchant"


class ScanPurpose(StrEnum):
    PARCEL = "parcel"
    UNIT = "unit"
    COMMAND = "command"


class Lot(Timestamped, Base):
    """What actually arrived for one ASN line, and its sampling plan."""

    __tablename__ = "lots"
    __table_args__ = (
        ForeignKeyConstraint(
            ["shipment_id", "line_no"], ["shipment_lines.shipment_id", "shipment_lines.line_no"]
        ),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    shipment_id: Mapped[str] = mapped_column(ForeignKey("shipments.id"), index=True)
    line_no: Mapped[int]
    listing_id: Mapped[str] = mapped_column(ForeignKey("listings.id"), index=True)
    station_id: Mapped[str | None] = mapped_column(ForeignKey("stations.id"))
    quantity: Mapped[int]
    status: Mapped[LotStatus] = mapped_column(enum_type(LotStatus, 16), default=LotStatus.OPEN)
    # What the operator counted, and the lot's own checks (quantity vs the ASN).
    received_quantity: Mapped[int | None]
    findings: Mapped[list[Any]] = mapped_column(default=list)
    scheme: Mapped[str | None] = mapped_column(String(32))
    inspection_level: Mapped[str | None] = mapped_column(String(8))
    severity: Mapped[str | None] = mapped_column(String(16))
    code_letter: Mapped[str | None] = mapped_column(String(2))
    sample_size: Mapped[int | None]
    # The plan as drawn (station.workflow.state.PlanView): mode, scheme, severity, the draw
    # order of unit numbers, per class {aql, code_letter, sample_size, judged_on, accept, reject}.
    plan: Mapped[dict[str, Any]] = mapped_column(default=dict)
    seed: Mapped[int | None] = mapped_column(BigInteger)
    decision: Mapped[LotDecision] = mapped_column(
        enum_type(LotDecision), default=LotDecision.PENDING
    )
    disposition: Mapped[Disposition | None] = mapped_column(enum_type(Disposition))
    opened_at: Mapped[datetime] = mapped_column(default=utcnow)
    closed_at: Mapped[datetime | None]
    decided_by: Mapped[str | None] = mapped_column(String(100))

    inspections: Mapped[list[Inspection]] = relationship(back_populates="lot")


class Inspection(Base):
    """One unit (or one parcel) inspected at one station by one operator."""

    __tablename__ = "inspections"
    __table_args__ = (
        Index("ix_inspections_completed_at_id", "completed_at", "id"),
        Index("ix_inspections_listing_serial", "listing_id", "serial"),
        # Duplicate-serial look-ups: a serial belongs to a GTIN, whoever lists it.
        Index("ix_inspections_gtin_serial", "gtin", "serial"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    lot_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("lots.id"), index=True)
    shipment_id: Mapped[str | None] = mapped_column(ForeignKey("shipments.id"), index=True)
    listing_id: Mapped[str | None] = mapped_column(ForeignKey("listings.id"))
    warehouse_id: Mapped[str | None] = mapped_column(ForeignKey("warehouses.id"), index=True)
    station_id: Mapped[str | None] = mapped_column(ForeignKey("stations.id"), index=True)
    operator_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    # Who inspected, as signed in at the bench (a user name, also without a user record).
    operator_name: Mapped[str | None] = mapped_column(String(100))
    unit_no: Mapped[int | None]
    status: Mapped[InspectionStatus] = mapped_column(
        enum_type(InspectionStatus), default=InspectionStatus.OPEN
    )
    verdict: Mapped[Verdict | None] = mapped_column(enum_type(Verdict))
    # The verdict after any supervisor override; what the marketplace acts on.
    final_verdict: Mapped[Verdict | None] = mapped_column(enum_type(Verdict), index=True)
    defect_class: Mapped[DefectClass | None] = mapped_column(enum_type(DefectClass))
    gtin: Mapped[str | None] = mapped_column(String(14))
    serial: Mapped[str | None] = mapped_column(String(64))
    batch: Mapped[str | None] = mapped_column(String(64))
    expiry: Mapped[date | None]
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    completed_at: Mapped[datetime | None]

    lot: Mapped[Lot | None] = relationship(back_populates="inspections")
    photos: Mapped[list[PhotoEvidence]] = relationship(
        back_populates="inspection", cascade="all, delete-orphan", order_by="PhotoEvidence.taken_at"
    )
    weights: Mapped[list[WeightEvidence]] = relationship(
        back_populates="inspection",
        cascade="all, delete-orphan",
        order_by="WeightEvidence.taken_at",
    )
    scans: Mapped[list[ScanEvidence]] = relationship(
        back_populates="inspection",
        cascade="all, delete-orphan",
        order_by="ScanEvidence.scanned_at",
    )
    checks: Mapped[list[CheckResult]] = relationship(
        back_populates="inspection", cascade="all, delete-orphan", order_by="CheckResult.position"
    )
    overrides: Mapped[list[Override]] = relationship(
        back_populates="inspection", order_by="Override.created_at"
    )


class PhotoEvidence(Base):
    __tablename__ = "evidence_photos"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    inspection_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("inspections.id", ondelete="CASCADE"), index=True
    )
    face: Mapped[str] = mapped_column(String(32))
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    media_type: Mapped[str] = mapped_column(String(64))
    width: Mapped[int]
    height: Mapped[int]
    camera: Mapped[str] = mapped_column(String(64))
    taken_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Photo quality gate result and the listing-match evidence, as computed.
    analysis: Mapped[dict[str, Any]] = mapped_column(default=dict)

    inspection: Mapped[Inspection] = relationship(back_populates="photos")


class WeightEvidence(Base):
    __tablename__ = "evidence_weights"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    inspection_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("inspections.id", ondelete="CASCADE"), index=True
    )
    value_mg: Mapped[int] = mapped_column(BigInteger)
    unit: Mapped[str] = mapped_column(String(8))
    stable: Mapped[bool]
    status: Mapped[str] = mapped_column(String(16))
    device: Mapped[str] = mapped_column(String(64))
    raw: Mapped[bytes | None] = mapped_column(LargeBinary)
    taken_at: Mapped[datetime] = mapped_column(default=utcnow)

    inspection: Mapped[Inspection] = relationship(back_populates="weights")


class ScanEvidence(Base):
    __tablename__ = "evidence_scans"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    inspection_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("inspections.id", ondelete="CASCADE"), index=True
    )
    purpose: Mapped[ScanPurpose] = mapped_column(enum_type(ScanPurpose))
    text: Mapped[str] = mapped_column(String(4000))
    symbology: Mapped[str | None] = mapped_column(String(32))
    aim: Mapped[str | None] = mapped_column(String(3))
    raw: Mapped[bytes | None] = mapped_column(LargeBinary)
    parsed: Mapped[dict[str, Any]] = mapped_column(default=dict)
    device: Mapped[str] = mapped_column(String(64))
    scanned_at: Mapped[datetime] = mapped_column(default=utcnow)

    inspection: Mapped[Inspection] = relationship(back_populates="scans")


class CheckResult(Base):
    __tablename__ = "check_results"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    inspection_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("inspections.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(default=0)
    check: Mapped[str] = mapped_column(String(32))
    outcome: Mapped[Outcome] = mapped_column(enum_type(Outcome))
    measured: Mapped[str | None] = mapped_column(String(500))
    expected: Mapped[str | None] = mapped_column(String(500))
    defect_code: Mapped[str | None] = mapped_column(String(64))
    defect_class: Mapped[DefectClass | None] = mapped_column(enum_type(DefectClass))
    reason: Mapped[str] = mapped_column(String(1000), default="")
    reason_zh: Mapped[str] = mapped_column(String(1000), default="")
    details: Mapped[dict[str, Any]] = mapped_column(default=dict)

    inspection: Mapped[Inspection] = relationship(back_populates="checks")


class Override(Base):
    """A supervisor's change of a verdict or lot decision. Append-only."""

    __tablename__ = "overrides"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    inspection_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("inspections.id"), index=True
    )
    lot_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("lots.id"), index=True)
    user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    actor: Mapped[str] = mapped_column(String(100))
    from_value: Mapped[str] = mapped_column(String(32))
    to_value: Mapped[str] = mapped_column(String(32))
    reason: Mapped[str] = mapped_column(String(1000))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    inspection: Mapped[Inspection | None] = relationship(back_populates="overrides")


class ResultEvent(Base):
    """An immutable record the marketplace reads: a verdict, an override or a lot
    decision. `position` orders the feed and is assigned where the feed is served."""

    __tablename__ = "result_events"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    position: Mapped[int | None] = mapped_column(BigInteger, unique=True)
    kind: Mapped[str] = mapped_column(String(64))
    subject_id: Mapped[uuid.UUID] = mapped_column(index=True)
    warehouse_id: Mapped[str | None] = mapped_column(String(64), index=True)
    station_id: Mapped[str | None] = mapped_column(String(64))
    occurred_at: Mapped[datetime] = mapped_column(default=utcnow)
    payload: Mapped[dict[str, Any]] = mapped_column(default=dict)
