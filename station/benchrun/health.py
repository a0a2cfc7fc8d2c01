"""What a running bench tells the dashboard about itself: each device's state and
reconnects (the fleet's Device rows) and when the station was last seen."""

from __future__ import annotations

import logging
import time

from sqlalchemy import select

from drivers.readings import DeviceState
from station.clock import utcnow
from station.db.engine import Database
from station.fleet.models import Device, DeviceKind, Station

log = logging.getLogger(__name__)
SEEN_EVERY_S = 10.0


class DeviceLog:
    def __init__(self, db: Database, station_id: str, paths: dict[str, tuple[str, str]]) -> None:
        """paths: device name -> (protocol, path) from the devices file."""
        self.db, self.station_id, self.paths = db, station_id, paths
        self._seen_at = 0.0

    def record(self, state: DeviceState) -> None:
        try:
            with self.db.transaction() as session:
                if session.get(Station, self.station_id) is None:
                    return
                row = session.scalar(
                    select(Device).where(
                        Device.station_id == self.station_id, Device.name == state.device
                    )
                )
                if row is None:
                    protocol, path = self.paths.get(state.device, ("", ""))
                    row = Device(
                        station_id=self.station_id,
                        name=state.device,
                        kind=DeviceKind(state.kind),
                        protocol=protocol,
                        path=path,
                    )
                    session.add(row)
                row.state, row.state_reason = state.state, state.reason or None
                row.reconnects, row.last_seen_at = state.reconnects, state.at
        except Exception:
            # The dashboard's view of a device must never stop the bench itself.
            log.exception("could not record the state of device %s", state.device)

    def seen(self) -> None:
        if time.monotonic() - self._seen_at < SEEN_EVERY_S:
            return
        self._seen_at = time.monotonic()
        try:
            with self.db.transaction() as session:
                station = session.get(Station, self.station_id)
                if station is not None:
                    station.last_seen_at = utcnow()
        except Exception:
            log.exception("could not record that station %s was seen", self.station_id)
