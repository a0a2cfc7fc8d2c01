"""zxing-cpp, the primary decoder: every warehouse format, AIM ids, GS1 content type."""

from __future__ import annotations

import numpy as np
import zxingcpp

from vision.decode.symbol import Symbol
from vision.decode.views import View

_F = zxingcpp.BarcodeFormat
# What a warehouse meets: retail (EAN/UPC with add-ons, DataBar), logistics (GS1-128,
# ITF-14), industrial (Code 39) and 2D (QR, Data Matrix). Leaving out the rest saves
# time and removes chances of a false read.
WAREHOUSE_FORMATS = (_F.EANUPC, _F.Code128, _F.ITF, _F.Code39, _F.DataBar, _F.QRCode, _F.DataMatrix)
RETAIL_ONLY = (_F.EANUPC,)

# zxing-cpp reports UPC-A as EAN-13 (13 digits); keep its names otherwise.
_ADD_ON_KEY = "EanAddOn"


def read(
    view: View,
    *,
    formats: tuple = WAREHOUSE_FORMATS,
    require_add_on: bool = False,
    binarizer: zxingcpp.Binarizer = zxingcpp.Binarizer.LocalAverage,
) -> list[Symbol]:
    """Every symbol zxing-cpp finds in the view, positioned in frame pixels."""
    add_on = zxingcpp.EanAddOnSymbol.Require if require_add_on else zxingcpp.EanAddOnSymbol.Read
    found = zxingcpp.read_barcodes(
        view.image,
        formats=formats,
        text_mode=zxingcpp.TextMode.Plain,
        ean_add_on_symbol=add_on,
        binarizer=binarizer,
    )
    return [_symbol(barcode).mapped(view.to_frame) for barcode in found if barcode.valid]


def _symbol(barcode: zxingcpp.Barcode) -> Symbol:
    p = barcode.position
    corners = tuple(
        (float(pt.x), float(pt.y))
        for pt in (p.top_left, p.top_right, p.bottom_right, p.bottom_left)
    )
    # zxing-cpp also names an add-on it saw but did not trust; only one that is part of
    # the text counts.
    add_on = (barcode.extra or {}).get(_ADD_ON_KEY) or None
    if add_on and not (barcode.text.endswith(add_on) and len(barcode.text) > len(add_on) + 7):
        add_on = None
    return Symbol(
        format=str(barcode.format),
        text=barcode.text,
        raw=bytes(barcode.bytes),
        corners=corners,  # type: ignore[arg-type]
        aim=barcode.symbology_identifier or None,
        gs1=barcode.content_type == zxingcpp.ContentType.GS1,
        add_on=add_on,
        decoder="zxing-cpp",
    )


def warm_up() -> None:
    """First calls pay for lazy set-up inside the library; do it before timing matters."""
    read(View(np.full((32, 32), 255, np.uint8), np.array([[1.0, 0, 0], [0, 1.0, 0]]), "warm"))
