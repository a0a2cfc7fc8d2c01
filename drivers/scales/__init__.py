"""Scale protocols by name. Each module is a pure parser plus command writers."""

from __future__ import annotations

from typing import Any

from drivers.errors import DriverError
from drivers.scales import adam, cas, mtsics, nci, sma, toledo8217, toledo_continuous
from drivers.scales.base import BadFrame, Parsed, Reply, ScaleProtocol, Weighing

PROTOCOL_NAMES = (
    mtsics.NAME,
    toledo8217.NAME,
    toledo_continuous.NAME,
    nci.NAME,
    sma.NAME,
    cas.NAME,
    adam.NAME,
)

_OPTIONS = {
    toledo8217.NAME: ("unit",),
    toledo_continuous.NAME: ("checksum",),
}


def scale_protocol(name: str, **options: Any) -> ScaleProtocol:
    """The protocol called `name`, with its options (8217: unit; continuous: checksum)."""
    allowed = _OPTIONS.get(name, ())
    unknown = sorted(set(options) - set(allowed))
    if unknown:
        raise DriverError(
            f"protocol {name!r} has no option {', '.join(unknown)} "
            f"(options: {', '.join(allowed) or 'none'})"
        )
    try:
        if name == toledo8217.NAME:
            return toledo8217.protocol(**options)
        if name == toledo_continuous.NAME:
            return toledo_continuous.protocol(**options)
    except ValueError as err:
        raise DriverError(str(err)) from None
    fixed = {
        mtsics.NAME: mtsics.PROTOCOL,
        nci.NAME: nci.PROTOCOL,
        sma.NAME: sma.PROTOCOL,
        cas.NAME: cas.PROTOCOL,
        adam.NAME: adam.protocol(),
    }
    if name not in fixed:
        raise DriverError(f"unknown scale protocol {name!r} (known: {', '.join(PROTOCOL_NAMES)})")
    return fixed[name]


__all__ = [
    "PROTOCOL_NAMES",
    "BadFrame",
    "Parsed",
    "Reply",
    "ScaleProtocol",
    "Weighing",
    "scale_protocol",
]
