"""The picture a reviewer sees: the matched reference beside the bench view, with
the reference's outline drawn where it was found and the matching points on both."""

from __future__ import annotations

import cv2
import numpy as np

from vision.errors import VisionError
from vision.match.features import Features
from vision.match.verify import Comparison

HEIGHT = 360
GREEN = (60, 200, 60)
ORANGE = (0, 140, 255)


def overlay_png(reference: Features, view: Features, found: Comparison) -> bytes | None:
    """PNG bytes, or None when there is no geometric match to show."""
    if found.homography is None:
        return None
    photo = view.image.copy()
    w, h = reference.size
    corners = np.float32([[0, 0], [w, 0], [w, h], [0, h]]).reshape(-1, 1, 2)
    outline = cv2.perspectiveTransform(corners, found.homography) * view.image_scale
    cv2.polylines(photo, [np.int32(outline)], True, GREEN, 3, cv2.LINE_AA)
    for x, y in found.photo_points * view.image_scale:
        cv2.circle(photo, (int(x), int(y)), 3, ORANGE, -1, cv2.LINE_AA)
    left = reference.image.copy()
    for x, y in found.reference_points * reference.image_scale:
        cv2.circle(left, (int(x), int(y)), 2, ORANGE, -1, cv2.LINE_AA)
    panel = np.hstack([_to_height(left), np.full((HEIGHT, 8, 3), 255, np.uint8), _to_height(photo)])
    ok, data = cv2.imencode(".png", panel)
    if not ok:
        raise VisionError("could not encode the match overlay as PNG")
    return data.tobytes()


def _to_height(image: np.ndarray) -> np.ndarray:
    h, w = image.shape[:2]
    scale = HEIGHT / h
    interpolation = cv2.INTER_AREA if scale < 1 else cv2.INTER_LINEAR
    return cv2.resize(image, (max(1, round(w * scale)), HEIGHT), interpolation=interpolation)
