"""One worker thread per device: connect, run a session, reconnect with back-off.

States: connecting, ready, stalled, disconnected, each with a reason in words. A worker
never raises out of its thread: every error becomes a state. `heartbeat` (monotonic) is
refreshed on every loop turn so the bench's watchdog can tell a hung worker from a
quiet device. Back-off starts again from `backoff_min_s` whenever the device's path
disappears, so a re-plugged device is opened as soon as its stable path is back.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime

from drivers.errors import DriverError
from drivers.link import Port, SerialSettings, explain, open_port, path_present
from drivers.readings import DeviceState, Event, LinkState

log = logging.getLogger(__name__)

Emit = Callable[[Event], None]
Now = Callable[[], datetime]
Opener = Callable[..., Port]  # (path, settings, timeout=seconds) -> an open port


def utc_now() -> datetime:
    return datetime.now(UTC)


class SessionEnded(Exception):
    """The device went away or the worker was told to stop; the message says which."""


class DeviceWorker:
    kind = "device"

    def __init__(self, name: str, emit: Emit, now: Now = utc_now) -> None:
        self.name, self._emit, self.now = name, emit, now
        self.state, self.reason = LinkState.CONNECTING, "starting"
        self.reconnects = 0
        self.heartbeat = time.monotonic()
        self.state_since = time.monotonic()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    # lifecycle -----------------------------------------------------------------------
    def start(self) -> None:
        self._stop.clear()
        self._thread = threading.Thread(target=self._main, name=f"device-{self.name}", daemon=True)
        self._thread.start()

    def stop(self, wait: float = 2.0) -> None:
        self._stop.set()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(wait)

    @property
    def alive(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    @property
    def stopping(self) -> bool:
        return self._stop.is_set()

    def sleep(self, seconds: float) -> bool:
        """Wait, unless told to stop; True when stopping."""
        return self._stop.wait(seconds)

    def _main(self) -> None:
        try:
            self.run()
        except Exception as err:  # the last line of defence: a state, never a crash
            log.exception("device %s: worker failed", self.name)
            self.set_state(LinkState.DISCONNECTED, f"internal error: {err}")

    def run(self) -> None:
        raise NotImplementedError

    # state ---------------------------------------------------------------------------
    def set_state(self, state: LinkState, reason: str) -> None:
        if state == self.state and reason == self.reason:
            return
        if state != self.state:
            self.state_since = time.monotonic()
        self.state, self.reason = state, reason
        self.emit(self.state_event())

    def state_event(self) -> DeviceState:
        return DeviceState(
            self.name, self.kind, self.state.value, self.reason, self.reconnects, self.now()
        )

    def emit(self, event: Event) -> None:
        try:
            self._emit(event)
        except Exception:
            log.exception("device %s: event consumer failed", self.name)


class SerialWorker(DeviceWorker):
    """The connection loop shared by scales and serial scanners; `session` does the rest."""

    def __init__(
        self,
        name: str,
        emit: Emit,
        *,
        path: str,
        serial: SerialSettings,
        now: Now = utc_now,
        opener: Opener = open_port,
        backoff_min_s: float = 0.2,
        backoff_max_s: float = 5.0,
        read_timeout_s: float = 0.02,
    ) -> None:
        super().__init__(name, emit, now)
        self.path, self.serial, self.opener = path, serial, opener
        self.backoff_min_s, self.backoff_max_s = backoff_min_s, backoff_max_s
        self.read_timeout_s = read_timeout_s  # how long one read waits for a first byte
        self._was_ready = False

    def run(self) -> None:
        backoff = self.backoff_min_s
        while not self.stopping:
            self.heartbeat = time.monotonic()
            if not path_present(self.path):
                self.set_state(LinkState.DISCONNECTED, f"{self.path} does not exist (unplugged?)")
                backoff = self.backoff_min_s
                self.sleep(0.05)
                continue
            self.set_state(LinkState.CONNECTING, f"opening {self.path} ({self.serial.describe()})")
            try:
                port = self.opener(self.path, self.serial, timeout=self.read_timeout_s)
            except (DriverError, OSError) as err:
                self.set_state(LinkState.DISCONNECTED, str(err))
                self.sleep(backoff)
                backoff = min(backoff * 2, self.backoff_max_s)
                continue
            backoff = self.backoff_min_s
            self._run_session(port)

    def _run_session(self, port: Port) -> None:
        try:
            port.reset_input_buffer()
            self.session(port)
        except SessionEnded as end:
            if not self.stopping:
                self.set_state(LinkState.DISCONNECTED, str(end))
        except Exception as err:  # pyserial raises SerialException/OSError/TypeError on unplug
            if not isinstance(err, (OSError, TypeError)) and "Serial" not in type(err).__name__:
                log.exception("device %s: unexpected error in session", self.name)
            self.set_state(LinkState.DISCONNECTED, f"{self.path}: {explain(err)}")
        finally:
            try:
                port.close()
            except Exception:
                log.debug("device %s: close failed", self.name, exc_info=True)

    def mark_ready(self, reason: str) -> None:
        if self.state != LinkState.READY and self._was_ready and self.state != LinkState.STALLED:
            self.reconnects += 1
        self._was_ready = True
        self.set_state(LinkState.READY, reason)

    def read_some(self, port: Port) -> bytes:
        """Whatever has arrived, waiting at most the port's timeout for the first byte."""
        self.heartbeat = time.monotonic()
        if self.stopping:
            raise SessionEnded("stopped")
        data = port.read(1)
        waiting = port.in_waiting
        if waiting:
            data += port.read(waiting)
        return data

    def session(self, port: Port) -> None:
        raise NotImplementedError
