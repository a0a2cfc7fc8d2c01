"""Size of one evidence photo as the bench stores it (sizes photo storage in docs/scaling.md).

  .venv/bin/python bench/photo_size.py [--photos ../shared/data/products/photos] [--every 4]

The bench keeps a full-resolution camera snapshot as JPEG quality 92
(station/benchrun/runner.py). The development photos are handheld shots of real
products at 348x348; each is encoded at quality 92 at its own size (the baseline:
bytes per pixel of real detail) and resized to 1920x1080, a common UVC bench
camera. Resizing up adds no detail, so the 1080p figure is a lower bound and
native bytes/pixel x 1920x1080 an upper one.
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

import cv2

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = ROOT.parent / "shared" / "data" / "products" / "photos"
QUALITY = [cv2.IMWRITE_JPEG_QUALITY, 92]
FULL_HD = (1920, 1080)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--photos", type=Path, default=DEFAULT)
    parser.add_argument("--every", type=int, default=4, help="use one photo in this many")
    args = parser.parse_args()
    files = sorted(args.photos.rglob("*.jpg"))[:: args.every]
    if not files:
        sys.exit(f"no photos under {args.photos}: the development data is missing")
    per_pixel, full_hd = [], []
    for path in files:
        image = cv2.imread(str(path))
        ok, native = cv2.imencode(".jpg", image, QUALITY)
        per_pixel.append(len(native) / (image.shape[0] * image.shape[1]))
        resized = cv2.resize(image, FULL_HD, interpolation=cv2.INTER_CUBIC)
        ok, large = cv2.imencode(".jpg", resized, QUALITY)
        full_hd.append(len(large))
    pixels = FULL_HD[0] * FULL_HD[1]
    bpp = statistics.median(per_pixel)
    print(f"{len(files)} photos from {args.photos}, JPEG quality 92")
    print(f"native size (baseline): median {bpp:.3f} bytes/pixel")
    print(f"  x 1920x1080 = {bpp * pixels / 1024:,.0f} KiB per photo (upper bound)")
    print(
        f"resized to 1920x1080: median {statistics.median(full_hd) / 1024:,.0f} KiB, "
        f"p90 {statistics.quantiles(full_hd, n=10)[8] / 1024:,.0f} KiB (lower bound)"
    )


if __name__ == "__main__":
    main()
