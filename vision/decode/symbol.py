"""What the decoder reports for one barcode symbol in a frame."""

from __future__ import annotations

from dataclasses import dataclass, replace

import cv2
import numpy as np

Point = tuple[float, float]
Corners = tuple[Point, Point, Point, Point]

# 2D formats carry error correction: two different texts are two symbols.
MATRIX_PREFIXES = ("QR Code", "Micro QR Code", "rMQR Code", "Data Matrix", "Aztec", "MaxiCode")
# Bars are at least this tall for their length in the linear codes a warehouse meets
# (EAN-13 nominal: 0.6; a long Code 128 label: about 0.25).
MIN_BAR_HEIGHT = 0.25
# EAN/UPC formats whose text may carry a 2- or 5-digit add-on after the main number.
RETAIL_FORMATS = frozenset({"EAN-13", "EAN-8", "UPC-A", "UPC-E"})


@dataclass(frozen=True)
class Symbol:
    """One decoded symbol.

    `text` is the payload as the symbol encodes it: GS1 separators as ASCII 29 and no
    parentheses; EAN/UPC as 13 digits (UPC-A and UPC-E expanded, as zxing-cpp reports
    them) or 8 for EAN-8, an add-on appended. `raw` is the byte payload; `corners` are
    top-left, top-right, bottom-right, bottom-left in image pixels (x, y) as the symbol
    reads; `aim` the AIM symbology identifier ("]E0", "]C1", "]d2", "]Q3"...) when known;
    `gs1` whether the content is GS1 element strings; `decoder` the library that read it.
    """

    format: str
    text: str
    raw: bytes
    corners: Corners
    aim: str | None = None
    gs1: bool = False
    add_on: str | None = None
    decoder: str = "zxing-cpp"

    @property
    def bytes(self) -> bytes:
        """The raw payload (the name the evaluation tool and zxing-cpp use)."""
        return self.raw

    @property
    def retail(self) -> bool:
        return self.format in RETAIL_FORMATS

    @property
    def linear(self) -> bool:
        return not self.format.startswith(MATRIX_PREFIXES)

    @property
    def main_text(self) -> str:
        """The text without its EAN add-on."""
        if self.add_on and self.text.endswith(self.add_on):
            return self.text[: -len(self.add_on)]
        return self.text

    def quad(self) -> np.ndarray:
        return np.array(self.corners, dtype=np.float32)

    def centre(self) -> Point:
        x, y = self.quad().mean(axis=0)
        return (float(x), float(y))

    def outline(self) -> np.ndarray:
        """The corners; a linear code read on few scan lines gets the height its bars
        have (at least MIN_BAR_HEIGHT of its length): zxing-cpp outlines only the lines
        it read."""
        quad = self.quad()
        if not self.linear:
            return quad
        tl, tr, br, bl = quad
        along = ((tr - tl) + (br - bl)) / 2
        across = ((bl - tl) + (br - tr)) / 2
        length, height = float(np.hypot(*along)), float(np.hypot(*across))
        if height >= MIN_BAR_HEIGHT * length or length == 0:
            return quad
        unit = np.array([-along[1], along[0]]) / length if height == 0 else across / height
        grow = unit * (MIN_BAR_HEIGHT * length - height) / 2
        return np.array([tl - grow, tr - grow, br + grow, bl + grow], dtype=np.float32)

    def contains(self, point: Point, grow: float = 0.0) -> bool:
        """Whether `point` lies inside the symbol's outline, grown by `grow` of its size."""
        quad = self.outline()
        centre = quad.mean(axis=0)
        quad = centre + (quad - centre) * (1.0 + grow)
        return cv2.pointPolygonTest(quad.reshape(-1, 1, 2), point, False) >= 0

    def length(self) -> float:
        """Extent along the reading direction (top-left to top-right)."""
        tl, tr, br, bl = self.quad()
        return float(np.hypot(*((tr - tl) + (br - bl)) / 2))

    def thickness(self) -> float:
        """Extent across the reading direction: how many scan lines agreed on a linear read."""
        tl, tr, br, bl = self.quad()
        return float(np.hypot(*((bl - tl) + (br - tr)) / 2))

    def near(self, other: Symbol) -> bool:
        """Close enough to be another read of the same printed symbol. A linear code
        read on two scan lines has two thin outlines far apart across its bars."""
        (x1, y1), (x2, y2) = self.centre(), other.centre()
        return float(np.hypot(x1 - x2, y1 - y2)) < 0.75 * max(self.length(), other.length())

    def overlaps(self, other: Symbol) -> bool:
        """Reads of one printed symbol: a centre lies inside the other's outline."""
        return self.contains(other.centre(), 0.25) or other.contains(self.centre(), 0.25)

    def mapped(self, matrix: np.ndarray) -> Symbol:
        """The symbol with its corners taken through a 2x3 affine matrix."""
        pts = self.quad().astype(np.float64) @ matrix[:, :2].T + matrix[:, 2]
        corners = tuple((round(float(x), 1), round(float(y), 1)) for x, y in pts)
        return replace(self, corners=corners)  # type: ignore[arg-type]
