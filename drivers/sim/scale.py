"""A simulated scale on a pseudo-terminal, with faults, driven by calls or by steps.

    sim = ScaleSimulator("mt-sics", "/tmp/bench/scale").start()
    sim.place(168.2)          # grams; settles after settle_s
    sim.remove(); sim.unplug(1.0); sim.stall(2.0); sim.garbage(); sim.stop()

`apply({"do": "place", "grams": 168.2})` takes the same orders as plain data: scenario
files and the control socket use it. If the driver opens the port at another baud rate
than the device's, what it receives is noise, as on a real line.
"""

from __future__ import annotations

import random
import threading
import time
from pathlib import Path
from typing import Any

from drivers.errors import DriverError
from drivers.sim.pan import Pan
from drivers.sim.pty import PtyLink
from drivers.sim.scale_devices import DEFAULT_BAUD, DEVICES, SimDevice

UNITS = {
    "mt-sics": ("g", 2),
    "toledo-8217": ("kg", 3),
    "toledo-continuous": ("kg", 3),
    "nci": ("lb", 2),
    "sma": ("kg", 3),
    "cas": ("kg", 3),
    "adam": ("g", 2),
}


class ScaleSimulator:
    def __init__(
        self,
        protocol: str,
        link: Path | str,
        *,
        baudrate: int | None = None,
        unit: str | None = None,
        capacity_g: float = 6000.0,
        seed: int | None = None,
        **device_options: Any,
    ) -> None:
        if protocol not in DEVICES:
            raise DriverError(f"no simulator for protocol {protocol!r} ({', '.join(DEVICES)})")
        default_unit, decimals = UNITS[protocol]
        if unit is not None and unit != default_unit:
            decimals = {"g": 1, "kg": 3, "lb": 2, "oz": 1}.get(unit, decimals)
        self.protocol, self.unit = protocol, unit or default_unit
        self.device: SimDevice = DEVICES[protocol](self.unit, decimals, **device_options)
        self.pan = Pan(unit=self.unit, decimals=decimals, capacity_g=capacity_g)
        self.baudrate = baudrate or DEFAULT_BAUD.get(protocol, 9600)
        self.link = PtyLink(link)
        self._rng = random.Random(seed)
        self._lock = threading.RLock()
        self._silent_until = 0.0
        self._noise_until = 0.0
        self._split_frames = 0
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.written: list[tuple[float, bytes]] = []  # (monotonic, frame) when recording
        self.record = False

    # lifecycle ------------------------------------------------------------------------
    def start(self) -> ScaleSimulator:
        self.link.plug()
        self._thread = threading.Thread(target=self._run, name=f"sim-{self.protocol}", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread:
            self._thread.join(2)
        self.link.unplug()

    # orders -------------------------------------------------------------------------
    def place(self, grams: float, settle_s: float = 0.6) -> None:
        self.pan.place(grams, settle_s)

    def remove(self, settle_s: float = 0.4) -> None:
        self.pan.remove(settle_s)

    def overload(self) -> None:
        self.pan.place(self.pan.capacity_g * 1.2, 0.2)

    def underload(self) -> None:
        self.pan.place(self.pan.min_g * 3, 0.2)

    def stall(self, seconds: float) -> None:
        """Answer nothing and stream nothing for a while (a hung device)."""
        self._silent_until = time.monotonic() + seconds

    def noise(self, seconds: float) -> None:
        """Send line noise instead of frames for a while (as if at the wrong baud rate)."""
        self._noise_until = time.monotonic() + seconds

    def split(self, frames: int = 5) -> None:
        """Send the next frames in several pieces with small gaps."""
        self._split_frames = frames

    def garbage(self, count: int = 24) -> None:
        """Power-on garbage: random bytes, many with the high bit set."""
        self._send_raw(bytes(self._rng.randrange(256) for _ in range(count)))

    def unplug(self, seconds: float | None = None) -> None:
        with self._lock:
            self.link.unplug()
        if seconds is not None:
            threading.Timer(seconds, self.replug).start()

    def replug(self) -> None:
        with self._lock:
            if not self.link.plugged:
                self.link.plug()
                self.garbage(8)

    def apply(self, step: dict[str, Any]) -> None:
        """One order as data: {"do": "place", "grams": 168.2, "settle": 0.6}, ..."""
        from drivers.sim.scenario import apply_scale_step

        apply_scale_step(self, step)

    # the device loop ----------------------------------------------------------------
    def _run(self) -> None:
        next_stream = time.monotonic()
        while not self._stop.is_set():
            with self._lock:
                plugged = self.link.plugged
            if not plugged:
                time.sleep(0.01)
                continue
            wait = max(0.0, min(next_stream - time.monotonic(), 0.02))
            data = self.link.read(wait)
            now = time.monotonic()
            silent = now < self._silent_until
            if data and not silent:
                for frame in self.device.receive(data, self.pan.state(now)):
                    self._send(frame)
            if now >= next_stream:
                next_stream = now + self.device.period_s
                frame = self.device.stream(self.pan.state(now)) if not silent else None
                if frame:
                    self._send(frame)

    def _send(self, frame: bytes) -> None:
        now = time.monotonic()
        if now < self._noise_until or self._baud_mismatch():
            frame = bytes(0x80 | self._rng.randrange(128) for _ in frame)
        if self._split_frames > 0 and len(frame) >= 3:
            self._split_frames -= 1
            cut = sorted(self._rng.sample(range(1, len(frame)), min(2, len(frame) - 1)))
            for piece in (frame[: cut[0]], frame[cut[0] : cut[-1]], frame[cut[-1] :]):
                self._send_raw(piece)
                time.sleep(0.004)
            return
        self._send_raw(frame)

    def _send_raw(self, data: bytes) -> None:
        with self._lock:
            self.link.write(data)
        if self.record:
            self.written.append((time.monotonic(), data))

    def _baud_mismatch(self) -> bool:
        seen = self.link.baudrate()
        return seen is not None and seen != self.baudrate
