"""Barcode decoding for bench cameras: `decode_image(image_bgr) -> list[Symbol]`."""

from vision.decode.cascade import decode_image
from vision.decode.symbol import Symbol

__all__ = ["Symbol", "decode_image"]
