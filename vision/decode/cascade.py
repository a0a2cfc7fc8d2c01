"""decode_image: zxing-cpp on the frame, then on enlarged and upright views of candidate
regions; zbar as a fallback that needs two agreeing looks; disputed linear reads looked
at again; add-ons completed."""

from __future__ import annotations

import cv2
import numpy as np

from vision.decode import views, zbar_reader, zxing_reader
from vision.decode.found import Found, Read
from vision.decode.regions import Region, find_regions
from vision.decode.symbol import Symbol
from vision.errors import VisionError

SMALL_FRAME = 500_000  # pixels: a close-up or a crop, enlarged as a whole on a second look
ENLARGE = 2.0
REGION_MARGIN = 0.15  # of the region's longer side, on each side: room for quiet zones
REGION_TARGET = 900  # px, the longer side of an enlarged region view
MAX_REGIONS = 3
SKEWED = 8.0  # degrees off the axes from which a region is worth turning upright


def decode_image(image_bgr: np.ndarray) -> list[Symbol]:
    """Every barcode symbol in the image (BGR or grey, 8-bit), duplicates merged."""
    gray = _grey(image_bgr)
    small = gray.size <= SMALL_FRAME
    found = Found()
    found.add(zxing_reader.read(views.whole(gray)))
    candidates = find_regions(gray, MAX_REGIONS)
    # A small frame is enlarged as a whole, so there only skewed regions need their own view.
    regions = [r for r in candidates if not found.covers(r) and not (small and _square_to_axes(r))]
    enlarged = [views.enlarged(gray, ENLARGE)] if small and not found.anything_trusted() else []
    upright = {id(r): views.upright(gray, r, REGION_MARGIN, REGION_TARGET) for r in regions}
    for view in enlarged + list(upright.values()):
        found.add(zxing_reader.read(view))
    if not found.anything_trusted() and any(r.linear for r in candidates):
        _zbar_fallback(gray, found, small, enlarged, [r for r in regions if r.linear], upright)
    for group in found.contested():
        _look_again(gray, group, found)
    _complete_add_ons(gray, found)
    return found.accepted()


def _zbar_fallback(
    gray, found: Found, small: bool, enlarged: list, linear: list[Region], upright: dict
) -> None:
    """zbar on what looks like bars. Its reads need two agreeing looks, so each view is
    read at two scales: a small frame whole and enlarged, a region enlarged and as it is.
    zbar on a whole camera frame is slow; there it reads the regions only."""
    looks = [views.whole(gray), *enlarged] if small else []
    for region in linear:
        looks += [upright[id(region)], views.upright(gray, region, REGION_MARGIN, 0)]
    for view in looks:
        found.add(zbar_reader.read(view), primary=False)


def _square_to_axes(region: Region) -> bool:
    off = abs(region.angle) % 90
    return min(off, 90 - off) < SKEWED


def _look_again(gray: np.ndarray, group: list[Read], found: Found) -> None:
    """Two texts for one linear code: both decoders look at it once more, enlarged."""
    view = views.upright(gray, _around(group[0].symbol, 0.0), REGION_MARGIN, REGION_TARGET)
    found.add(zxing_reader.read(view))
    found.add(zbar_reader.read(view), primary=False)


def _complete_add_ons(gray: np.ndarray, found: Found) -> None:
    """An EAN/UPC read without its 2- or 5-digit add-on gets one more look at the strip
    to its right, enlarged, where an add-on would be printed."""
    for index, read in enumerate(found.reads):
        symbol = read.symbol
        if not symbol.retail or symbol.add_on:
            continue
        # An add-on is about half as wide as an EAN-13 and starts 7 to 12 modules after it.
        strip = views.upright(gray, _around(symbol, 0.3, 1.8), REGION_MARGIN / 2, REGION_TARGET)
        for new in zxing_reader.read(strip, formats=zxing_reader.RETAIL_ONLY, require_add_on=True):
            if new.add_on and new.main_text == symbol.main_text:
                found.upgrade(index, new)
                break


def _around(symbol: Symbol, shift: float, stretch: float = 1.0) -> Region:
    """The symbol's rectangle, moved `shift` of its length along its reading direction
    and `stretch` times as long; at least 0.6 of its length tall (bars are tall even
    when a linear code was read on one scan line)."""
    tl, tr, br, bl = (np.array(p) for p in symbol.corners)
    along = ((tr - tl) + (br - bl)) / 2
    length = max(float(np.hypot(*along)), 1.0)
    unit = along / length
    centre = (tl + tr + br + bl) / 4 + unit * shift * length
    return Region(
        centre=(float(centre[0]), float(centre[1])),
        width=stretch * length,
        height=max(symbol.thickness(), 0.6 * length),
        angle=float(np.degrees(np.arctan2(unit[1], unit[0]))),
    )


def _grey(image: np.ndarray) -> np.ndarray:
    if not isinstance(image, np.ndarray) or image.dtype != np.uint8:
        raise VisionError("decode_image needs an 8-bit numpy image (BGR or grey)")
    if image.ndim == 2:
        return image
    if image.ndim == 3 and image.shape[2] == 3:
        return cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
    if image.ndim == 3 and image.shape[2] == 4:
        return cv2.cvtColor(image, cv2.COLOR_BGRA2GRAY)
    raise VisionError(f"decode_image got an image of shape {image.shape}; expected HxW or HxWx3")
