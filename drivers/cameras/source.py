"""Where frames come from: OpenCV (V4L2 device, RTSP/HTTP URL, video file) or a folder.

V4L2: the FOURCC is set first, then size, then rate, and everything is read back; the
first frame's shape is checked too, because `set()` may "succeed" while the driver
ignores or clamps the value. Network streams get OpenCV's open/read time limits; a V4L2
read waits at most OPENCV_VIDEOIO_V4L_SELECT_TIMEOUT seconds (set here, before the
first capture is opened).
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

os.environ.setdefault("OPENCV_VIDEOIO_V4L_SELECT_TIMEOUT", "5")

import cv2

from drivers.errors import DriverError

IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".bmp", ".webp")


@dataclass(frozen=True)
class CameraSpec:
    name: str
    source: str  # V4L2 index or /dev path, rtsp:// or http:// URL, video file, image folder
    width: int | None = None
    height: int | None = None
    fourcc: str | None = None  # e.g. MJPG
    fps: float | None = None
    open_timeout_s: float = 5.0
    read_timeout_s: float = 5.0
    freeze_after_s: float = 3.0  # identical frames this long = frozen stream
    event_fps: float = 2.0  # Frame events on the bench's stream (0 = snapshots only)
    restart_after_s: float = 10.0


class FolderSource:
    """A folder of images played in name order as a camera (the demo's camera)."""

    def __init__(self, folder: Path, fps: float) -> None:
        self.files = sorted(p for p in folder.iterdir() if p.suffix.lower() in IMAGE_SUFFIXES)
        if not self.files:
            raise DriverError(f"no images ({', '.join(IMAGE_SUFFIXES)}) in {folder}")
        self.period = 1.0 / fps
        self._next, self._i = time.monotonic(), 0
        self.description = f"{len(self.files)} images from {folder}"

    def read(self) -> tuple[bool, Any]:
        delay = self._next - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        self._next = max(self._next + self.period, time.monotonic() - self.period)
        image = cv2.imread(str(self.files[self._i % len(self.files)]))
        self._i += 1
        return image is not None, image

    def release(self) -> None:
        pass


class OpenCvSource:
    def __init__(self, spec: CameraSpec) -> None:
        self.spec = spec
        self.capture = _open_capture(spec)
        if not self.capture.isOpened():
            self.capture.release()
            raise DriverError(f"cannot open camera {spec.source!r}")
        self.mismatch = _configure(self.capture, spec) if _is_device(spec.source) else []
        self.description = f"{spec.source} via {self.capture.getBackendName()}"

    def read(self) -> tuple[bool, Any]:
        return self.capture.read()

    def release(self) -> None:
        self.capture.release()


def open_source(spec: CameraSpec) -> FolderSource | OpenCvSource:
    path = Path(spec.source)
    if "://" not in spec.source and path.is_dir():
        return FolderSource(path, spec.fps or 10.0)
    if not _is_device(spec.source) and "://" not in spec.source and not path.exists():
        raise DriverError(f"camera source {spec.source} does not exist")
    return OpenCvSource(spec)


def _is_device(source: str) -> bool:
    return source.isdigit() or source.startswith("/dev/")


def _open_capture(spec: CameraSpec) -> cv2.VideoCapture:
    if _is_device(spec.source):
        target: int | str = int(spec.source) if spec.source.isdigit() else spec.source
        return cv2.VideoCapture(target, cv2.CAP_V4L2)
    params = [
        cv2.CAP_PROP_OPEN_TIMEOUT_MSEC,
        int(spec.open_timeout_s * 1000),
        cv2.CAP_PROP_READ_TIMEOUT_MSEC,
        int(spec.read_timeout_s * 1000),
    ]
    return cv2.VideoCapture(spec.source, cv2.CAP_FFMPEG, params)


def _configure(capture: cv2.VideoCapture, spec: CameraSpec) -> list[str]:
    """Apply the V4L2 settings in the order that works, then read them back."""
    capture.set(cv2.CAP_PROP_BUFFERSIZE, 1)
    wanted: list[tuple[str, int, Any]] = []
    if spec.fourcc:
        wanted.append(("format", cv2.CAP_PROP_FOURCC, cv2.VideoWriter_fourcc(*spec.fourcc)))
    if spec.width:
        wanted.append(("width", cv2.CAP_PROP_FRAME_WIDTH, spec.width))
    if spec.height:
        wanted.append(("height", cv2.CAP_PROP_FRAME_HEIGHT, spec.height))
    if spec.fps:
        wanted.append(("fps", cv2.CAP_PROP_FPS, spec.fps))
    for _, prop, value in wanted:
        capture.set(prop, value)
    problems = []
    for label, prop, value in wanted:
        got = capture.get(prop)
        if label == "format":
            if int(got) != value:
                problems.append(f"format {spec.fourcc} asked, camera gives {fourcc_text(got)}")
        elif abs(got - value) > 0.5:
            problems.append(f"{label} {value} asked, camera gives {got:g}")
    return problems


def fourcc_text(value: float) -> str:
    code = int(value)
    return "".join(chr((code >> (8 * i)) & 0xFF) for i in range(4))


def shape_mismatch(spec: CameraSpec, image: Any) -> str | None:
    height, width = image.shape[:2]
    if (spec.width and spec.width != width) or (spec.height and spec.height != height):
        return f"configured {spec.width}x{spec.height}, frames are {width}x{height}"
    return None
