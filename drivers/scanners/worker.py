"""Scanner workers: serial/USB-CDC (framed by suffix) and HID keyboard-wedge (evdev).

Scanners are quiet until something is scanned, so there is no stall rule. A line that is
not valid UTF-8 and holds C1 control bytes (0x80-0x9F, never in Latin-1 text) is line
noise, not a scan; with `expect_aim` a scan without an AIM identifier is refused and the
state says how to fix the scanner's set-up. No scan is ever made up.
"""

from __future__ import annotations

import errno
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from drivers.connection import DeviceWorker, Emit, Now, Opener, SerialWorker, utc_now
from drivers.link import Port, SerialSettings, open_port, path_present
from drivers.readings import LinkState, ScanReading
from drivers.scanners.aim import split_aim
from drivers.scanners.hid import KEY_ENTER, KEY_KPENTER, HidDecoder, read_events
from drivers.scanners.serial_scanner import Scan, parse_scan, scan_framer


@dataclass(frozen=True)
class ScannerSpec:
    name: str
    path: str
    interface: str = "serial"  # serial (RS-232, USB-CDC) or hid (keyboard wedge)
    suffix: str = "CRLF"
    expect_aim: bool = True
    serial: SerialSettings = field(default_factory=SerialSettings)
    key_gap_s: float = 0.1
    grab: bool = True


def _is_noise(data: bytes) -> bool:
    try:
        data.decode("utf-8")
        return False
    except UnicodeDecodeError:
        return any(0x80 <= b <= 0x9F for b in data)


def publish_scan(worker: DeviceWorker, spec: ScannerSpec, scan: Scan) -> None:
    if spec.expect_aim and scan.symbol.aim is None:
        worker.set_state(
            LinkState.READY,
            f"refused a scan without AIM identifier ({scan.raw[:24]!r}): "
            "turn on AIM ids in the scanner's set-up, or set expect_aim = false",
        )
        return
    s = scan.symbol
    worker.emit(ScanReading(worker.name, s.text, scan.raw, s.symbology, s.aim, s.gs1, worker.now()))


class SerialScannerWorker(SerialWorker):
    kind = "scanner"

    def __init__(
        self, spec: ScannerSpec, emit: Emit, now: Now = utc_now, opener: Opener = open_port
    ):
        self.spec = spec
        super().__init__(
            spec.name,
            emit,
            path=spec.path,
            serial=spec.serial,
            now=now,
            opener=opener,
            read_timeout_s=0.2,  # scans arrive whenever; a read returns at the first byte
        )

    def session(self, port: Port) -> None:
        framer = scan_framer(self.spec.suffix)
        self.mark_ready(f"serial scanner on {self.path}, suffix {self.spec.suffix}")
        while True:
            for chunk in framer.feed(self.read_some(port)):
                if not chunk.is_frame:
                    self._noise(chunk.data, "line longer than any scan")
                elif _is_noise(chunk.data):
                    self._noise(chunk.data, "bytes that are not text")
                else:
                    scan = parse_scan(chunk.data, self.spec.suffix)
                    if scan is not None:
                        publish_scan(self, self.spec, scan)

    def _noise(self, raw: bytes, why: str) -> None:
        self.set_state(
            LinkState.READY,
            f"ignored {why} ({raw[:16]!r}); expected '[AIM id] data {self.spec.suffix}': "
            f"wrong baud rate or line settings ({self.serial.describe()})?",
        )


EventSource = Callable[[str, bool], Iterator[tuple[int, int, int, float]]]


class HidScannerWorker(DeviceWorker):
    kind = "scanner"

    def __init__(
        self, spec: ScannerSpec, emit: Emit, now: Now = utc_now, events: EventSource = read_events
    ):
        super().__init__(spec.name, emit, now)
        self.spec, self.events = spec, events
        self._was_ready = False

    def run(self) -> None:
        while not self.stopping:
            self.heartbeat = time.monotonic()
            if not path_present(self.spec.path):
                self.set_state(LinkState.DISCONNECTED, f"{self.spec.path} does not exist")
                self.sleep(0.2)
                continue
            try:
                self._read(self.events(self.spec.path, self.spec.grab))
            except ImportError:
                self.set_state(
                    LinkState.DISCONNECTED,
                    "python-evdev is not installed: pip install 'inbound-station[hid]'",
                )
                self.sleep(5.0)
            except OSError as err:
                gone = err.errno in (errno.ENODEV, errno.ENOENT)
                why = "unplugged" if gone else str(err)
                self.set_state(LinkState.DISCONNECTED, f"{self.spec.path}: {why}")
                self.sleep(0.2)

    def _read(self, events: Iterator[tuple[int, int, int, float]]) -> None:
        decoder = HidDecoder((KEY_ENTER, KEY_KPENTER), self.spec.key_gap_s)
        if self._was_ready:
            self.reconnects += 1
        self._was_ready = True
        self.set_state(LinkState.READY, f"HID scanner on {self.spec.path} (grabbed)")
        for ev_type, code, value, t in events:
            self.heartbeat = time.monotonic()
            if self.stopping:
                return
            text = decoder.feed(ev_type, code, value, t)
            if text is not None:
                raw = text.encode("utf-8")
                publish_scan(self, self.spec, Scan(split_aim(text), raw))
