"""Is the reference (a listing image) on the photo? Geometry first, then appearance.

1. Geometry: RootSIFT nearest neighbours, Lowe's ratio test, a homography by
   MAGSAC++; then guided matching (each reference keypoint looks for its
   partner near where the homography puts it) and a second fit. The inlier
   count says how much of the reference is found in the right arrangement.
2. Appearance: the photo is warped into the reference's frame and compared
   cell by cell. Keypoints ignore colour and most of the print, so a sibling
   (same brand template, different flavour colour, band or text) verifies
   geometrically; the aligned cells tell it apart:
   * colour: share of cells whose chroma (Lab a, b) agrees, after removing the
     photo's overall colour cast;
   * structure: mean normalised cross-correlation of textured cells (print,
     text, illustration);
   * coverage: share of cells holding at least one inlier (a sibling matches
     only where it shares the artwork: logo, brand name).

score = log(1 + inliers) x colour x structure x sqrt(coverage); higher = same.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from vision.match.features import Features

RATIO = 0.8  # Lowe's ratio test on RootSIFT
NEIGHBOURS = 5
RANSAC_PX = 5.0  # inlier distance at the working size
GUIDED_RADIUS_PX = 12.0
GUIDED_RATIO = 0.9
MIN_INLIERS = 6
CELL = 16  # px, in the reference copy
CHROMA_TOLERANCE = 15.0  # Lab a,b distance for "same colour"
TEXTURE_STD = 6.0  # grey-level spread that makes a cell "textured"


@dataclass(frozen=True)
class Comparison:
    """One reference image against one photo."""

    score: float
    inliers: int
    colour: float | None  # share of cells agreeing in colour
    structure: float | None  # mean correlation of textured cells
    coverage: float | None  # share of cells holding an inlier
    homography: np.ndarray | None  # reference working size -> photo working size
    reference_points: np.ndarray  # inlier positions, reference working size
    photo_points: np.ndarray  # inlier positions, photo working size


NO_MATCH = Comparison(0.0, 0, None, None, None, None, np.zeros((0, 2)), np.zeros((0, 2)))


def compare(reference: Features, photo: Features, *, appearance: bool = True) -> Comparison:
    """Score how surely `reference` shows the product on `photo`."""
    if len(reference.points) < 4 or len(photo.points) < 4:
        return NO_MATCH
    found = locate(reference, photo)
    if found is None:
        return NO_MATCH
    homography, src, dst = found
    inliers = len(src)
    if not appearance:
        return Comparison(float(inliers), inliers, None, None, None, homography, src, dst)
    colour, structure, coverage = _appearance(reference, photo, homography, src)
    score = float(np.log1p(inliers) * colour * structure * np.sqrt(coverage))
    return Comparison(score, inliers, colour, structure, coverage, homography, src, dst)


def locate(reference: Features, photo: Features):
    """(homography, reference inlier points, photo inlier points) or None."""
    matcher = cv2.BFMatcher(cv2.NORM_L2)
    k = min(NEIGHBOURS, len(photo.points))
    knn = matcher.knnMatch(reference.root_sift(), photo.root_sift(), k=k)
    index = np.full((len(knn), NEIGHBOURS), -1, np.int32)
    dist = np.full((len(knn), NEIGHBOURS), np.inf, np.float32)
    for i, row in enumerate(knn):
        for j, m in enumerate(row):
            index[i, j], dist[i, j] = m.trainIdx, m.distance
    good = np.flatnonzero(dist[:, 0] < RATIO * dist[:, 1])
    first = _fit(reference.points[good], photo.points[index[good, 0]], RANSAC_PX)
    if first is None:
        return None
    homography, src, dst = first
    if len(src) < MIN_INLIERS:
        return first if _plausible(homography) else None
    guided = _guided(reference, photo, homography, index, dist)
    if guided is not None and len(guided[1]) >= len(src):
        homography, src, dst = guided
    return (homography, src, dst) if _plausible(homography) else None


def _fit(src: np.ndarray, dst: np.ndarray, threshold: float):
    if len(src) < 4:
        return None
    homography, mask = cv2.findHomography(
        src, dst, cv2.USAC_MAGSAC, threshold, maxIters=2000, confidence=0.995
    )
    if homography is None:
        return None
    keep = mask.ravel().astype(bool)
    return homography, src[keep], dst[keep]


def _guided(reference, photo, homography, index, dist):
    """Re-match every reference keypoint near its predicted place, then refit."""
    predicted = cv2.perspectiveTransform(reference.points.reshape(-1, 1, 2), homography)
    predicted = predicted.reshape(-1, 2)
    candidates = photo.points[np.maximum(index, 0)]
    near = (np.linalg.norm(candidates - predicted[:, None], axis=2) < GUIDED_RADIUS_PX) & (
        index >= 0
    )
    pick = np.argmax(near, axis=1)
    rows = np.arange(len(index))
    # The partner must clearly beat the best candidate elsewhere (or the k-th one).
    elsewhere = np.where(near, np.inf, dist).min(axis=1)
    elsewhere = np.where(np.isinf(elsewhere), dist[:, -1], elsewhere)
    accepted = near.any(axis=1) & (dist[rows, pick] < GUIDED_RATIO * elsewhere)
    chosen = np.flatnonzero(accepted)
    return _fit(reference.points[chosen], photo.points[index[chosen, pick[chosen]]], 4.0)


def _plausible(homography: np.ndarray) -> bool:
    """Invertible, so the photo can be brought into the reference's frame.

    Mirrored or wildly extrapolating fits are not rejected here: they come with
    few inliers and poor appearance agreement, and score low on their own."""
    return bool(abs(np.linalg.det(homography / homography[2, 2])) > 1e-9)


def _appearance(reference: Features, photo: Features, homography, src):
    """(colour, structure, coverage) of the aligned reference copy and photo."""
    ref_image = reference.image
    h, w = ref_image.shape[:2]
    to_copy = np.diag([reference.image_scale, reference.image_scale, 1.0])
    from_photo = photo.image_scale
    copy_to_photo = np.diag([from_photo, from_photo, 1.0]) @ homography @ np.linalg.inv(to_copy)
    # Photo pixels per reference-copy pixel: blur first so the warp does not alias.
    linear = copy_to_photo[:2, :2] / copy_to_photo[2, 2]
    sigma = 0.5 * np.sqrt(abs(np.linalg.det(linear)))
    source = cv2.GaussianBlur(photo.image, (0, 0), sigma) if sigma > 0.6 else photo.image
    flags = cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP
    warped = cv2.warpPerspective(source, copy_to_photo, (w, h), flags=flags)
    inside = cv2.warpPerspective(
        np.full(photo.image.shape[:2], 255, np.uint8),
        copy_to_photo,
        (w, h),
        flags=cv2.INTER_NEAREST | cv2.WARP_INVERSE_MAP,
    )
    cells = _cells(ref_image, warped, inside > 0, src * reference.image_scale)
    if cells is None:
        return 0.0, 0.0, 0.0
    return cells


def _cells(ref_image, warped, inside, inlier_points):
    h, w = ref_image.shape[:2]
    product = _product_mask(ref_image)
    ref_grey = _grey(ref_image)
    photo_grey = _grey(warped)
    ref_lab = cv2.cvtColor(ref_image, cv2.COLOR_BGR2LAB).astype(np.float32)
    photo_lab = cv2.cvtColor(warped, cv2.COLOR_BGR2LAB).astype(np.float32)
    rows = []
    for y in range(0, h - CELL + 1, CELL):
        for x in range(0, w - CELL + 1, CELL):
            cell = np.s_[y : y + CELL, x : x + CELL]
            if product[cell].mean() < 0.6 or inside[cell].mean() < 0.9:
                continue
            a, b = ref_grey[cell], photo_grey[cell]
            spread = a.std()
            ncc = np.nan
            if spread > TEXTURE_STD:
                ncc = ((a - a.mean()) * (b - b.mean())).mean() / (spread * b.std() + 1e-6)
            hit = np.any(
                (inlier_points[:, 0] >= x)
                & (inlier_points[:, 0] < x + CELL)
                & (inlier_points[:, 1] >= y)
                & (inlier_points[:, 1] < y + CELL)
            )
            ab_ref = ref_lab[cell][..., 1:].reshape(-1, 2).mean(axis=0)
            ab_photo = photo_lab[cell][..., 1:].reshape(-1, 2).mean(axis=0)
            rows.append((ncc, hit, *ab_ref, *ab_photo))
    if len(rows) < 3:
        return None
    table = np.array(rows, np.float64)
    ncc, hit, ab_ref, ab_photo = table[:, 0], table[:, 1], table[:, 2:4], table[:, 4:6]
    cast = np.median(ab_photo - ab_ref, axis=0)  # the photo's overall colour cast
    colour = float((np.linalg.norm(ab_photo - cast - ab_ref, axis=1) < CHROMA_TOLERANCE).mean())
    textured = ~np.isnan(ncc)
    structure = float(np.clip(ncc[textured], 0, 1).mean()) if textured.any() else 0.0
    return colour, structure, float(hit.mean())


def _product_mask(image: np.ndarray) -> np.ndarray:
    """Not the white sheet a catalogue shot sits on."""
    hsv = cv2.cvtColor(image, cv2.COLOR_BGR2HSV)
    paper = (hsv[..., 2] > 235) & (hsv[..., 1] < 25)
    mask = np.uint8(~paper)
    return cv2.morphologyEx(mask, cv2.MORPH_CLOSE, np.ones((7, 7), np.uint8)) > 0


def _grey(image: np.ndarray) -> np.ndarray:
    grey = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY).astype(np.float32)
    return cv2.GaussianBlur(grey, (0, 0), 1.0)
