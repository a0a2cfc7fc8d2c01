"""Barcodes rendered with zxing-cpp's writer and placed in camera-like scenes."""

from __future__ import annotations

import cv2
import numpy as np
import zxingcpp

F = zxingcpp.BarcodeFormat


def render(fmt, text: str, scale: int = 2, **options) -> np.ndarray:
    """The symbol as 8-bit grey, with its quiet zones."""
    return np.array(zxingcpp.create_barcode(text, fmt, **options).to_image(scale=scale))


def scene(size=(1280, 960), background: int = 225, seed: int = 0) -> np.ndarray:
    """A grey bench surface with soft shading and sensor noise."""
    w, h = size
    ramp = np.linspace(-12, 12, w, dtype=np.float32)[None, :] + np.zeros((h, 1), np.float32)
    noise = np.random.default_rng(seed).normal(0, 2.5, (h, w)).astype(np.float32)
    return np.clip(background + ramp + noise, 0, 255).astype(np.uint8)


def place(
    canvas: np.ndarray, symbol: np.ndarray, centre, angle: float = 0.0, label_margin: int = 12
) -> np.ndarray:
    """Paste the symbol on a white label, turned by `angle` degrees about `centre`."""
    label = cv2.copyMakeBorder(
        symbol,
        label_margin,
        label_margin,
        label_margin,
        label_margin,
        cv2.BORDER_CONSTANT,
        value=255,
    )
    h, w = label.shape
    turn = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    turn[:, 2] += (centre[0] - w / 2, centre[1] - h / 2)
    out_size = (canvas.shape[1], canvas.shape[0])
    warped = cv2.warpAffine(label, turn, out_size, flags=cv2.INTER_LINEAR, borderValue=0)
    mask = cv2.warpAffine(np.full_like(label, 255), turn, out_size, borderValue=0)
    out = canvas.copy()
    out[mask > 127] = warped[mask > 127]
    return out


def perspective(image: np.ndarray, squeeze: float = 0.15) -> np.ndarray:
    """The scene seen from an angle: the top edge shorter than the bottom one."""
    h, w = image.shape[:2]
    d = squeeze * w
    src = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
    dst = np.float32([[d, 0], [w - d, 0], [w, h], [0, h]])
    matrix = cv2.getPerspectiveTransform(src, dst)
    return cv2.warpPerspective(image, matrix, (w, h), borderMode=cv2.BORDER_REPLICATE)


def noisy(image: np.ndarray, sigma: float, seed: int = 1) -> np.ndarray:
    noise = np.random.default_rng(seed).normal(0, sigma, image.shape)
    return np.clip(image + noise, 0, 255).astype(np.uint8)


def bgr(gray: np.ndarray) -> np.ndarray:
    return cv2.cvtColor(gray, cv2.COLOR_GRAY2BGR)


def texts(symbols) -> list[str]:
    return sorted(s.text for s in symbols)
