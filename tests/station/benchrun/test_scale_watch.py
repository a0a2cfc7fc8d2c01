"""Which scale readings reach the workflow: settled weights, the scale being loaded or
emptied, and status changes; never the stream of every reading."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from drivers.readings import StableWeight, WeightReading, WeightStatus
from station.benchrun.devices import ScaleWatch, weight_event

AT = datetime(2026, 11, 20, tzinfo=UTC)


def reading(mg: int | None, stable: bool = False, status=WeightStatus.OK) -> WeightReading:
    value = None if mg is None else Decimal(mg) / 1000
    return WeightReading("scale", value, "g", mg, stable, status, b"", AT)


def test_only_changes_of_situation_go_on():
    watch = ScaleWatch(empty_below_mg=2000)
    stream = [reading(0), reading(0), reading(500_000), reading(640_000), reading(640_100, True)]
    events = [watch.on_reading(r) for r in stream]
    assert [e is not None for e in events] == [False, False, True, False, False]
    loaded = events[2]
    assert (loaded.milligrams, loaded.stable, loaded.status) == (500_000, False, "ok")
    # Lifted off: one event, so the workflow can tell an item lifted before it settled.
    emptied = [watch.on_reading(r) for r in (reading(1500), reading(0), reading(0))]
    assert [e is not None for e in emptied] == [True, False, False]


def test_a_fault_status_goes_on_once_and_recovery_is_noticed():
    watch = ScaleWatch(empty_below_mg=2000)
    faults = [watch.on_reading(reading(None, status=WeightStatus.OVERLOAD)) for _ in range(3)]
    assert [f is not None for f in faults] == [True, False, False]
    assert faults[0].status == "overload"
    assert watch.on_reading(reading(300_000)) is not None


def test_a_settled_weight_is_a_stable_weight_event():
    event = weight_event(StableWeight("scale", 640_000, AT))
    assert (event.milligrams, event.stable, event.status, event.device) == (
        640_000,
        True,
        "ok",
        "scale",
    )
