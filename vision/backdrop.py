"""Find the item on the bench's plain backdrop (mat, plate or sheet).

The backdrop is modelled from the frame's outer ring: a colour that may change
smoothly across the frame (light falls off towards one side), fitted as a plane
per Lab channel. Pixels far from that model are the item. A frame whose border
is not uniform (a shop shelf, a hand-held photo) has no backdrop: `find_item`
returns None and callers use the whole frame.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

WORK_SIDE = 320  # segmentation does not need detail; small is fast
RING = 0.04  # the outer 4 % of the frame on each side is backdrop if there is one
MAX_BORDER_SPREAD = 14.0  # Lab units: a plain backdrop varies less than this around its model
MIN_CONTRAST = 22.0  # an item differs from the backdrop by at least this (Lab units)


@dataclass(frozen=True)
class ItemRegion:
    """The item's silhouette in the frame it was found in."""

    mask: np.ndarray  # uint8 0/255, same height and width as the frame
    bbox: tuple[int, int, int, int]  # x, y, width, height
    area_fraction: float  # of the frame
    border_contact: float  # fraction of the frame's perimeter the item touches


def find_item(image_bgr: np.ndarray) -> ItemRegion | None:
    """The largest object standing out from a plain backdrop, or None without one."""
    height, width = image_bgr.shape[:2]
    scale = WORK_SIDE / max(height, width)
    small = cv2.resize(
        image_bgr, (max(1, round(width * scale)), max(1, round(height * scale))), cv2.INTER_AREA
    )
    lab = cv2.cvtColor(cv2.GaussianBlur(small, (5, 5), 0), cv2.COLOR_BGR2LAB).astype(np.float32)
    distance = _distance_from_backdrop(lab)
    if distance is None:
        return None
    mask = _largest_blob(distance)
    if mask is None:
        return None
    full = cv2.resize(mask, (width, height), interpolation=cv2.INTER_NEAREST)
    x, y, w, h = cv2.boundingRect(full)
    edges = np.concatenate([full[0], full[-1], full[:, 0], full[:, -1]])
    return ItemRegion(
        mask=full,
        bbox=(x, y, w, h),
        area_fraction=float(np.count_nonzero(full)) / full.size,
        border_contact=float(np.count_nonzero(edges)) / edges.size,
    )


def _distance_from_backdrop(lab: np.ndarray) -> np.ndarray | None:
    """Per-pixel Lab distance from the fitted backdrop, or None if the border is not plain."""
    h, w = lab.shape[:2]
    ring = max(2, round(RING * min(h, w)))
    border = np.zeros((h, w), bool)
    border[:ring], border[-ring:], border[:, :ring], border[:, -ring:] = True, True, True, True
    ys, xs = np.mgrid[0:h, 0:w].astype(np.float32)
    design = np.stack([np.ones_like(xs), xs / w, ys / h], axis=-1)
    a = design[border]
    model = np.empty_like(lab)
    spreads = []
    for channel in range(3):
        values = lab[..., channel][border]
        coef = _robust_plane(a, values)
        model[..., channel] = design @ coef
        spreads.append(np.abs(values - a @ coef))
    spread = np.linalg.norm(np.stack(spreads, axis=1), axis=1)
    # An item touching the border is allowed: judge the backdrop by most of the ring.
    if np.percentile(spread, 70) > MAX_BORDER_SPREAD:
        return None
    return np.linalg.norm(lab - model, axis=2)


def _robust_plane(a: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Least squares, refitted on the better-fitting 70 % (an item may touch the border)."""
    coef, *_ = np.linalg.lstsq(a, values, rcond=None)
    residual = np.abs(values - a @ coef)
    keep = residual <= np.percentile(residual, 70)
    coef, *_ = np.linalg.lstsq(a[keep], values[keep], rcond=None)
    return coef


def _largest_blob(distance: np.ndarray) -> np.ndarray | None:
    mask = np.uint8(distance > MIN_CONTRAST) * 255
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (5, 5))
    mask = cv2.morphologyEx(mask, cv2.MORPH_OPEN, kernel)
    mask = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, kernel, iterations=2)
    count, labels, stats, _ = cv2.connectedComponentsWithStats(mask)
    if count < 2:
        return None
    biggest = 1 + int(np.argmax(stats[1:, cv2.CC_STAT_AREA]))
    if stats[biggest, cv2.CC_STAT_AREA] < 0.002 * mask.size:
        return None
    blob = np.uint8(labels == biggest) * 255
    contours, _ = cv2.findContours(blob, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    filled = np.zeros_like(blob)
    cv2.drawContours(filled, contours, -1, 255, cv2.FILLED)  # holes: dark print on the item
    return filled
