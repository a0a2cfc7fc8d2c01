"""What one scan is: the result of `identify`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any


class Kind(StrEnum):
    GTIN = "gtin"
    GS1 = "gs1"
    GS1_DIGITAL_LINK = "gs1_digital_link"
    S10 = "s10"
    TRACKING = "tracking"
    SHIPMENT_QR = "shipment_qr"
    BENCH_COMMAND = "bench_command"
    UNKNOWN = "unknown"


# For people: what each kind is, in the bench's words.
KIND_NAMES = {
    Kind.GTIN: "product barcode (GTIN)",
    Kind.GS1: "GS1 barcode",
    Kind.GS1_DIGITAL_LINK: "GS1 Digital Link",
    Kind.S10: "postal item id (UPU S10)",
    Kind.TRACKING: "carrier tracking number",
    Kind.SHIPMENT_QR: "marketplace shipment QR",
    Kind.BENCH_COMMAND: "bench command card",
    Kind.UNKNOWN: "unrecognised scan",
}


@dataclass(frozen=True)
class Identification:
    """`valid` is False with a `reason` when the scan has the shape of `kind` but fails
    its checks (e.g. "check digit 7 expected, got 3"); `fields` hold what it says."""

    kind: Kind
    valid: bool
    text: str
    aim: str | None = None
    reason: str | None = None
    fields: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def invalid(
        cls, kind: Kind, text: str, reason: str, aim: str | None = None, **fields: Any
    ) -> Identification:
        return cls(kind=kind, valid=False, text=text, aim=aim, reason=reason, fields=fields)

    def to_json(self) -> dict[str, Any]:
        """Plain JSON types: dates as ISO 8601 text, decimals as text."""
        return {
            "kind": self.kind.value,
            "valid": self.valid,
            "reason": self.reason,
            "text": self.text,
            "aim": self.aim,
            "fields": {k: _plain(v) for k, v in self.fields.items()},
        }


def _plain(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value
