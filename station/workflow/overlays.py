"""What the visual checks saw, kept with the unit's photos for the reviewer.

Each kept photo's `analysis` gets the listing-match decision (outcome, score, inliers,
colour agreement, margin over the closest sibling, reason) and the brand-mark
outcome; the photo the match was found on also gets `overlay_sha256`, the overlay
picture (matched reference beside the photo, region and points drawn) in the
evidence store. The dashboard and the bench screen show that picture.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from station.evidence import EvidenceStore
from station.inspection.models import PhotoEvidence
from station.workflow.state import UnitState


def record_visual_evidence(
    session: Session,
    evidence: EvidenceStore | None,
    unit: UnitState,
    match: Any | None,
    mark: Any | None,
) -> None:
    """Write the decisions onto the unit's kept photos (in the caller's transaction)."""
    if match is None and mark is None:
        return
    rows = session.scalars(
        select(PhotoEvidence).where(PhotoEvidence.inspection_id == unit.inspection_id)
    ).all()
    kept = {r.face: r for r in rows if unit.photos.get(r.face) == r.sha256}
    first: dict[str, str] = {}  # sha -> first face: the checks see each picture once
    for face, sha in unit.photos.items():
        first.setdefault(sha, face)
    faces = list(first.values())
    overlay_face, overlay_sha = _overlay(evidence, match, faces)
    for face, row in kept.items():
        analysis = dict(row.analysis or {})
        if match is not None:
            analysis["match"] = match_summary(match)
        if mark is not None:
            analysis["brand_mark"] = {
                "outcome": mark.outcome,
                "score": round(float(mark.score), 4),
                "reason": mark.reason,
            }
        if face == overlay_face:
            analysis["overlay_sha256"] = overlay_sha
        row.analysis = analysis  # a new dict, so the JSON column is written


def match_summary(match: Any) -> dict:
    return {
        "outcome": match.outcome,
        "score": round(float(match.score), 4),
        "inliers": int(match.inliers),
        "colour_agreement": _number(match.colour_agreement),
        "margin": _number(match.margin),
        "closest_sibling": match.closest_sibling,
        "reference_index": match.reference_index,
        "reason": match.reason,
    }


def _overlay(evidence, match, faces: list[str]) -> tuple[str | None, str | None]:
    picture = getattr(match, "overlay_png", None)
    view = getattr(match, "view_index", None)
    if evidence is None or not picture or view is None or not 0 <= view < len(faces):
        return None, None
    return faces[view], evidence.put(picture).sha256


def _number(value) -> float | None:
    return None if value is None else round(float(value), 4)
