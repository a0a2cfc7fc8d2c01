"""Photo quality gate: is this bench photo good enough to compare with a listing?

Each problem has a stable code (the bench screen translates by code) and an
English message that tells the operator what to do. Measurements are taken at
the matcher's working size (longest side 640 px), on the item when it stands
on a plain backdrop, else on the whole frame:

* blur: the no-reference blur metric of Crete et al. (2007): re-blur the image
  and see how much of its fine variation survives; a sharp photo loses much,
  a blurred one little. 0 = sharp, 1 = flat. Unlike the variance of the
  Laplacian (reported too), it hardly depends on how much print the item has.
* exposure: luma percentiles on the item; clipping = share of saturated pixels.
* glare: clipped, colourless blobs with a soft rim (a specular highlight fades
  out; printed white ends at a sharp edge).
* framing: item area and whether it touches the frame's edge.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

import cv2
import numpy as np

from vision.backdrop import find_item
from vision.errors import VisionError

WORK_SIDE = 640
EDGE_STEP = 8  # grey levels between neighbouring pixels that make an edge
SOFT_RIM = 200.0  # Sobel magnitude: print steps score 400+, a highlight slope far less
SOFT_SHARE = 0.75  # of a highlight's rim that must be a slope
DARKER_AROUND = 215.0  # luma: a highlight sits on print darker than this


class Problem(StrEnum):
    NO_ITEM = "no_item"
    BLURRY = "blurry"
    TOO_DARK = "too_dark"
    TOO_BRIGHT = "too_bright"
    GLARE = "glare"
    ITEM_TOO_SMALL = "item_too_small"
    ITEM_CUT_OFF = "item_cut_off"


MESSAGES = {
    Problem.NO_ITEM: "no item found on the mat: place the item under the camera and retake",
    Problem.BLURRY: "too blurry: hold still and retake",
    Problem.TOO_DARK: "too dark: switch on the bench light and retake",
    Problem.TOO_BRIGHT: "too bright, the picture is washed out: dim the light and retake",
    Problem.GLARE: "glare on the item: tilt it away from the light and retake",
    Problem.ITEM_TOO_SMALL: "item too small in the picture: move it closer to the camera",
    Problem.ITEM_CUT_OFF: "item cut off at the edge: move it to the middle of the mat and retake",
}


@dataclass(frozen=True)
class QualityLimits:
    """Where each problem starts. The defaults suit a 1080p bench camera at 640 px."""

    max_blur: float = 0.35  # Crete blur metric (sharp bench photos: 0.1-0.2)
    min_dark_p95: float = 70.0  # luma: even the brightest parts are dim
    min_median: float = 35.0
    max_clipped: float = 0.50  # share of item pixels at the sensor's top
    max_median: float = 215.0
    max_glare: float = 0.003  # share of the item under highlights
    min_item_area: float = 0.04  # of the frame
    max_border_contact: float = 0.01  # of the frame's perimeter


@dataclass(frozen=True)
class QualityReport:
    ok: bool
    problems: list[tuple[str, str]]  # (code, message for the operator)
    blur: float
    laplacian_variance: float
    median_luma: float
    clipped: float
    glare: float
    item_area: float | None  # None: no plain backdrop, framing not judged
    measurements: dict[str, float] = field(default_factory=dict)

    @property
    def codes(self) -> list[str]:
        return [code for code, _ in self.problems]


def assess(image_bgr: np.ndarray, limits: QualityLimits | None = None) -> QualityReport:
    """Check one bench photo; `ok` is False when any problem was found."""
    limits = limits or QualityLimits()
    work = _working_copy(image_bgr)
    item = find_item(work)
    found: list[Problem] = []
    if item is None and _looks_empty(work):
        found.append(Problem.NO_ITEM)
    region = item.mask > 0 if item is not None else np.ones(work.shape[:2], bool)
    grey = cv2.cvtColor(work, cv2.COLOR_BGR2GRAY)
    luma = grey[region]
    blur = _crete_blur(grey, region)
    lap = float(cv2.Laplacian(grey, cv2.CV_64F)[region].var())
    median, p95 = float(np.median(luma)), float(np.percentile(luma, 95))
    clipped = float((work[region].max(axis=1) >= 250).mean())
    glare = _glare_share(work, region)
    if Problem.NO_ITEM not in found:
        if blur > limits.max_blur:
            found.append(Problem.BLURRY)
        if p95 < limits.min_dark_p95 or median < limits.min_median:
            found.append(Problem.TOO_DARK)
        if clipped > limits.max_clipped or median > limits.max_median:
            found.append(Problem.TOO_BRIGHT)
        elif glare > limits.max_glare and Problem.BLURRY not in found:  # blur softens all rims
            found.append(Problem.GLARE)
        exposed = not {Problem.TOO_DARK, Problem.TOO_BRIGHT} & set(found)
        # The item's outline is only trusted in a well exposed photo.
        if exposed and item is not None and item.area_fraction < limits.min_item_area:
            found.append(Problem.ITEM_TOO_SMALL)
        if exposed and item is not None and item.border_contact > limits.max_border_contact:
            found.append(Problem.ITEM_CUT_OFF)
    return QualityReport(
        ok=not found,
        problems=[(p.value, MESSAGES[p]) for p in found],
        blur=round(blur, 3),
        laplacian_variance=round(lap, 1),
        median_luma=median,
        clipped=round(clipped, 4),
        glare=round(glare, 4),
        item_area=None if item is None else round(item.area_fraction, 4),
        measurements={"p95_luma": p95},
    )


def _working_copy(image_bgr: np.ndarray) -> np.ndarray:
    if not isinstance(image_bgr, np.ndarray) or image_bgr.dtype != np.uint8:
        raise VisionError("photo must be a uint8 numpy array")
    if image_bgr.ndim != 3 or image_bgr.shape[2] != 3 or min(image_bgr.shape[:2]) < 32:
        raise VisionError(
            f"photo must be a BGR colour image of 32 px or more, got {image_bgr.shape}"
        )
    scale = WORK_SIDE / max(image_bgr.shape[:2])
    size = (round(image_bgr.shape[1] * scale), round(image_bgr.shape[0] * scale))
    return cv2.resize(
        image_bgr, size, interpolation=cv2.INTER_AREA if scale < 1 else cv2.INTER_LINEAR
    )


def _looks_empty(work: np.ndarray) -> bool:
    """A plain frame with nothing on it (the backdrop alone, or a covered lens)."""
    grey = cv2.cvtColor(work, cv2.COLOR_BGR2GRAY).astype(np.float32)
    smooth = cv2.GaussianBlur(grey, (0, 0), 3)
    return float(np.percentile(smooth, 99) - np.percentile(smooth, 1)) < 25


def _crete_blur(grey: np.ndarray, region: np.ndarray) -> float:
    """Crete, Dolmiere, Ladret, Nicolas (2007), on the region; 0 sharp .. 1 flat."""
    f = grey.astype(np.float32)
    total = lost = 0.0
    for axis, kernel in ((0, (1, 9)), (1, (9, 1))):
        blurred = cv2.blur(f, kernel)  # (width, height): along the differenced axis
        d_f = np.abs(np.diff(f, axis=axis))
        d_b = np.abs(np.diff(blurred, axis=axis))
        keep = region[1:, :] if axis == 0 else region[:, 1:]
        # Judge edges only: smooth shading and sensor noise say nothing about focus.
        keep = keep & (d_f >= EDGE_STEP)
        s_f = float(d_f[keep].sum())
        s_v = float(np.maximum(0, d_f - d_b)[keep].sum())
        total, lost = total + s_f, lost + s_v
    # Both directions pooled: a barcode's bars have edges one way only.
    return 1.0 if total <= 0 else (total - lost) / total


def _glare_share(work: np.ndarray, region: np.ndarray) -> float:
    """Share of the region under highlights.

    A highlight is a clipped patch whose rim is mostly a gentle slope into darker
    print. Printed white (a label, a panel) ends in a step, and white print in
    uneven light stays white around its clipped part; neither counts. Known
    limit: a highlight that runs into white print is judged with it."""
    hot = np.uint8((work.min(axis=2) >= 245) & region)
    hot = cv2.morphologyEx(hot, cv2.MORPH_OPEN, np.ones((3, 3), np.uint8))  # sensor speckle
    count, labels, stats, _ = cv2.connectedComponentsWithStats(hot)
    if count < 2:
        return 0.0
    grey = cv2.GaussianBlur(cv2.cvtColor(work, cv2.COLOR_BGR2GRAY).astype(np.float32), (3, 3), 0)
    gradient = cv2.magnitude(cv2.Sobel(grey, cv2.CV_32F, 1, 0), cv2.Sobel(grey, cv2.CV_32F, 0, 1))
    area = max(1, int(region.sum()))
    glare = 0
    for label in range(1, count):
        size = stats[label, cv2.CC_STAT_AREA]
        if size < 0.001 * area:
            continue
        blob = np.uint8(labels == label)
        near = cv2.dilate(blob, np.ones((5, 5), np.uint8))
        rim = (near - blob).astype(bool)
        around = (cv2.dilate(blob, np.ones((21, 21), np.uint8)) - near).astype(bool) & region
        if not rim.any() or not around.any():
            continue
        soft = np.mean(gradient[rim] < SOFT_RIM) >= SOFT_SHARE
        # Most of the surroundings darker: white print with a few dark lines is not.
        if soft and np.percentile(grey[around], 75) < DARKER_AROUND:
            glare += size
    return glare / area
