"""Reference images (listing faces, brand logos) named in a file: read and checked
before anything is stored."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

MAX_IMAGE_BYTES = 20 * 1024 * 1024
_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"RIFF", "image/webp"),
)


@dataclass(frozen=True)
class ImageFile:
    data: bytes
    sha256: str
    media_type: str
    width: int
    height: int

    def columns(self) -> dict[str, object]:
        return {
            "sha256": self.sha256,
            "media_type": self.media_type,
            "width": self.width,
            "height": self.height,
        }


def read_image(path: Path) -> ImageFile:
    """Read and decode an image file; ValueError says what is wrong with it."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ValueError(f"image file {path} does not exist") from None
    except IsADirectoryError:
        raise ValueError(f"{path} is a folder, not an image file") from None
    return decode_image(data, f"image file {path}")


def decode_image(data: bytes, name: str = "the image") -> ImageFile:
    """Check and measure image bytes (PNG, JPEG or WebP); ValueError says what is wrong."""
    if len(data) > MAX_IMAGE_BYTES:
        raise ValueError(f"{name} is larger than {MAX_IMAGE_BYTES // 2**20} MB")
    media_type = next((m for magic, m in _MAGIC if data.startswith(magic)), None)
    if media_type is None:
        raise ValueError(f"{name} is not a PNG, JPEG or WebP image")
    pixels = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_UNCHANGED)
    if pixels is None:
        raise ValueError(f"{name} looks like {media_type} but cannot be decoded (damaged file?)")
    height, width = pixels.shape[:2]
    return ImageFile(data, hashlib.sha256(data).hexdigest(), media_type, width, height)
