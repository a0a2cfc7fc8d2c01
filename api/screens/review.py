"""The review queue and one inspection in full: photos, overlays, readings, checks."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import selectinload
from starlette.concurrency import run_in_threadpool

from api.deps import RuntimeDep
from api.screens.access import SignedIn, csrf_protect, role_required
from api.screens.pages import render, translator
from station.access.models import Role
from station.errors import NotFound
from station.inspection.models import Inspection
from station.reference.models import Listing
from station.reports.pdf import inspection_pdf
from station.review.service import ReviewRefused, decide_unit
from station.scorecards.lookups import listing_titles, review_queue

router = APIRouter(include_in_schema=False, dependencies=[Depends(csrf_protect)])
Supervisor = role_required(Role.SUPERVISOR, Role.ADMIN)
AnyoneSignedIn = role_required(Role.OPERATOR, Role.SUPERVISOR, Role.ADMIN)


@router.get("/dashboard/review")
def queue(request: Request, runtime: RuntimeDep, user: SignedIn = Supervisor) -> Response:
    return _queue_page(request, runtime, user)


def _queue_page(request, runtime, user, *, done=None, refused=(), code=200) -> Response:
    with runtime.db.session() as session:
        items = review_queue(session)
        titles = listing_titles(session, {i.listing_id for i in items if i.listing_id})
    context = {"items": items, "titles": titles, "done": done, "refused": list(refused)}
    return render(request, "dashboard/review.html", context, user=user, status_code=code)


@router.get("/dashboard/inspections/{inspection_id}")
def inspection(
    request: Request,
    inspection_id: uuid.UUID,
    runtime: RuntimeDep,
    user: SignedIn = Supervisor,
) -> Response:
    return _inspection_page(request, inspection_id, runtime, user)


def _inspection_page(request, inspection_id, runtime, user, error=None, code=200) -> Response:
    with runtime.db.session() as session:
        found = session.get(
            Inspection,
            inspection_id,
            options=[
                selectinload(Inspection.photos),
                selectinload(Inspection.weights),
                selectinload(Inspection.scans),
                selectinload(Inspection.checks),
                selectinload(Inspection.overrides),
            ],
        )
        if found is None:
            raise HTTPException(404)
        listing = (
            session.get(Listing, found.listing_id, options=[selectinload(Listing.images)])
            if found.listing_id
            else None
        )
    context = {
        "inspection": found,
        "listing": listing,
        "error": error,
        "done": request.query_params.get("done"),
    }
    return render(request, "dashboard/inspection.html", context, user=user, status_code=code)


@router.get("/evidence/{sha256}")
def evidence(sha256: str, runtime: RuntimeDep, user: SignedIn = AnyoneSignedIn) -> Response:
    """A photo or reference image from the evidence store (content never changes)."""
    try:
        data = runtime.evidence.read(sha256)
    except (ValueError, NotFound):
        raise HTTPException(404) from None
    media = "image/png" if data[:4] == b"\x89PNG" else "image/jpeg"
    if data[:4] == b"RIFF":
        media = "image/webp"
    return Response(data, media_type=media, headers={"Cache-Control": "private, max-age=86400"})


@router.post("/dashboard/inspections/{inspection_id}/decide")
def decide(
    request: Request,
    inspection_id: uuid.UUID,
    runtime: RuntimeDep,
    user: SignedIn = Supervisor,
    verdict: str = Form(""),
    defect_class: str = Form(""),
    reason: str = Form(""),
) -> Response:
    """A supervisor's decision on a unit in review, or an override of its verdict."""
    try:
        with runtime.db.transaction() as session:
            decide_unit(
                session,
                inspection_id,
                verdict=verdict,
                reason=reason,
                actor=user.username,
                defect_class=defect_class or None,
            )
    except (ReviewRefused, NotFound, ValueError) as err:
        message = (
            str(err)
            if not isinstance(err, ValueError)
            else translator(request)("review.error.verdict")
        )
        return _inspection_page(request, inspection_id, runtime, user, error=message, code=400)
    return RedirectResponse(f"/dashboard/inspections/{inspection_id}?done=1", 303)


@router.post("/dashboard/review/bulk")
async def bulk(request: Request, runtime: RuntimeDep, user: SignedIn = Supervisor) -> Response:
    """One decision with one reason for several units in review. Only units still
    awaiting review are touched: a decided unit is never overridden in bulk."""
    form = await request.form()
    ids = [uuid.UUID(v) for v in form.getlist("inspection") if _is_uuid(v)]
    verdict, reason = str(form.get("verdict", "")), str(form.get("reason", ""))
    done, refused = 0, []
    for inspection_id in ids:
        try:
            with runtime.db.transaction() as session:
                found = session.get(Inspection, inspection_id)
                if found is None or found.final_verdict is not None:
                    refused.append(str(inspection_id))
                    continue
                decide_unit(session, inspection_id, verdict=verdict, reason=reason,
                            actor=user.username)  # fmt: skip
                done += 1
        except (ReviewRefused, NotFound, ValueError) as err:
            refused.append(f"{inspection_id}: {err}")
    return await run_in_threadpool(
        _queue_page, request, runtime, user, done=done, refused=refused, code=200 if ids else 400
    )


def _is_uuid(value) -> bool:
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


@router.get("/dashboard/inspections/{inspection_id}/report.pdf")
def inspection_report(
    inspection_id: uuid.UUID, runtime: RuntimeDep, user: SignedIn = Supervisor
) -> Response:
    with runtime.db.session() as session:
        try:
            data = inspection_pdf(session, runtime.evidence, inspection_id)
        except NotFound:
            raise HTTPException(404) from None
    headers = {"Content-Disposition": f'inline; filename="inspection-{inspection_id}.pdf"'}
    return Response(data, media_type="application/pdf", headers=headers)
