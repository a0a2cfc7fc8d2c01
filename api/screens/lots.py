"""Shipments and lots: search by tracking number, S10 id, GTIN, serial or merchant;
a lot's sampling plan, defect counts per class, decision and disposition."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import func, select

from api.deps import RuntimeDep
from api.screens.access import SignedIn, csrf_protect, role_required
from api.screens.pages import render, translator
from station.access.models import Role
from station.errors import NotFound
from station.inspection.models import Disposition, Inspection, Lot, LotDecision
from station.reports.pdf import lot_pdf
from station.review.service import ReviewRefused, override_lot
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
    return _lot_page(request, lot_id, runtime, user)


def _lot_page(request, lot_id, runtime, user, error=None, code=200) -> Response:
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
        "decisions": [d.value for d in LotDecision if d is not LotDecision.PENDING],
        "dispositions": [d.value for d in Disposition],
        "error": error,
        "done": request.query_params.get("done"),
    }
    return render(request, "dashboard/lot.html", context, user=user, status_code=code)


@router.post("/dashboard/lots/{lot_id}/decide")
def decide_lot(
    request: Request,
    lot_id: uuid.UUID,
    runtime: RuntimeDep,
    user: SignedIn = Supervisor,
    decision: str = Form(""),
    disposition: str = Form(""),
    reason: str = Form(""),
) -> Response:
    """A supervisor's lot decision and disposition, replacing the computed ones."""
    try:
        with runtime.db.transaction() as session:
            override_lot(session, lot_id, decision=decision, disposition=disposition,
                         reason=reason, actor=user.username)  # fmt: skip
    except (ReviewRefused, NotFound) as err:
        return _lot_page(request, lot_id, runtime, user, error=str(err), code=400)
    except ValueError:
        error = translator(request)("lot.error.choice")
        return _lot_page(request, lot_id, runtime, user, error=error, code=400)
    return RedirectResponse(f"/dashboard/lots/{lot_id}?done=1", 303)


@router.get("/dashboard/lots/{lot_id}/report.pdf")
def lot_report(lot_id: uuid.UUID, runtime: RuntimeDep, user: SignedIn = Supervisor) -> Response:
    with runtime.db.session() as session:
        try:
            data = lot_pdf(session, lot_id)
        except NotFound:
            raise HTTPException(404) from None
    headers = {"Content-Disposition": f'inline; filename="lot-{lot_id}.pdf"'}
    return Response(data, media_type="application/pdf", headers=headers)
