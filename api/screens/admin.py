"""The admin screens: users and stations, plus what the database holds."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import func, select

from api.deps import RuntimeDep
from api.screens.access import SignedIn, csrf_protect, role_required
from api.screens.pages import render
from station.access.models import Role, User
from station.access.users import LOCALES, InvalidUser, create_user, update_user
from station.fleet.models import Device, Station
from station.fleet.stations import InvalidStation, add_station, change_station
from station.reference.models import Brand, Listing, Merchant, Shipment, Warehouse

router = APIRouter(
    prefix="/admin",
    include_in_schema=False,
    dependencies=[Depends(csrf_protect)],
)
Admin = role_required(Role.ADMIN)
COUNTED = (
    ("admin.count.merchants", Merchant),
    ("admin.count.brands", Brand),
    ("admin.count.listings", Listing),
    ("admin.count.shipments", Shipment),
    ("admin.count.stations", Station),
    ("admin.count.users", User),
)


@router.get("")
def overview(request: Request, runtime: RuntimeDep, user: SignedIn = Admin) -> Response:
    with runtime.db.session() as session:
        counts = [
            (key, session.scalar(select(func.count()).select_from(model))) for key, model in COUNTED
        ]
    return render(request, "admin/overview.html", {"counts": counts}, user=user)


@router.get("/users")
def users(
    request: Request, runtime: RuntimeDep, user: SignedIn = Admin, done: str | None = None
) -> Response:
    return _users_page(request, runtime, user, done=done)


@router.post("/users")
def add_user(
    request: Request,
    runtime: RuntimeDep,
    user: SignedIn = Admin,
    username: str = Form(""),
    display_name: str = Form(""),
    role: str = Form(""),
    station: str = Form(""),
    password: str = Form(""),
    locale: str = Form("en"),
) -> Response:
    try:
        with runtime.db.transaction() as session:
            create_user(
                session,
                username=username.strip(),
                role=role,
                password=password,
                display_name=display_name or None,
                station_id=station or None,
                locale=locale,
                actor=user.username,
            )
    except InvalidUser as err:
        return _users_page(request, runtime, user, error=str(err), code=400)
    return RedirectResponse("/admin/users?done=user.created", 303)


@router.post("/users/{user_id}")
def change_user(
    request: Request,
    user_id: uuid.UUID,
    runtime: RuntimeDep,
    user: SignedIn = Admin,
    role: str = Form(""),
    station: str = Form(""),
    active: str = Form(""),
    password: str = Form(""),
) -> Response:
    if user_id == user.id and (role != Role.ADMIN.value or active != "on"):
        # An admin cannot lock themselves (and so possibly everyone) out.
        return _users_page(request, runtime, user, error_key="admin.error.self", code=400)
    try:
        with runtime.db.transaction() as session:
            update_user(
                session,
                user_id,
                actor=user.username,
                role=role or None,
                station_id=station,
                active=active == "on",
                password=password or None,
            )
    except InvalidUser as err:
        return _users_page(request, runtime, user, error=str(err), code=400)
    return RedirectResponse("/admin/users?done=user.changed", 303)


@router.get("/stations")
def stations(
    request: Request, runtime: RuntimeDep, user: SignedIn = Admin, done: str | None = None
) -> Response:
    return _stations_page(request, runtime, user, done=done)


@router.post("/stations")
def new_station(
    request: Request,
    runtime: RuntimeDep,
    user: SignedIn = Admin,
    station_id: str = Form(""),
    warehouse: str = Form(""),
    name: str = Form(""),
) -> Response:
    try:
        with runtime.db.transaction() as session:
            add_station(
                session,
                station_id=station_id.strip(),
                warehouse_id=warehouse,
                name=name,
                actor=user.username,
            )
    except InvalidStation as err:
        return _stations_page(request, runtime, user, error=str(err), code=400)
    return RedirectResponse("/admin/stations?done=station.created", 303)


@router.post("/stations/{station_id}")
def edit_station(
    request: Request,
    station_id: str,
    runtime: RuntimeDep,
    user: SignedIn = Admin,
    warehouse: str = Form(""),
    name: str = Form(""),
) -> Response:
    try:
        with runtime.db.transaction() as session:
            change_station(
                session, station_id, warehouse_id=warehouse, name=name, actor=user.username
            )
    except InvalidStation as err:
        return _stations_page(request, runtime, user, error=str(err), code=400)
    return RedirectResponse("/admin/stations?done=station.changed", 303)


def _users_page(request, runtime, user, *, done=None, error=None, error_key=None, code=200):
    with runtime.db.session() as session:
        rows = session.scalars(select(User).order_by(User.username)).all()
        station_ids = session.scalars(select(Station.id).order_by(Station.id)).all()
    context = {
        "users": rows,
        "roles": [r.value for r in Role],
        "stations": station_ids,
        "locales": LOCALES,
        "done": done,
        "error": error,
        "error_key": error_key,
    }
    return render(request, "admin/users.html", context, user=user, status_code=code)


def _stations_page(request, runtime, user, *, done=None, error=None, code=200):
    with runtime.db.session() as session:
        rows = session.scalars(select(Station).order_by(Station.id)).all()
        devices = dict(
            session.execute(
                select(Device.station_id, func.count()).group_by(Device.station_id)
            ).all()
        )
        warehouses = session.execute(select(Warehouse.id, Warehouse.name)).all()
    context = {
        "stations": rows,
        "devices": devices,
        "warehouses": warehouses,
        "done": done,
        "error": error,
    }
    return render(request, "admin/stations.html", context, user=user, status_code=code)
