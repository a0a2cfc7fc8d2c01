"""zbar (through pyzbar), the fallback: it reads some blurred EAN/UPC that zxing-cpp misses.

Its weaknesses decide how it is used: no Data Matrix, QR text in the wrong character
set for non-ASCII content, and pyzbar raising on values it does not know. Every call is
guarded, and QR text is kept only when it is pure ASCII.
"""

from __future__ import annotations

import logging

import cv2
import numpy as np

from vision.decode.symbol import Symbol
from vision.decode.views import View

log = logging.getLogger(__name__)

# zbar type -> (format name as zxing-cpp spells it, AIM id when zbar's output implies one)
_FORMATS = {
    "EAN13": ("EAN-13", "]E0"),
    "EAN8": ("EAN-8", "]E4"),
    "UPCA": ("EAN-13", "]E0"),  # as zxing-cpp: 13 digits, a leading zero
    "UPCE": ("UPC-E", "]E0"),  # as zxing-cpp: expanded to 13 digits
    "CODE128": ("Code 128", None),  # zbar drops the FNC1 that would tell ]C0 from ]C1
    "CODE39": ("Code 39", None),
    "I25": ("ITF", "]I0"),
    "QRCODE": ("QR Code", None),
    "DATABAR": ("DataBar", "]e0"),
    "DATABAR_EXP": ("DataBar Expanded", "]e0"),
}


def _library():
    try:
        from pyzbar import pyzbar
    except ImportError:  # the system libzbar is missing: run without the fallback
        log.warning("zbar is not available (install libzbar0); decoding with zxing-cpp only")
        return None
    return pyzbar


_PYZBAR = _library()


def available() -> bool:
    return _PYZBAR is not None


def read(view: View) -> list[Symbol]:
    """Every symbol zbar finds in the view (linear codes and ASCII QR), in frame pixels."""
    if _PYZBAR is None:
        return []
    symbols = [_PYZBAR.ZBarSymbol[name] for name in _FORMATS]
    try:
        found = _PYZBAR.decode(view.image, symbols=symbols)
    except Exception as err:  # pyzbar raises on zbar values it does not know
        log.debug("zbar failed on %s: %r", view.label, err)
        return []
    out = []
    for item in found:
        symbol = _symbol(item)
        if symbol is not None:
            out.append(symbol.mapped(view.to_frame))
    return out


def _symbol(item) -> Symbol | None:
    name, aim = _FORMATS.get(item.type, (None, None))
    if name is None:
        return None
    raw = bytes(item.data)
    if name == "QR Code" and not raw.isascii():
        return None  # zbar guesses the character set of non-ASCII QR text, often wrongly
    text = raw.decode("latin-1" if name != "QR Code" else "ascii")
    if item.type == "UPCA":
        text = "0" + text
    elif item.type == "UPCE":
        text = "0" + upce_to_upca(text)
    return Symbol(
        format=name,
        text=text,
        raw=raw,
        corners=_corners(item),
        aim=aim,
        gs1=name.startswith("DataBar"),
        decoder="zbar",
    )


def upce_to_upca(upce: str) -> str:
    """The UPC-A number an 8-digit UPC-E stands for (number system, 6 digits, check)."""
    system, body, check = upce[0], upce[1:7], upce[7]
    last = body[5]
    if last in "012":
        middle = body[0:2] + last + "0000" + body[2:5]
    elif last == "3":
        middle = body[0:3] + "00000" + body[3:5]
    elif last == "4":
        middle = body[0:4] + "00000" + body[4]
    else:
        middle = body[0:5] + "0000" + last
    return system + middle + check


def _corners(item) -> tuple:
    """zbar gives a polygon for 2D codes and a scan-line box for linear ones."""
    pts = np.array([(p.x, p.y) for p in item.polygon], dtype=np.float32)
    if len(pts) < 3:
        r = item.rect
        pts = np.array(
            [
                (r.left, r.top),
                (r.left + r.width, r.top),
                (r.left + r.width, r.top + r.height),
                (r.left, r.top + r.height),
            ],
            dtype=np.float32,
        )
    else:
        (cx, cy), (w, h), angle = cv2.minAreaRect(pts)
        # a linear code read on one scan line has a flat outline; give it some height
        pts = cv2.boxPoints(((cx, cy), (max(w, 4.0), max(h, 4.0)), angle))
    order = np.argsort(pts.sum(axis=1))
    tl, br = pts[order[0]], pts[order[-1]]
    rest = [pts[i] for i in order[1:-1]]
    tr, bl = sorted(rest, key=lambda p: p[1])
    return tuple((float(x), float(y)) for x, y in (tl, tr, br, bl))
