"""Device readings become workflow events: only what matters to the bench gets through."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from drivers.readings import (
    DeviceState,
    Frame,
    ScanReading,
    StableWeight,
    WeightReading,
    WeightStatus,
)
from station.workflow.devices import DeviceFeed

AT = datetime(2026, 6, 1, tzinfo=UTC)


class _Shell:
    class policy:
        empty_below_mg = 2000


def reading(mg: int | None, status: WeightStatus = WeightStatus.OK) -> WeightReading:
    value = None if mg is None else Decimal(mg) / 1000
    return WeightReading("scale", value, "g", mg, False, status, b"", AT)


def test_a_placement_gives_three_events_whatever_the_scale_chatter():
    feed = DeviceFeed(_Shell())  # type: ignore[arg-type]
    readings = [
        reading(0),
        reading(0),
        reading(90_000),
        reading(96_100),
        reading(96_000),
        StableWeight("scale", 96_000, AT),
        reading(96_000),
        reading(0),
        reading(0),
    ]
    events = [e for e in map(feed.translate, readings) if e is not None]
    assert [(e["milligrams"], e["stable"]) for e in events] == [
        (90_000, False),  # something was put on the pan
        (96_000, True),  # its one stable weight
        (0, False),  # lifted
    ]


def test_status_changes_and_scans_and_states_pass_frames_do_not():
    feed = DeviceFeed(_Shell())  # type: ignore[arg-type]
    over = [reading(None, WeightStatus.OVERLOAD), reading(None, WeightStatus.OVERLOAD)]
    assert [feed.translate(r) is not None for r in over] == [True, False]
    scan = feed.translate(ScanReading("scanner", "4006381333931", b"", "EAN-13", "]E0", False, AT))
    assert (scan["type"], scan["text"], scan["aim"]) == ("scan", "4006381333931", "]E0")
    state = feed.translate(DeviceState("scale", "scale", "disconnected", "unplugged", 1, AT))
    assert (state["type"], state["kind"], state["state"]) == ("device", "scale", "disconnected")
    assert feed.translate(Frame("cam", None, 1, AT)) is None
