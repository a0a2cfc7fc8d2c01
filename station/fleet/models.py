"""Stations and devices as the central side and the dashboard see them."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from station.db.base import Base, Timestamped, enum_type, new_id


class DeviceKind(StrEnum):
    SCALE = "scale"
    SCANNER = "scanner"
    CAMERA = "camera"


class Station(Timestamped, Base):
    """One inspection bench PC."""

    __tablename__ = "stations"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    warehouse_id: Mapped[str] = mapped_column(ForeignKey("warehouses.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    last_seen_at: Mapped[datetime | None]
    software_version: Mapped[str | None] = mapped_column(String(32))

    devices: Mapped[list[Device]] = relationship(
        back_populates="station", cascade="all, delete-orphan", order_by="Device.name"
    )


class Device(Timestamped, Base):
    """A scale, scanner or camera of a station, with its last known state."""

    __tablename__ = "devices"
    __table_args__ = (UniqueConstraint("station_id", "name"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    station_id: Mapped[str] = mapped_column(ForeignKey("stations.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(64))
    kind: Mapped[DeviceKind] = mapped_column(enum_type(DeviceKind))
    protocol: Mapped[str] = mapped_column(String(32))
    path: Mapped[str] = mapped_column(String(300))
    state: Mapped[str] = mapped_column(String(32), default="unknown")
    state_reason: Mapped[str | None] = mapped_column(String(500))
    last_reading: Mapped[dict[str, Any] | None]
    last_seen_at: Mapped[datetime | None]
    reconnects: Mapped[int] = mapped_column(default=0)

    station: Mapped[Station] = relationship(back_populates="devices")
