"""The listing-level decision: every reference image against every bench view,
and the same for the listing's siblings (same brand, same category).

match     the listing's best score reaches `match` and beats every sibling by
          at least `margin`;
mismatch  a sibling matches and beats the listing by `margin` (the item is that
          sibling), or nothing of the listing is found (best score below
          `mismatch`);
review    anything in between: a weak match, or a sibling too close to call.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from vision.errors import VisionError
from vision.match.features import Features
from vision.match.overlay import overlay_png
from vision.match.verify import NO_MATCH, Comparison, compare

Outcome = Literal["match", "mismatch", "review"]


@dataclass(frozen=True)
class MatchThresholds:
    """Score limits, calibrated on labelled pairs (see station/matching/calibrate.py)."""

    match: float  # at or above: the same product (false accepts ~1 % on the calibration set)
    mismatch: float  # below: a different product, or the item does not show the listing
    margin: float  # how far the listing must lead its closest sibling

    def __post_init__(self) -> None:
        if not (0 <= self.mismatch <= self.match) or self.margin < 0:
            raise VisionError(
                f"thresholds must satisfy 0 <= mismatch <= match and margin >= 0, got {self}"
            )


@dataclass(frozen=True)
class MatchDecision:
    outcome: Outcome
    score: float
    reference_index: int | None  # which listing image matched best
    inliers: int
    colour_agreement: float | None
    margin: float | None  # listing score minus the closest sibling's
    closest_sibling: str | None
    overlay_png: bytes | None  # the bench view with the matched region outlined
    reason: str
    view_index: int | None = None  # which bench view the overlay shows


@dataclass(frozen=True)
class BestMatch:
    score: float
    reference_index: int | None
    view_index: int | None
    comparison: Comparison


def best_match(references: Sequence[Features], views: Sequence[Features]) -> BestMatch:
    """The highest-scoring (reference image, bench view) pair."""
    best = BestMatch(0.0, None, None, NO_MATCH)
    for r, reference in enumerate(references):
        for v, view in enumerate(views):
            result = compare(reference, view)
            if best.reference_index is None or result.score > best.score:
                best = BestMatch(result.score, r, v, result)
    return best


def decide(
    references: Sequence[Features],
    views: Sequence[Features],
    thresholds: MatchThresholds,
    siblings: Mapping[str, Sequence[Features]] | None = None,
) -> MatchDecision:
    """Match / mismatch / review for one listing, with the evidence for a reviewer."""
    if not references:
        raise VisionError("the listing has no reference images to compare with")
    if not views:
        raise VisionError("no bench photo to compare with the listing")
    own = best_match(references, views)
    rival_name, rival = _closest_sibling(siblings or {}, views)
    margin = None if rival is None else own.score - rival.score
    outcome, reason = _verdict(own, rival_name, rival, margin, thresholds)
    found = own.comparison
    picture = None
    if found.homography is not None and own.view_index is not None:
        picture = overlay_png(references[own.reference_index], views[own.view_index], found)
    return MatchDecision(
        outcome=outcome,
        score=round(own.score, 4),
        reference_index=own.reference_index if found.homography is not None else None,
        inliers=found.inliers,
        colour_agreement=found.colour,
        margin=None if margin is None else round(margin, 4),
        closest_sibling=rival_name,
        overlay_png=picture,
        reason=reason,
        view_index=own.view_index if picture is not None else None,
    )


def _closest_sibling(siblings: Mapping[str, Sequence[Features]], views: Sequence[Features]):
    name, best = None, None
    for sibling, references in siblings.items():
        if not references:
            continue
        result = best_match(references, views)
        if best is None or result.score > best.score:
            name, best = sibling, result
    return name, best


def _verdict(own: BestMatch, rival_name, rival, margin, limits: MatchThresholds):
    found = own.comparison
    evidence = f"score {own.score:.2f}, {found.inliers} matching points"
    if found.colour is not None:
        evidence += f", colours agree on {found.colour:.0%}"
    if rival is not None and rival.score >= limits.match and -margin >= limits.margin:
        return "mismatch", (
            f"the item looks like sibling listing {rival_name} "
            f"(score {rival.score:.2f} against {own.score:.2f} for this listing)"
        )
    if own.score < limits.mismatch:
        return "mismatch", f"the listing's images were not found on the item ({evidence})"
    if own.score < limits.match:
        return "review", f"weak match, needs {limits.match:.2f} to accept ({evidence})"
    if margin is not None and margin < limits.margin:
        return "review", (
            f"too close to sibling listing {rival_name}: leads by {margin:.2f}, "
            f"needs {limits.margin:.2f} ({evidence})"
        )
    which = f"listing image {own.reference_index + 1} found on the item"
    ahead = "" if margin is None else f"; leads sibling {rival_name} by {margin:.2f}"
    return "match", f"{which} ({evidence}){ahead}"
