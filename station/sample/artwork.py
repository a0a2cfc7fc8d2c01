"""Packaging artwork and bench photos, rendered by code from a few design values.

Each listing gets a deterministic package face: the brand's colours and mark, a
texture drawn from the listing's seed (so local-feature matching has something
to hold on to), the product title and a coloured variant band. Siblings of one
brand share the design and differ in band colour and text: the hard case for a
listing matcher, on purpose. The back face carries the listing's real GTIN as an
EAN-13 or UPC-A barcode, so the simulated camera produces decodable photos.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

import cv2
import numpy as np
import zxingcpp

# Changes whenever the drawing changes: rendered sample images of another version are redrawn.
ARTWORK_VERSION = "2"
WIDTH, HEIGHT = 480, 640
LOGO_SIZE, LOGO_TOP = 200, 30
EXPOSED_PEAK = 225.0  # grey level the brightest print of a bench photo reaches
FONT = cv2.FONT_HERSHEY_DUPLEX
Colour = tuple[int, int, int]  # BGR


@dataclass(frozen=True)
class PackageDesign:
    brand: str
    brand_colour: Colour
    accent_colour: Colour
    title: str
    variant: str
    band_colour: Colour
    seed: int
    gtin: str


def render_face(design: PackageDesign, face: str = "front") -> np.ndarray:
    """A WIDTHxHEIGHT BGR image of one face of the package."""
    rng = random.Random(f"{design.brand}:{design.seed}:{face}")
    img = np.zeros((HEIGHT, WIDTH, 3), np.uint8)
    _gradient(img, design.brand_colour, _mix(design.brand_colour, (255, 255, 255), 0.35))
    _texture(img, random.Random(f"{design.brand}:{design.seed}"), design.accent_colour)
    # The registered logo as printed on the pack, so the brand-mark check has it to find.
    logo = render_logo(design.brand, design.brand_colour, design.accent_colour, LOGO_SIZE)
    left = (WIDTH - LOGO_SIZE) // 2
    img[LOGO_TOP : LOGO_TOP + LOGO_SIZE, left : left + LOGO_SIZE] = logo
    if face == "back":
        _back_panel(img, design, rng)
    else:
        _title_panel(img, design)
    _band(img, design)
    return img


def render_logo(brand: str, colour: Colour, accent: Colour, size: int = 256) -> np.ndarray:
    """The brand's mark alone on white: what a brand registers as its logo."""
    img = np.full((size, size, 3), 255, np.uint8)
    design = PackageDesign(brand, colour, accent, "", "", colour, 0, "")
    _brand_mark(img, design, (size // 2, size // 2 - 20), size // 3)
    _label(img, brand.upper(), (size // 2, size - 30), 0.9 * size / 256, colour, 2)
    return img


def photograph(face: np.ndarray, rng: random.Random, size=(1280, 960)) -> np.ndarray:
    """The face as a bench camera sees it: on a grey mat, turned a little, in
    perspective, with uneven light and sensor noise, all of it in the frame."""
    width, height = size
    grey = rng.randint(70, 110)
    rim = np.concatenate([face[0], face[-1], face[:, 0], face[:, -1]]).mean()
    # A bench mat contrasts with the goods: a dark pack gets a light mat.
    mat = np.full((height, width, 3), grey + 80 if rim < 110 else grey, np.uint8)
    h, w = face.shape[:2]
    scale = rng.uniform(0.55, 0.8) * height / h
    cx, cy = width / 2 + rng.uniform(-80, 80), height / 2 + rng.uniform(-60, 60)
    angle = np.deg2rad(rng.uniform(-25, 25))
    corners = np.float32([[-w / 2, -h / 2], [w / 2, -h / 2], [w / 2, h / 2], [-w / 2, h / 2]])
    rot = np.float32([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    placed = corners @ rot.T * scale + np.float32([cx, cy])
    placed += np.float32([[rng.uniform(-25, 25), rng.uniform(-25, 25)] for _ in range(4)])
    placed = _within(placed, width, height)
    src = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
    matrix = cv2.getPerspectiveTransform(src, placed)
    warped = cv2.warpPerspective(face, matrix, (width, height))
    mask = cv2.warpPerspective(np.full((h, w), 255, np.uint8), matrix, (width, height))
    photo = np.where(mask[..., None] > 0, warped, mat)
    light = np.linspace(rng.uniform(0.8, 1.0), rng.uniform(1.0, 1.15), width, dtype=np.float32)
    photo = photo.astype(np.float32) * light[None, :, None]
    # The camera's auto exposure keeps the brightest print below the sensor's top.
    peak = float(np.percentile(photo[mask > 0].max(axis=1), 99))
    photo = np.clip(photo * min(1.0, EXPOSED_PEAK / max(peak, 1.0)), 0, 255)
    noise = np.random.default_rng(rng.randint(0, 2**31)).normal(0, 3, photo.shape)
    return np.clip(photo + noise, 0, 255).astype(np.uint8)


def _within(corners: np.ndarray, width: int, height: int, margin: float = 0.04) -> np.ndarray:
    """The package's corners moved (and if need be shrunk) to lie inside the frame with a
    margin: an operator puts the whole item on the mat, as the quality gate asks."""
    low = np.float32([width * margin, height * margin])
    high = np.float32([width, height]) - low
    lo, hi = corners.min(axis=0), corners.max(axis=0)
    fit = float(min(1.0, *((high - low) / (hi - lo))))
    centre = (lo + hi) / 2
    corners = (corners - centre) * fit + centre
    lo, hi = corners.min(axis=0), corners.max(axis=0)
    shift = np.maximum(low - lo, 0) - np.maximum(hi - high, 0)
    return (corners + shift).astype(np.float32)


def _mix(a: Colour, b: Colour, t: float) -> Colour:
    return tuple(int(x * (1 - t) + y * t) for x, y in zip(a, b, strict=True))


def _gradient(img: np.ndarray, top: Colour, bottom: Colour) -> None:
    t = np.linspace(0, 1, img.shape[0], dtype=np.float32)[:, None, None]
    img[:] = (np.float32(top) * (1 - t) + np.float32(bottom) * t).astype(np.uint8)


def _texture(img: np.ndarray, rng: random.Random, accent: Colour) -> None:
    for _ in range(40):
        kind = rng.choice(("circle", "line", "triangle"))
        colour = _mix(accent, (rng.randint(0, 255),) * 3, rng.uniform(0, 0.5))
        x, y = rng.randint(0, WIDTH), rng.randint(0, HEIGHT)
        if kind == "circle":
            cv2.circle(img, (x, y), rng.randint(6, 40), colour, rng.choice((-1, 2, 3)), cv2.LINE_AA)
        elif kind == "line":
            end = (x + rng.randint(-120, 120), y + rng.randint(-120, 120))
            cv2.line(img, (x, y), end, colour, rng.randint(2, 6), cv2.LINE_AA)
        else:
            pts = np.int32([[x + rng.randint(-50, 50), y + rng.randint(-50, 50)] for _ in range(3)])
            cv2.fillPoly(img, [pts], colour, cv2.LINE_AA)


def _brand_mark(img: np.ndarray, design: PackageDesign, centre, radius: int) -> None:
    cv2.circle(img, centre, radius, (255, 255, 255), -1, cv2.LINE_AA)
    cv2.circle(img, centre, radius - 8, design.brand_colour, 6, cv2.LINE_AA)
    sides = 3 + sum(map(ord, design.brand)) % 4
    angles = np.linspace(0, 2 * np.pi, sides, endpoint=False) - np.pi / 2
    pts = np.int32(
        [
            [centre[0] + 0.55 * radius * np.cos(a), centre[1] + 0.55 * radius * np.sin(a)]
            for a in angles
        ]
    )
    cv2.fillPoly(img, [pts], design.accent_colour, cv2.LINE_AA)
    # Outlined, so a pale accent colour still leaves a shape on white.
    cv2.polylines(img, [pts], True, design.brand_colour, max(2, radius // 30), cv2.LINE_AA)
    initials = "".join(word[0] for word in design.brand.split()[:2]).upper()
    pale = sum(design.accent_colour) > 3 * 180  # white letters would vanish on it
    ink = design.brand_colour if pale else (255, 255, 255)
    _label(img, initials, centre, radius / 45, ink, max(2, radius // 25))


def _title_panel(img: np.ndarray, design: PackageDesign) -> None:
    cv2.rectangle(img, (40, 290), (WIDTH - 40, 470), (255, 255, 255), -1)
    cv2.rectangle(img, (40, 290), (WIDTH - 40, 470), design.brand_colour, 3)
    for i, line in enumerate(_wrap(design.title, 22)[:3]):
        _label(img, line, (WIDTH // 2, 335 + i * 45), 0.85, (30, 30, 30), 2)


def _back_panel(img: np.ndarray, design: PackageDesign, rng: random.Random) -> None:
    cv2.rectangle(img, (40, 270), (WIDTH - 40, 530), (255, 255, 255), -1)
    for i in range(4):
        width = rng.randint(180, 360)
        cv2.line(img, (60, 295 + i * 22), (60 + width, 295 + i * 22), (120, 120, 120), 6)
    if design.gtin:
        barcode = barcode_image(design.gtin)
        bh, bw = barcode.shape[:2]
        x, y = (WIDTH - bw) // 2, 390
        img[y : y + bh, x : x + bw] = cv2.cvtColor(barcode, cv2.COLOR_GRAY2BGR)


def barcode_image(gtin: str, scale: int = 2) -> np.ndarray:
    """The retail barcode a GTIN-13/12/8 is printed as, with its quiet zone."""
    digits = gtin.lstrip("0") if len(gtin) == 14 else gtin
    if len(digits) <= 8:
        fmt, text = zxingcpp.BarcodeFormat.EAN8, digits.zfill(8)
    elif len(digits) <= 12:
        fmt, text = zxingcpp.BarcodeFormat.UPCA, digits.zfill(12)
    else:
        fmt, text = zxingcpp.BarcodeFormat.EAN13, digits.zfill(13)
    image = np.array(zxingcpp.create_barcode(text, fmt).to_image(scale=scale))
    return cv2.copyMakeBorder(image, 8, 8, 16, 16, cv2.BORDER_CONSTANT, value=255)


def _band(img: np.ndarray, design: PackageDesign) -> None:
    cv2.rectangle(img, (0, HEIGHT - 100), (WIDTH, HEIGHT), design.band_colour, -1)
    _label(img, design.variant.upper(), (WIDTH // 2, HEIGHT - 50), 1.0, (255, 255, 255), 2)


def _label(img, text: str, centre, scale: float, colour: Colour, thickness: int) -> None:
    if not text:
        return
    (tw, th), _ = cv2.getTextSize(text, FONT, scale, thickness)
    while tw > img.shape[1] - 30 and scale > 0.3:
        scale *= 0.9
        (tw, th), _ = cv2.getTextSize(text, FONT, scale, thickness)
    origin = (int(centre[0] - tw / 2), int(centre[1] + th / 2))
    cv2.putText(img, text, origin, FONT, scale, colour, thickness, cv2.LINE_AA)


def _wrap(text: str, width: int) -> list[str]:
    lines, current = [], ""
    for word in text.split():
        if current and len(current) + 1 + len(word) > width:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}".strip()
    return [*lines, current] if current else lines
