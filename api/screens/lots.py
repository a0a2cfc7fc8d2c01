"""Shipments and lots: search by tracking number, S10 id, GTIN, serial or merchant;
a lot's sampling plan, defect counts per class, decision and disposition."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import Response
from sqlalchemy import func, select

from api.deps import RuntimeDep
from api.screens.access import SignedIn, csrf_protect, role_required
from api.screens.pages import render
from station.access.models import Role
from station.inspection.models import Inspection, Lot
from station.scorecards.lookups import listing_titles, search

router = APIRouter(include_in_schema=False, dependencies=[Depends(csrf_protect)])
Supervisor = role_required(Role.SUPERVISOR, Role.ADMIN)
RECENT = 30


@router.get("/dashboard/lots")
def lots(
    request: Request, runtime: RuntimeDep, user: SignedIn = Supervisor, q: str = ""
) -> Response:
    with runtime.db.session() as session:
        if q.strip():
            found = search(session, q)
            shipments, lots_, inspections = found.shipments, found.lots, found.inspections
        else:
            shipments, inspections = [], []
            lots_ = list(session.scalars(select(Lot).order_by(Lot.opened_at.desc()).limit(RECENT)))
        listing_ids = {lot.listing_id for lot in lots_} | {
            i.listing_id for i in inspections if i.listing_id
        }
        titles = listing_titles(session, listing_ids)
    context = {
        "q": q,
        "shipments": shipments,
        "lots": lots_,
        "inspections": inspections,
        "titles": titles,
        "searched": bool(q.strip()),
    }
    return render(request, "dashboard/lots.html", context, user=user)


@router.get("/dashboard/lots/{lot_id}")
def lot(
    request: Request, lot_id: uuid.UUID, runtime: RuntimeDep, user: SignedIn = Supervisor
) -> Response:
    with runtime.db.session() as session:
        found = session.get(Lot, lot_id)
        if found is None:
            raise HTTPException(404)
        counts = dict(
            session.execute(
                select(Inspection.defect_class, func.count())
                .where(Inspection.lot_id == lot_id, Inspection.defect_class.is_not(None))
                .group_by(Inspection.defect_class)
            ).all()
        )
        verdicts = dict(
            session.execute(
                select(Inspection.final_verdict, func.count())
                .where(Inspection.lot_id == lot_id)
                .group_by(Inspection.final_verdict)
            ).all()
        )
        units = list(
            session.scalars(
                select(Inspection).where(Inspection.lot_id == lot_id).order_by(Inspection.unit_no)
            )
        )
        titles = listing_titles(session, {found.listing_id})
    context = {
        "lot": found,
        "defects": {cls.value: n for cls, n in counts.items()},
        "verdicts": {(v.value if v else "open"): n for v, n in verdicts.items()},
        "units": units,
        "titles": titles,
    }
    return render(request, "dashboard/lot.html", context, user=user)
