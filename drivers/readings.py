"""What devices report: plain frozen records, the drivers' whole vocabulary to the outside.

Weights are `Decimal` in the device's unit plus integer milligrams; nothing is a float.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any


class WeightStatus(StrEnum):
    OK = "ok"
    MOTION = "motion"
    OVERLOAD = "overload"
    UNDERLOAD = "underload"
    ZERO_ERROR = "zero_error"
    DEVICE_ERROR = "device_error"
    UNKNOWN = "unknown"


class LinkState(StrEnum):
    CONNECTING = "connecting"
    READY = "ready"
    STALLED = "stalled"
    DISCONNECTED = "disconnected"


@dataclass(frozen=True)
class WeightReading:
    """One answer of a scale. `value`/`milligrams` are None whenever the device gave no weight."""

    device: str
    value: Decimal | None
    unit: str
    milligrams: int | None
    stable: bool
    status: WeightStatus
    raw: bytes
    at: datetime
    detail: str | None = None

    @property
    def grams(self) -> Decimal | None:
        return None if self.milligrams is None else Decimal(self.milligrams) / 1000

    def as_dict(self) -> dict[str, Any]:
        return {
            "device": self.device,
            "value": None if self.value is None else str(self.value),
            "unit": self.unit,
            "grams": None if self.grams is None else str(self.grams),
            "milligrams": self.milligrams,
            "stable": self.stable,
            "status": self.status.value,
            "raw": self.raw.decode("latin-1"),
            "at": self.at.isoformat(),
            "detail": self.detail,
        }


@dataclass(frozen=True)
class StableWeight:
    """The one settled weight of an item placed on the pan."""

    device: str
    milligrams: int
    at: datetime

    def as_dict(self) -> dict[str, Any]:
        return {"device": self.device, "milligrams": self.milligrams, "at": self.at.isoformat()}


@dataclass(frozen=True)
class ScanReading:
    device: str
    text: str
    raw: bytes
    symbology: str | None
    aim: str | None
    gs1: bool
    at: datetime

    def as_dict(self) -> dict[str, Any]:
        return {
            "device": self.device,
            "text": self.text,
            "raw": self.raw.decode("latin-1"),
            "symbology": self.symbology,
            "aim": self.aim,
            "gs1": self.gs1,
            "at": self.at.isoformat(),
        }


@dataclass(frozen=True)
class Frame:
    """One camera image (BGR, as OpenCV gives it) with its sequence number."""

    device: str
    image: Any = field(repr=False)  # numpy.ndarray, BGR
    seq: int
    at: datetime


@dataclass(frozen=True)
class DeviceState:
    device: str
    kind: str
    state: str
    reason: str
    reconnects: int
    at: datetime

    def as_dict(self) -> dict[str, Any]:
        return {
            "device": self.device,
            "kind": self.kind,
            "state": self.state,
            "reason": self.reason,
            "reconnects": self.reconnects,
            "at": self.at.isoformat(),
        }


Event = WeightReading | StableWeight | ScanReading | Frame | DeviceState
