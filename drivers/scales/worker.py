"""The scale worker: poll or stream, parse, emit readings, settle stable weights.

At most one command is outstanding: the next poll (or a requested zero/tare) is written
only after the reply to the previous one, or after `reply_timeout_s`. No reply gives an
"unknown" reading, never zero. Garbage frames and error replies turn into a stalled state
whose reason names the frame that was expected.
"""

from __future__ import annotations

import contextlib
import queue
import time
from dataclasses import dataclass, field
from typing import Any

from drivers.connection import Emit, Now, Opener, SerialWorker, utc_now
from drivers.errors import DriverError
from drivers.link import Port, SerialSettings, open_port
from drivers.readings import LinkState, StableWeight, WeightReading, WeightStatus
from drivers.scales import scale_protocol
from drivers.scales.base import BadFrame, Parsed, Reply, Weighing
from drivers.scales.stability import StabilityFilter, StabilityRule
from drivers.units import to_milligrams

_WEIGHING = (WeightStatus.OK, WeightStatus.MOTION)


@dataclass(frozen=True)
class ScaleSpec:
    name: str
    path: str
    protocol: str
    options: dict[str, Any] = field(default_factory=dict)
    serial: SerialSettings | None = None  # None: the protocol's usual settings
    mode: str | None = None  # poll or continuous; None: the protocol's usual mode
    poll_interval_s: float = 0.1
    reply_timeout_s: float = 0.5
    stall_after_s: float = 1.5
    garbage_limit: int = 3
    stability: StabilityRule = field(default_factory=StabilityRule)
    restart_after_s: float = 5.0  # the watchdog reopens a device stalled this long


class ScaleWorker(SerialWorker):
    kind = "scale"

    def __init__(self, spec: ScaleSpec, emit: Emit, now: Now = utc_now, opener: Opener = open_port):
        self.spec = spec
        self.protocol = scale_protocol(spec.protocol, **spec.options)
        defaults = self.protocol.serial
        serial = spec.serial or SerialSettings(
            defaults.baudrate, defaults.bytesize, defaults.parity, defaults.stopbits
        )
        super().__init__(spec.name, emit, path=spec.path, serial=serial, now=now, opener=opener)
        self.mode = spec.mode or self.protocol.default_mode
        if self.mode not in self.protocol.modes:
            raise DriverError(
                f"scale {spec.name}: {self.protocol.title} has no {self.mode} mode "
                f"(modes: {', '.join(self.protocol.modes)})"
            )
        self.stability = StabilityFilter(spec.stability)
        self.requests: queue.Queue[bytes] = queue.Queue()
        self.identity: str | None = None
        self.last_reading: WeightReading | None = None

    # one connected session -------------------------------------------------------------
    def session(self, port: Port) -> None:
        self.framer = self.protocol.make_framer()
        self.stability.reset()
        self._port = port
        self._outstanding: float | None = None
        self._next_poll = 0.0
        self._last_valid = time.monotonic()
        self._garbage_streak = 0
        self._silent = False
        self._unframed = b""
        self.set_state(
            LinkState.CONNECTING, f"{self.path} open; waiting for {self.protocol.expected}"
        )
        if self.protocol.identify is not None:
            self._send(self.protocol.identify)
        if self.mode == "continuous" and self.protocol.stream_start:
            self._write(self.protocol.stream_start)
        try:
            while True:
                self._turn()
        finally:
            if self.mode == "continuous" and self.protocol.stream_stop:
                with contextlib.suppress(Exception):
                    port.write(self.protocol.stream_stop)

    def _turn(self) -> None:
        now = time.monotonic()
        if self._outstanding is None and self.mode == "poll" and now >= self._next_poll:
            try:
                command = self.requests.get_nowait()
            except queue.Empty:
                command = self.protocol.poll
            self._send(command)
        data = self.read_some(self._port)
        self._unframed = (self._unframed + data)[-64:]
        for chunk in self.framer.feed(data):
            if chunk.is_frame:
                self._unframed = b""
                self._handle(self.protocol.parse(chunk.data))
            else:
                self._garbage(chunk.data, "bytes outside any frame")
        now = time.monotonic()
        if self._outstanding is not None and now - self._outstanding > self.spec.reply_timeout_s:
            self._outstanding = None
            if self._unframed:  # bytes came, but never a whole frame
                self._garbage(self._unframed, "no complete frame in the reply time")
                self._unframed = b""
            self._no_reply()
        if self.mode == "continuous" and now - self._last_valid > self.spec.stall_after_s:
            self._no_reply()

    def _send(self, command: bytes) -> None:
        self._write(command)
        self._outstanding = time.monotonic()
        self._next_poll = self._outstanding + self.spec.poll_interval_s

    def _write(self, data: bytes) -> None:
        self._port.write(data)

    # what came back -----------------------------------------------------------------
    def _handle(self, parsed: Parsed) -> None:
        self._outstanding = None
        if isinstance(parsed, BadFrame):
            self._garbage(parsed.raw, parsed.reason)
            return
        if isinstance(parsed, Reply):
            if parsed.kind in ("error", "unknown_command"):
                self._garbage(parsed.raw, f"the device answered: {parsed.text}")
                return
            if parsed.kind == "identity":
                self._identified(parsed.text)
        self._alive()
        if isinstance(parsed, Weighing):
            self._reading(parsed)

    def _identified(self, identity: str) -> None:
        """Re-identified on every connect: a different device on the same path is said."""
        if self.identity is not None and identity != self.identity:
            self.set_state(
                LinkState.CONNECTING,
                f"a different device answers on {self.path}: id {identity}, was {self.identity}",
            )
        self.identity = identity

    def _alive(self) -> None:
        self._last_valid = time.monotonic()
        self._garbage_streak = 0
        self._silent = False
        if self.state != LinkState.READY:
            who = f" (id {self.identity})" if self.identity else ""
            self.mark_ready(f"{self.protocol.title} on {self.path}{who}")

    def _reading(self, w: Weighing) -> None:
        mg = None if w.value is None else to_milligrams(w.value, w.unit)
        reading = WeightReading(
            self.name, w.value, w.unit, mg, w.stable, w.status, w.raw, self.now(), w.detail
        )
        self.last_reading = reading
        self.emit(reading)
        settled = self.stability.feed(
            mg if w.status in _WEIGHING else None, w.stable, time.monotonic()
        )
        if settled is not None:
            self.emit(StableWeight(self.name, settled, self.now()))

    def _garbage(self, raw: bytes, why: str) -> None:
        self._garbage_streak += 1
        if self._garbage_streak >= self.spec.garbage_limit:
            self.set_state(
                LinkState.STALLED,
                f"expected {self.protocol.expected}, receiving something else ({why}; got "
                f"{raw[:24]!r}): wrong baud rate, line settings ({self.serial.describe()}) "
                "or protocol?",
            )

    def _no_reply(self) -> None:
        waited = time.monotonic() - self._last_valid
        limit = self.spec.stall_after_s
        if not self._silent:
            self._silent = True
            self.stability.reset()
            detail = f"no reply within {self.spec.reply_timeout_s:.1f} s"
            reading = WeightReading(
                self.name, None, "", None, False, WeightStatus.UNKNOWN, b"", self.now(), detail
            )
            self.last_reading = reading
            self.emit(reading)
        if waited > limit and self._garbage_streak < self.spec.garbage_limit:
            asked = f"no answer to {self.protocol.poll!r}" if self.mode == "poll" else "no frame"
            self.set_state(
                LinkState.STALLED,
                f"{asked} for more than {limit:.1f} s (expected {self.protocol.expected})",
            )
