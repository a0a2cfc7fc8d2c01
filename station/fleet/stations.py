"""Adding and changing stations (inspection benches) by hand, from the admin screen."""

from __future__ import annotations

import re

from sqlalchemy.orm import Session

from station.audit.models import record
from station.errors import StationError
from station.fleet.models import Station
from station.reference.models import Warehouse

STATION_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")


class InvalidStation(StationError):
    """A station could not be added or changed; the message names the field."""


def add_station(
    session: Session, *, station_id: str, warehouse_id: str, name: str, actor: str
) -> Station:
    if not STATION_ID.match(station_id):
        raise InvalidStation(
            f"station id {station_id!r}: use up to 64 letters, digits, '.', '_' or '-'"
        )
    if session.get(Station, station_id) is not None:
        raise InvalidStation(f"station id {station_id!r} is already taken")
    station = Station(
        id=station_id, warehouse_id=_warehouse(session, warehouse_id), name=_name(name)
    )
    session.add(station)
    record(
        session,
        actor=actor,
        action="station.create",
        subject_type="station",
        subject_id=station_id,
        warehouse_id=warehouse_id,
        name=station.name,
    )
    return station


def change_station(
    session: Session, station_id: str, *, warehouse_id: str, name: str, actor: str
) -> Station:
    station = session.get(Station, station_id)
    if station is None:
        raise InvalidStation(f"station {station_id!r} does not exist")
    before = {"warehouse_id": station.warehouse_id, "name": station.name}
    station.warehouse_id = _warehouse(session, warehouse_id)
    station.name = _name(name)
    after = {"warehouse_id": station.warehouse_id, "name": station.name}
    if before != after:
        record(
            session,
            actor=actor,
            action="station.update",
            subject_type="station",
            subject_id=station_id,
            before=before,
            after=after,
        )
    return station


def _warehouse(session: Session, warehouse_id: str) -> str:
    if session.get(Warehouse, warehouse_id) is None:
        raise InvalidStation(f"warehouse {warehouse_id!r} does not exist")
    return warehouse_id


def _name(name: str) -> str:
    name = name.strip()
    if not name:
        raise InvalidStation("name: a station needs a name")
    return name[:200]
