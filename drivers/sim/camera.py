"""A camera simulator: MJPEG over HTTP on 127.0.0.1, so OpenCV's real network path is used.

Images from a folder (or given as arrays) are JPEG-encoded once and served as
`multipart/x-mixed-replace` at `fps`. Control: `show(images)`, `freeze()` (repeat one
frame), `pause()` / `resume()` (send nothing: the reader's time limit fires), `stop()`.
Each client gets its own stream; frames carry their send time in `sent` (for benchmarks).
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Sequence
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import cv2

from drivers.cameras.source import IMAGE_SUFFIXES
from drivers.errors import DriverError

BOUNDARY = b"ffmpeg"


class CameraSimulator:
    def __init__(self, images: Path | Sequence[Any], *, port: int = 0, fps: float = 30.0):
        self.fps = fps
        self._jpegs = self._encode(images)
        self._frozen: bytes | None = None
        self._paused = threading.Event()
        self._stopping = threading.Event()
        self.sent: dict[int, float] = {}  # frame number -> monotonic send time
        self._server = ThreadingHTTPServer(("127.0.0.1", port), self._handler())
        self._server.daemon_threads = True
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        return self._server.server_address[1]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/camera.mjpg"

    def start(self) -> CameraSimulator:
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        self._server.shutdown()
        self._server.server_close()

    def show(self, images: Path | Sequence[Any]) -> None:
        self._jpegs = self._encode(images)
        self._frozen = None

    def freeze(self) -> None:
        self._frozen = self._jpegs[0]

    def unfreeze(self) -> None:
        self._frozen = None

    def apply(self, step: dict[str, Any]) -> None:
        """One order as data ({"do": "freeze"}, ...), as scenario files and sockets give it."""
        from drivers.sim.scenario import apply_camera_step

        apply_camera_step(self, step)

    def pause(self) -> None:
        self._paused.set()

    def resume(self) -> None:
        self._paused.clear()

    @staticmethod
    def _encode(images: Path | Sequence[Any]) -> list[bytes]:
        if isinstance(images, (str, Path)):
            folder = Path(images)
            files = sorted(p for p in folder.iterdir() if p.suffix.lower() in IMAGE_SUFFIXES)
            images = [cv2.imread(str(p)) for p in files]
        jpegs = []
        for image in images:
            ok, data = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, 85])
            if ok:
                jpegs.append(data.tobytes())
        if not jpegs:
            raise DriverError("camera simulator: no images to serve")
        return jpegs

    def _handler(self):
        sim = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.0"

            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                self.send_response(200)
                self.send_header(
                    "Content-Type", "multipart/x-mixed-replace;boundary=" + BOUNDARY.decode()
                )
                self.end_headers()
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    sim._serve(self.wfile)

        return Handler

    def _serve(self, out: Any) -> None:
        period, n, next_at = 1.0 / self.fps, 0, time.monotonic()
        while not self._stopping.is_set():
            next_at += period
            delay = next_at - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            else:
                next_at = time.monotonic()
            if self._paused.is_set():
                continue
            jpeg = self._frozen or self._jpegs[n % len(self._jpegs)]
            head = b"--%s\r\nContent-Type: image/jpeg\r\nContent-Length: %d\r\n\r\n" % (
                BOUNDARY,
                len(jpeg),
            )
            out.write(head + jpeg + b"\r\n")
            out.flush()
            self.sent[n] = time.monotonic()
            n += 1
