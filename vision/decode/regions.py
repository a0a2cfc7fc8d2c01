"""Where in a frame a barcode may be: patches dense in strong, parallel edges.

Bars make many strong edges close together, all facing one way; 2D codes make strong
edges facing two ways in a compact square patch. Edge strength is taken at full
resolution (thin bars vanish if the frame is shrunk first) and pooled onto a coarse
grid, with the structure tensor of a shrunk frame; patches that pass are joined and
measured. Each region gets an orientation (across the bars for a linear code) so that
it can be cut out upright and enlarged for the decoders.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np

GRADIENT_SIDE = 1280  # frames are shrunk to about this longer side for the structure tensor
GRID_SIDE = 320  # the longer side of the grid the gradients are pooled onto
# Mean |Sobel| per pixel at which patches are cut; noise and print shading stay below 30.
EDGE_LEVELS = (30.0, 60.0, 120.0)
LINEAR_COHERENCE = 0.65  # above: edges mostly parallel, as in bars
MIN_CELLS = 12  # grid cells in a region: smaller patches cannot hold a readable code
MAX_SHARE = 0.3  # of the frame: a bigger patch is texture, and the frame was read whole
MIN_FILL = 0.4  # of its rectangle a region's cells fill: codes are solid patches


@dataclass(frozen=True)
class Region:
    """A rectangle in frame pixels: `width` runs along `angle` (degrees from the x axis,
    y pointing down), across the bars for a linear code."""

    centre: tuple[float, float]
    width: float
    height: float
    angle: float
    strength: float = 0.0  # summed edge strength; bigger and denser patches first
    linear: bool = True

    def contains(self, point: tuple[float, float]) -> bool:
        dx, dy = point[0] - self.centre[0], point[1] - self.centre[1]
        a = math.radians(self.angle)
        along = dx * math.cos(a) + dy * math.sin(a)
        across = -dx * math.sin(a) + dy * math.cos(a)
        return abs(along) <= self.width / 2 and abs(across) <= self.height / 2


def find_regions(gray: np.ndarray, limit: int = 3) -> list[Region]:
    """The `limit` strongest candidate regions, strongest first.

    Patches are cut at rising edge-strength levels: a code printed on a busy package
    joins its surroundings at a low level and stands alone at a higher one.
    """
    grid = _pooled_gradients(gray)
    regions: list[Region] = []
    for level in EDGE_LEVELS:
        for region in _patches(grid, level, gray.size):
            if not any(r.contains(region.centre) for r in regions):
                regions.append(region)
    regions.sort(key=lambda r: r.strength, reverse=True)
    return regions[:limit]


def _patches(grid: _Grid, level: float, frame_pixels: int) -> list[Region]:
    dense = (grid.planes[3] > level).astype(np.uint8)
    dense = cv2.morphologyEx(dense, cv2.MORPH_CLOSE, np.ones((3, 3), np.uint8))
    count, labels, stats, _ = cv2.connectedComponentsWithStats(dense, connectivity=8)
    out = []
    for label in range(1, count):
        x, y, w, h, cells = stats[label]
        if cells < MIN_CELLS or w * h * grid.cell**2 > MAX_SHARE * frame_pixels:
            continue
        window = (slice(y, y + h), slice(x, x + w))
        region = _region(labels[window] == label, grid, window)
        if cells * grid.cell**2 < MIN_FILL * region.width * region.height:
            continue  # a ragged outline: texture, not a printed code
        if min(region.width, region.height) < 3 * grid.cell:
            continue  # one edge or line, not a code
        if region.linear or _squarish(region):
            out.append(region)
    return out


@dataclass(frozen=True)
class _Grid:
    planes: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]  # Jxx, Jyy, Jxy, strength
    cell: float  # frame pixels per grid cell


def _pooled_gradients(gray: np.ndarray) -> _Grid:
    """Edge strength from the full frame, so thin bars count; the structure tensor (only
    for orientation and coherence) from a frame shrunk by a whole-number factor, which
    OpenCV's area resampling does several times faster."""
    step = math.ceil(max(gray.shape) / GRADIENT_SIDE)
    cell = step * math.ceil(math.ceil(max(gray.shape) / GRID_SIDE) / step)
    # |gx| + |gy| in 8 bits: scaled by 1/8 so that the sum cannot saturate.
    edges = cv2.add(
        *(
            cv2.convertScaleAbs(cv2.Sobel(gray, cv2.CV_16S, dx, 1 - dx, ksize=3), alpha=0.125)
            for dx in (1, 0)
        )
    )
    strength = _shrink(edges, cell).astype(np.float32) * 8
    image = _shrink(gray, step)
    gx = cv2.Sobel(image, cv2.CV_32F, 1, 0, ksize=3)
    gy = cv2.Sobel(image, cv2.CV_32F, 0, 1, ksize=3)
    tensor = (_shrink(p, cell // step) for p in (gx * gx, gy * gy, gx * gy))
    planes = tuple(cv2.blur(p, (3, 3)) for p in (*tensor, strength))
    return _Grid(planes, cell=float(cell))  # type: ignore[arg-type]


def _shrink(image: np.ndarray, step: int) -> np.ndarray:
    """Mean of step x step blocks (a few edge pixels dropped)."""
    if step <= 1:
        return image
    h, w = image.shape[0] // step, image.shape[1] // step
    return cv2.resize(image[: h * step, : w * step], (w, h), interpolation=cv2.INTER_AREA)


def _region(inside: np.ndarray, grid: _Grid, window: tuple[slice, slice]) -> Region:
    jxx, jyy, jxy, strength = (float(p[window][inside].sum()) for p in grid.planes)
    coherence = math.hypot(jxx - jyy, 2 * jxy) / max(jxx + jyy, 1e-6)
    # Dominant gradient direction: across the bars of a linear code.
    angle = 0.5 * math.atan2(2 * jxy, jxx - jyy)
    ys, xs = np.nonzero(inside)
    ys, xs = ys + window[0].start, xs + window[1].start
    xs, ys = (xs + 0.5) * grid.cell, (ys + 0.5) * grid.cell
    c, s = math.cos(angle), math.sin(angle)
    along, across = xs * c + ys * s, -xs * s + ys * c
    a0, a1 = along.min() - grid.cell / 2, along.max() + grid.cell / 2
    b0, b1 = across.min() - grid.cell / 2, across.max() + grid.cell / 2
    mid_a, mid_b = (a0 + a1) / 2, (b0 + b1) / 2
    return Region(
        centre=(mid_a * c - mid_b * s, mid_a * s + mid_b * c),
        width=a1 - a0,
        height=b1 - b0,
        angle=math.degrees(angle),
        strength=strength,
        linear=coherence > LINEAR_COHERENCE,
    )


def _squarish(region: Region) -> bool:
    """2D codes are square (Data Matrix up to 1:4); text lines are long and thin."""
    long, short = max(region.width, region.height), min(region.width, region.height)
    return long <= 4 * short
