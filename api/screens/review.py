"""The review queue and one inspection in full: photos, overlays, readings, checks."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import Response
from sqlalchemy.orm import selectinload

from api.deps import RuntimeDep
from api.screens.access import SignedIn, csrf_protect, role_required
from api.screens.pages import render
from station.access.models import Role
from station.errors import NotFound
from station.inspection.models import Inspection
from station.reference.models import Listing
from station.scorecards.lookups import listing_titles, review_queue

router = APIRouter(include_in_schema=False, dependencies=[Depends(csrf_protect)])
Supervisor = role_required(Role.SUPERVISOR, Role.ADMIN)
AnyoneSignedIn = role_required(Role.OPERATOR, Role.SUPERVISOR, Role.ADMIN)


@router.get("/dashboard/review")
def queue(request: Request, runtime: RuntimeDep, user: SignedIn = Supervisor) -> Response:
    with runtime.db.session() as session:
        items = review_queue(session)
        titles = listing_titles(session, {i.listing_id for i in items if i.listing_id})
    context = {"items": items, "titles": titles}
    return render(request, "dashboard/review.html", context, user=user)


@router.get("/dashboard/inspections/{inspection_id}")
def inspection(
    request: Request,
    inspection_id: uuid.UUID,
    runtime: RuntimeDep,
    user: SignedIn = Supervisor,
) -> Response:
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
    context = {"inspection": found, "listing": listing}
    return render(request, "dashboard/inspection.html", context, user=user)


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
