"""Synthetic packaging scenes for the visual-check tests: rendered artwork,
photographed on a bench mat in perspective and uneven light."""

from __future__ import annotations

import random
from dataclasses import replace

import cv2
import numpy as np

from station.sample.artwork import PackageDesign, photograph, render_face, render_logo

TEA = PackageDesign(
    brand="Lumora Tea",
    brand_colour=(120, 40, 20),
    accent_colour=(40, 170, 220),
    title="Jasmine green tea 100 g tin",
    variant="Jasmine",
    band_colour=(60, 160, 40),
    seed=1201,
    gtin="6915881399867",
)
# Same brand, same category: same template and texture, other band colour and text.
SIBLING = replace(
    TEA, title="Oolong tea 100 g tin", variant="Oolong", band_colour=(30, 120, 220), seed=1201
)
# The same band colour, only the variant text differs.
TEXT_SIBLING = replace(TEA, title="Jasmine green tea 250 g tin", variant="Jasmine strong")
OTHER_BRAND = PackageDesign(
    brand="Orchard Lane",
    brand_colour=(60, 130, 40),
    accent_colour=(200, 200, 240),
    title="Stacking storage box 12 l",
    variant="12 l",
    band_colour=(160, 90, 30),
    seed=877,
    gtin="6920000000012",
)


def photo(design: PackageDesign, seed: int = 3, face: str = "front") -> np.ndarray:
    return photograph(render_face(design, face), random.Random(seed))


def logo(design: PackageDesign) -> np.ndarray:
    return render_logo(design.brand, design.brand_colour, design.accent_colour)


def mat(seed: int = 0) -> np.ndarray:
    """The bench mat with nothing on it."""
    rng = np.random.default_rng(seed)
    grey = np.full((960, 1280, 3), 90, np.float32) + rng.normal(0, 3, (960, 1280, 3))
    return np.clip(grey, 0, 255).astype(np.uint8)


def relit(image: np.ndarray, gain: float) -> np.ndarray:
    return np.clip(image.astype(np.float32) * gain, 0, 255).astype(np.uint8)


def tilted(image: np.ndarray, squeeze: float = 0.3) -> np.ndarray:
    """A strong perspective, as when the item leans back from the camera."""
    h, w = image.shape[:2]
    src = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
    inset = squeeze * w / 2
    dst = np.float32([[inset, 0], [w - inset, 0], [w, h], [0, h]])
    matrix = cv2.getPerspectiveTransform(src, dst)
    return cv2.warpPerspective(image, matrix, (w, h), borderMode=cv2.BORDER_REPLICATE)
