"""Brand mark: is the registered brand's logo on the item?

The registered logo images are the references; the bench photo is searched at
a higher working size than for the listing match (BRAND_SIDE), because a logo
is a small part of the item and local features need it about 80 px across or
more. The same machinery as the listing match locates and verifies it (RootSIFT,
ratio test, MAGSAC++ homography, guided matching, then colour and structure
agreement on the aligned logo: brand marks share circles and fonts, so matching
points alone are not enough). The located outline is returned in the photo's
own pixel coordinates for the reviewer.

Known limit: a pale mark on white (little detail) gives local features nothing
to hold on to; such a logo is reported absent or unsure, never present.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import cv2
import numpy as np

from vision.errors import VisionError
from vision.match.features import Features, photo_features
from vision.match.verify import NO_MATCH, compare

BRAND_SIDE = 1280
MIN_LOGO_PX = 80  # a logo smaller than this on the photo cannot be judged absent

Outcome = Literal["present", "absent", "unsure"]
Corners = tuple[tuple[float, float], ...]


@dataclass(frozen=True)
class BrandMarkLimits:
    """Limits on the match score (as for listings: geometry x colour x structure)."""

    present: float = 1.0  # at or above: the logo is there
    absent: float = 0.4  # below: the logo is not there

    def __post_init__(self) -> None:
        if not 0 <= self.absent <= self.present:
            raise VisionError(f"need 0 <= absent <= present, got {self}")


@dataclass(frozen=True)
class BrandMarkDecision:
    outcome: Outcome
    score: float  # match score of the best logo on the best view
    region: Corners | None  # the logo's outline on that view, photo pixels
    reason: str
    logo_index: int | None = None
    view_index: int | None = None


def brand_photo_features(photo_bgr: np.ndarray) -> Features:
    """Photo features at the brand working size (never enlarged beyond the photo)."""
    side = min(BRAND_SIDE, max(photo_bgr.shape[:2])) if photo_bgr.ndim >= 2 else BRAND_SIDE
    return photo_features(photo_bgr, side=side)


def check_mark(
    logos: Sequence[Features], views: Sequence[Features], limits: BrandMarkLimits | None = None
) -> BrandMarkDecision:
    """Present / absent / unsure for one brand's logos on an item's bench views."""
    limits = limits or BrandMarkLimits()
    if not logos:
        raise VisionError("the brand has no registered logo to look for")
    if not views:
        raise VisionError("no bench photo to look for the brand's logo on")
    best, li, vi = NO_MATCH, None, None
    for i, logo in enumerate(logos):
        for j, view in enumerate(views):
            found = compare(logo, view)
            if found.score > best.score or (li is None and found.homography is not None):
                best, li, vi = found, i, j
    region = None if best.homography is None else _outline(logos[li], views[vi], best.homography)
    evidence = f"score {best.score:.2f}, {best.inliers} matching points"
    if best.score >= limits.present and region is not None:
        width = _width(region)
        reason = f"logo found ({evidence}, about {width:.0f} px wide)"
        return BrandMarkDecision("present", round(best.score, 4), region, reason, li, vi)
    if best.score < limits.absent:
        reason = f"the brand's logo was not found on the item ({evidence})"
        return BrandMarkDecision("absent", round(best.score, 4), None, reason)
    reason = (
        f"the logo is not clearly there ({evidence}, needs {limits.present:.2f}); "
        f"photograph it closer, at least {MIN_LOGO_PX} px across"
    )
    return BrandMarkDecision("unsure", round(best.score, 4), region, reason, li, vi)


def _outline(logo: Features, view: Features, homography: np.ndarray) -> Corners:
    w, h = logo.size
    corners = np.float32([[0, 0], [w, 0], [w, h], [0, h]]).reshape(-1, 1, 2)
    placed = cv2.perspectiveTransform(corners, homography).reshape(-1, 2)
    to_original = view.original_size[0] / view.size[0]
    return tuple(
        (round(float(x) * to_original, 1), round(float(y) * to_original, 1)) for x, y in placed
    )


def _width(region: Corners) -> float:
    points = np.float32(region)
    return float(max(np.linalg.norm(points[1] - points[0]), np.linalg.norm(points[2] - points[3])))
