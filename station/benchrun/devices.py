"""From device readings to workflow events: which readings the workflow needs (scans,
settled weights, the scale being loaded or emptied, device states) and which only the
screen shows (every weight reading, camera frames)."""

from __future__ import annotations

from dataclasses import dataclass, field

from drivers.readings import DeviceState, ScanReading, StableWeight, WeightReading
from station.workflow.events import DeviceStatus, Scan, Weight


@dataclass
class ScaleWatch:
    """Per scale: is something on it, and what status was last passed on."""

    empty_below_mg: int
    loaded: dict[str, bool] = field(default_factory=dict)
    status: dict[str, str] = field(default_factory=dict)

    def on_reading(self, reading: WeightReading) -> Weight | None:
        """A Weight event when the scale's situation changed, else None."""
        status = reading.status.value if hasattr(reading.status, "value") else str(reading.status)
        if status not in ("ok", "motion"):
            if self.status.get(reading.device) == status:
                return None
            self.status[reading.device] = status
            return Weight(milligrams=reading.milligrams, stable=False, status=status,
                          device=reading.device, at=reading.at)  # fmt: skip
        self.status[reading.device] = status
        if reading.milligrams is None:
            return None
        loaded = reading.milligrams >= self.empty_below_mg
        if loaded == self.loaded.get(reading.device, False):
            return None
        self.loaded[reading.device] = loaded
        # Loaded but not settled yet, or emptied: the workflow notices a lifted item.
        return Weight(milligrams=reading.milligrams, stable=False, status="ok",
                      device=reading.device, at=reading.at)  # fmt: skip


def scan_event(reading: ScanReading) -> Scan:
    return Scan(
        text=reading.text,
        aim=reading.aim,
        symbology=reading.symbology,
        device=reading.device,
        at=reading.at,
    )


def weight_event(stable: StableWeight) -> Weight:
    return Weight(
        milligrams=stable.milligrams, stable=True, status="ok", device=stable.device, at=stable.at
    )


def device_event(state: DeviceState) -> DeviceStatus | None:
    if state.kind not in ("scale", "camera", "scanner"):
        return None
    return DeviceStatus(
        device=state.device, kind=state.kind, state=state.state, reason=state.reason, at=state.at
    )
