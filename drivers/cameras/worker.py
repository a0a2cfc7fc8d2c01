"""The camera grabber: one thread that keeps only the newest frame.

Frames carry a sequence number and a timestamp. A read that fails means the camera is
gone (closed, reopened with back-off); identical frames for `freeze_after_s` mean a
frozen stream (stalled). The consumer never slows the grabber: it either takes the
latest frame or waits for the next one (`snapshot`).
"""

from __future__ import annotations

import threading
import time
from typing import Any

from drivers.cameras.source import CameraSpec, open_source, shape_mismatch
from drivers.connection import DeviceWorker, Emit, Now, utc_now
from drivers.errors import DriverError
from drivers.readings import Frame, LinkState


def _signature(image: Any) -> bytes:
    return image[::16, ::16].tobytes()


class CameraWorker(DeviceWorker):
    kind = "camera"

    def __init__(self, spec: CameraSpec, emit: Emit, now: Now = utc_now) -> None:
        super().__init__(spec.name, emit, now)
        self.spec = spec
        self.latest: Frame | None = None
        self.seq = 0
        self._fresh = threading.Condition()
        self._was_ready = False

    def run(self) -> None:
        backoff = 0.5
        while not self.stopping:
            self.heartbeat = time.monotonic()
            self.set_state(LinkState.CONNECTING, f"opening {self.spec.source}")
            try:
                source = open_source(self.spec)
            except DriverError as err:
                self.set_state(LinkState.DISCONNECTED, str(err))
                self.sleep(backoff)
                backoff = min(backoff * 2, 10.0)
                continue
            try:
                if self._grab(source):
                    backoff = 0.5
            finally:
                source.release()
            if not self.stopping:
                self.sleep(backoff)

    def _grab(self, source: Any) -> bool:
        """Read until the source fails; True when at least one frame came."""
        got_any, last_sig, same_since, next_event = False, None, time.monotonic(), 0.0
        problems = list(getattr(source, "mismatch", []))
        while not self.stopping:
            ok, image = source.read()
            now = time.monotonic()
            self.heartbeat = now
            if not ok or image is None:
                why = "no frame within the read time limit, stream ended or camera unplugged"
                self.set_state(LinkState.DISCONNECTED, f"{self.spec.source}: {why}")
                return got_any
            if not got_any:
                got_any = True
                problems += [p for p in [shape_mismatch(self.spec, image)] if p]
                self._ready(source, problems)
            sig = _signature(image)
            if sig != last_sig:
                last_sig, same_since = sig, now
                if self.state == LinkState.STALLED:
                    self._ready(source, problems)
            elif now - same_since > self.spec.freeze_after_s:
                self.set_state(
                    LinkState.STALLED,
                    f"frozen: identical frames for more than {self.spec.freeze_after_s:g} s",
                )
            frame = self._store(image)
            if self.spec.event_fps > 0 and now >= next_event:
                next_event = now + 1.0 / self.spec.event_fps
                self.emit(frame)
        return got_any

    def _ready(self, source: Any, problems: list[str]) -> None:
        if self.state != LinkState.STALLED and self._was_ready and self.state != LinkState.READY:
            self.reconnects += 1
        self._was_ready = True
        text = "; ".join(problems) if problems else "frames as configured"
        self.set_state(LinkState.READY, f"{source.description}: {text}")

    def _store(self, image: Any) -> Frame:
        with self._fresh:
            self.seq += 1
            frame = Frame(self.name, image, self.seq, self.now())
            self.latest = frame
            self._fresh.notify_all()
        return frame

    def snapshot(self, timeout: float = 2.0) -> Frame:
        """The next frame grabbed after this call (full resolution), so it shows the present."""
        with self._fresh:
            after = self.seq
            if not self._fresh.wait_for(lambda: self.seq > after, timeout):
                raise DriverError(
                    f"camera {self.name}: no new frame within {timeout:g} s ({self.reason})"
                )
            assert self.latest is not None
            return self.latest
