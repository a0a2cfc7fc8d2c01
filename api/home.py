"""The home page: what is in this installation's database."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from sqlalchemy import func, select

from api.deps import RuntimeDep, SessionDep
from api.templating import templates
from station import __version__
from station.fleet.models import Station
from station.reference.models import Brand, Listing, Merchant, Shipment

router = APIRouter()
ROWS = 12


@router.get("/", response_class=HTMLResponse, include_in_schema=False)
def home(request: Request, session: SessionDep, runtime: RuntimeDep) -> HTMLResponse:
    sections = [
        ("Merchants", Merchant, ("id", "legal_name", "kind", "status"), Merchant.id),
        ("Brands", Brand, ("id", "name", "owner_name", "status"), Brand.id),
        (
            "Listings",
            Listing,
            ("id", "title", "merchant_id", "brand_id", "category_id"),
            Listing.id,
        ),
        (
            "Shipments",
            Shipment,
            ("id", "merchant_id", "warehouse_id", "tracking_number", "s10_id", "status"),
            Shipment.id,
        ),
        ("Stations", Station, ("id", "warehouse_id", "name", "last_seen_at"), Station.id),
    ]
    tables = []
    for title, model, columns, order in sections:
        total = session.scalar(select(func.count()).select_from(model))
        rows = session.scalars(select(model).order_by(order).limit(ROWS)).all()
        tables.append(
            {
                "title": title,
                "total": total,
                "columns": columns,
                "rows": [[_cell(getattr(row, c)) for c in columns] for row in rows],
            }
        )
    context = {"tables": tables, "version": __version__, "role": runtime.settings.role}
    return templates.TemplateResponse(request, "home.html", context)


def _cell(value) -> str:
    if value is None:
        return "—"
    return str(getattr(value, "value", value))
