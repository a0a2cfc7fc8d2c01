"""Local features of one image, computed once and stored compactly.

An image is brought to a working size (longest side WORK_SIDE), then SIFT finds
keypoints. Descriptors are kept as SIFT's own 8-bit values (128 bytes each);
the RootSIFT form used for matching (Arandjelovic & Zisserman 2012: L1
normalise, square root) is derived when matching. A small colour copy of the
image travels with the features: the appearance check after the geometric match
compares colours and structure on it.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import cv2
import numpy as np

from vision.backdrop import find_item
from vision.errors import VisionError

WORK_SIDE = 640
REFERENCE_KEYPOINTS = 2000
PHOTO_KEYPOINTS = 4000
REFERENCE_SIDE = 200  # the reference copy the appearance check works on
FORMAT_VERSION = 1  # bump when the stored layout or the extraction changes
_POINT_SCALE = 32.0  # keypoint coordinates stored as uint16 in 1/32 px


@dataclass(frozen=True, eq=False)
class Features:
    """Keypoints and descriptors of one image at the working size, plus a colour copy.

    `points` are (x, y) at the working size; `image` is the colour copy and
    `image_scale` maps working-size coordinates onto it.
    """

    points: np.ndarray  # (N, 2) float32
    descriptors: np.ndarray  # (N, 128) uint8
    size: tuple[int, int]  # working width, height
    image: np.ndarray  # BGR uint8
    image_scale: float
    original_size: tuple[int, int]  # width, height of the image the features came from

    @property
    def nbytes(self) -> int:
        """Memory the arrays take, for cache accounting."""
        return self.points.nbytes + self.descriptors.nbytes + self.image.nbytes

    def root_sift(self) -> np.ndarray:
        d = self.descriptors.astype(np.float32)
        d /= d.sum(axis=1, keepdims=True) + 1e-7
        return np.sqrt(d)


def reference_features(image_bgr: np.ndarray) -> Features:
    """Features of a listing image or a logo (the thing looked for)."""
    work = _working_copy(image_bgr)
    points, descriptors = _sift(work, REFERENCE_KEYPOINTS, mask=None)
    scale = REFERENCE_SIDE / max(work.shape[:2])
    small = cv2.resize(work, _scaled(work, scale), interpolation=cv2.INTER_AREA)
    return Features(points, descriptors, _wh(work), small, scale, _wh(image_bgr))


def photo_features(image_bgr: np.ndarray, *, side: int = WORK_SIDE) -> Features:
    """Features of a bench photo (where the thing is looked for).

    On a plain backdrop, keypoints are taken on the item only, so the mat's
    texture and anything lying beside the item cannot vote."""
    work = _working_copy(image_bgr, side)
    # Keypoints from the photo as taken when it is smaller than the working size:
    # SIFT doubles its input internally, so enlarging first only costs time.
    source = image_bgr if max(image_bgr.shape[:2]) < side else work
    item = find_item(source)
    mask = None
    if item is not None and 0.01 < item.area_fraction < 0.95:
        mask = cv2.dilate(item.mask, np.ones((15, 15), np.uint8))
    points, descriptors = _sift(source, PHOTO_KEYPOINTS, mask)
    points *= work.shape[1] / source.shape[1]
    return Features(points, descriptors, _wh(work), work, 1.0, _wh(image_bgr))


def to_bytes(features: Features) -> bytes:
    """A compact, versioned form for the feature store (about 130 bytes per keypoint)."""
    ok, png = cv2.imencode(".png", features.image)
    if not ok:
        raise VisionError("could not encode the reference copy as PNG")
    buffer = io.BytesIO()
    np.savez(
        buffer,
        version=np.int32(FORMAT_VERSION),
        points=np.round(features.points * _POINT_SCALE).astype(np.uint16),
        descriptors=features.descriptors,
        size=np.int32(features.size),
        original_size=np.int32(features.original_size),
        image_scale=np.float64(features.image_scale),
        image=png,
    )
    return buffer.getvalue()


def from_bytes(data: bytes) -> Features:
    """Read what `to_bytes` wrote; VisionError if it is damaged or of another version."""
    try:
        with np.load(io.BytesIO(data), allow_pickle=False) as z:
            if int(z["version"]) != FORMAT_VERSION:
                raise VisionError(
                    f"stored features have format {int(z['version'])}, expected {FORMAT_VERSION}"
                )
            image = cv2.imdecode(z["image"], cv2.IMREAD_COLOR)
            if image is None:
                raise VisionError("stored features hold an unreadable reference copy")
            return Features(
                points=z["points"].astype(np.float32) / _POINT_SCALE,
                descriptors=np.ascontiguousarray(z["descriptors"], np.uint8),
                size=tuple(int(v) for v in z["size"]),
                image=image,
                image_scale=float(z["image_scale"]),
                original_size=tuple(int(v) for v in z["original_size"]),
            )
    except VisionError:
        raise
    except Exception as err:  # zip, key or shape errors all mean "damaged"
        raise VisionError(f"stored features are damaged: {err}") from None


def check_image(image_bgr: np.ndarray, what: str = "image") -> None:
    if not isinstance(image_bgr, np.ndarray) or image_bgr.dtype != np.uint8:
        raise VisionError(f"{what} must be a uint8 numpy array")
    if image_bgr.ndim != 3 or image_bgr.shape[2] != 3:
        raise VisionError(f"{what} must be a BGR colour image, got shape {image_bgr.shape}")
    if min(image_bgr.shape[:2]) < 32:
        raise VisionError(f"{what} is too small ({image_bgr.shape[1]}x{image_bgr.shape[0]} px)")


def _working_copy(image_bgr: np.ndarray, side: int = WORK_SIDE) -> np.ndarray:
    check_image(image_bgr)
    scale = side / max(image_bgr.shape[:2])
    interpolation = cv2.INTER_AREA if scale < 1 else cv2.INTER_LINEAR
    return cv2.resize(image_bgr, _scaled(image_bgr, scale), interpolation=interpolation)


def _sift(work: np.ndarray, limit: int, mask: np.ndarray | None):
    grey = cv2.cvtColor(work, cv2.COLOR_BGR2GRAY)
    keypoints, descriptors = cv2.SIFT_create(nfeatures=limit).detectAndCompute(grey, mask)
    if descriptors is None or not keypoints:
        return np.zeros((0, 2), np.float32), np.zeros((0, 128), np.uint8)
    points = np.float32([kp.pt for kp in keypoints])
    # SIFT descriptor entries are integers 0..255 stored as floats: uint8 loses nothing.
    return points, np.clip(descriptors, 0, 255).astype(np.uint8)


def _scaled(image: np.ndarray, scale: float) -> tuple[int, int]:
    h, w = image.shape[:2]
    return max(1, round(w * scale)), max(1, round(h * scale))


def _wh(image: np.ndarray) -> tuple[int, int]:
    return int(image.shape[1]), int(image.shape[0])
