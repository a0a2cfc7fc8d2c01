"""Views of a frame handed to a decoder: the whole frame, or a region cut out, turned
upright and enlarged. Each view knows how to map positions back to the frame."""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from vision.decode.regions import Region

MAX_SCALE = 3.0
SQUARE_ENOUGH = 1.0  # degrees: a region this close to the axes is cut, not turned
# Enlarged views stay under this many pixels, so one view costs at most a few tens of ms.
MAX_VIEW_PIXELS = 1_600_000


@dataclass(frozen=True)
class View:
    image: np.ndarray  # 8-bit grey
    to_frame: np.ndarray  # 2x3 affine: view pixel -> frame pixel
    label: str


def whole(gray: np.ndarray) -> View:
    return View(gray, np.array([[1.0, 0, 0], [0, 1.0, 0]]), "frame")


def enlarged(gray: np.ndarray, factor: float) -> View:
    """The whole frame scaled up, so thin bars and small modules span more pixels."""
    h, w = gray.shape
    factor = min(factor, (MAX_VIEW_PIXELS / (h * w)) ** 0.5)
    image = cv2.resize(gray, None, fx=factor, fy=factor, interpolation=cv2.INTER_LANCZOS4)
    return View(image, np.array([[1 / factor, 0, 0], [0, 1 / factor, 0]]), f"x{factor:.1f}")


def upright(gray: np.ndarray, region: Region, margin: float, target: float) -> View:
    """Cut out a region turned upright (its width along x), grown by `margin` of its
    longer side on each side for quiet zones, and enlarged so that its longer side is
    about `target` pixels (never shrunk, at most MAX_SCALE times)."""
    angle, width, height = region.angle, region.width, region.height
    # Turn by the angle modulo 90 only: the decoders try the 90-degree turns themselves.
    while angle > 45:
        angle, width, height = angle - 90, height, width
    while angle <= -45:
        angle, width, height = angle + 90, height, width
    pad = margin * max(width, height)
    out_w, out_h = width + 2 * pad, height + 2 * pad
    scale = min(MAX_SCALE, max(1.0, target / max(out_w, out_h)))
    scale = max(1.0, min(scale, (MAX_VIEW_PIXELS / (out_w * out_h)) ** 0.5))
    size = (max(16, round(out_w * scale)), max(16, round(out_h * scale)))
    cx, cy = region.centre
    label = f"region@{cx:.0f},{cy:.0f}/{angle:.0f}deg/x{scale:.1f}"
    if abs(angle) < SQUARE_ENOUGH:
        return _cut(gray, (cx - out_w / 2, cy - out_h / 2), size, scale, label)
    to_view = cv2.getRotationMatrix2D((cx, cy), angle, scale)
    to_view[:, 2] += (size[0] / 2 - cx, size[1] / 2 - cy)
    image = cv2.warpAffine(
        gray, to_view, size, flags=cv2.INTER_CUBIC, borderMode=cv2.BORDER_REPLICATE
    )
    return View(image, cv2.invertAffineTransform(to_view), label)


def _cut(gray: np.ndarray, origin, size, scale: float, label: str) -> View:
    """An axis-aligned cut, enlarged: cheaper and sharper than a general warp."""
    x0, y0 = round(origin[0]), round(origin[1])
    w, h = max(1, round(size[0] / scale)), max(1, round(size[1] / scale))
    H, W = gray.shape
    piece = gray[max(0, y0) : min(H, y0 + h), max(0, x0) : min(W, x0 + w)]
    if piece.size == 0:
        piece = np.full((1, 1), 255, np.uint8)
    piece = cv2.copyMakeBorder(
        piece,
        max(0, -y0),
        max(0, y0 + h - H),
        max(0, -x0),
        max(0, x0 + w - W),
        cv2.BORDER_REPLICATE,
    )
    image = (
        piece
        if scale == 1.0
        else cv2.resize(piece, None, fx=scale, fy=scale, interpolation=cv2.INTER_LANCZOS4)
    )
    sx, sy = piece.shape[1] / image.shape[1], piece.shape[0] / image.shape[0]
    return View(image, np.array([[sx, 0, x0], [0, sy, y0]], dtype=np.float64), label)
