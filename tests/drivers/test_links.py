"""Serial links: exclusive ownership, socket:// URLs, scanners over a pty, the HID worker."""

from __future__ import annotations

import errno
import socket
import threading
import time

import pytest

from drivers.errors import DriverError
from drivers.link import SerialSettings, open_port
from drivers.readings import ScanReading, WeightReading
from drivers.scales.worker import ScaleSpec
from drivers.scanners.worker import ScannerSpec
from drivers.sim.pan import Pan
from drivers.sim.pty import PtyLink
from drivers.sim.scale_devices import MtSicsDevice
from drivers.sim.scanner import ScannerSimulator, keystrokes
from tests.drivers.conftest import state_is

GS = "\x1d"


def test_a_second_owner_is_refused(tmp_path):
    link = PtyLink(tmp_path / "scale")
    link.plug()
    try:
        first = open_port(str(link.link), SerialSettings())
        with pytest.raises(DriverError, match="in use by another program"):
            open_port(str(link.link), SerialSettings())
        first.close()
    finally:
        link.unplug()


def test_the_simulator_sees_the_baud_rate_the_driver_set(tmp_path):
    link = PtyLink(tmp_path / "scale")
    link.plug()
    try:
        port = open_port(str(link.link), SerialSettings(baudrate=4800))
        assert link.baudrate() == 4800
        port.close()
    finally:
        link.unplug()


def test_a_network_scale_over_socket_url(run_bench):
    """An MT-SICS balance on TCP (socket://host:port), the simulator device behind it."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    pan, device = Pan(unit="g", decimals=2), MtSicsDevice()
    pan.place(42.5, 0)
    stop = threading.Event()

    def serve() -> None:
        conn, _ = server.accept()
        conn.settimeout(0.1)
        with conn:
            while not stop.is_set():
                try:
                    data = conn.recv(256)
                except TimeoutError:
                    continue
                if not data:
                    return
                conn.sendall(b"".join(device.receive(data, pan.state())))

    threading.Thread(target=serve, daemon=True).start()
    url = f"socket://127.0.0.1:{server.getsockname()[1]}"
    try:
        _, rec = run_bench(scales=[ScaleSpec("net", url, "mt-sics")])
        reading = rec.wait_for(lambda e: isinstance(e, WeightReading) and e.milligrams)
        assert reading.milligrams == 42500 and reading.stable
    finally:
        stop.set()
        server.close()


def test_serial_scanner_end_to_end(tmp_path, run_bench, simulators):
    sim = ScannerSimulator(tmp_path / "scanner", baudrate=115200).start()
    simulators.append(sim)
    spec = ScannerSpec("scanner", str(tmp_path / "scanner"))
    _, rec = run_bench(scanners=[spec])
    rec.wait_for(state_is("scanner", "ready"))
    sim.scan(f"{GS}0109501101530003{GS}10LOT-7{GS}17251231", aim="]d2")
    scan = rec.wait_for(lambda e: isinstance(e, ScanReading))
    assert scan.text == f"0109501101530003{GS}10LOT-7{GS}17251231"
    assert (scan.aim, scan.symbology, scan.gs1) == ("]d2", "GS1 DataMatrix", True)
    assert scan.raw.startswith(b"]d2\x1d")
    mark = time.monotonic()
    sim.garbage()
    sim.scan("NO-AIM-ID", aim=None)
    sim.scan("Müller 5", aim="]C0")
    scan = rec.wait_for(lambda e: isinstance(e, ScanReading), after=mark)
    assert scan.text == "Müller 5"
    assert [s.text for s in rec.since(mark, ScanReading)] == ["Müller 5"]  # nothing made up
    assert any("AIM" in s.reason for s in rec.since(mark, type(rec.events[0][1])))
    sim.unplug(0.3)
    rec.wait_for(state_is("scanner", "disconnected"), after=mark)
    ready = rec.wait_for(state_is("scanner", "ready"), after=mark + 0.3, timeout=3)
    assert ready.reconnects == 1


def test_hid_worker_decodes_events_and_survives_unplug(tmp_path, run_bench):
    node = tmp_path / "usb-Scanner-event-kbd"
    node.touch()
    plugs, done = [], threading.Event()

    def events(path: str, grab: bool):
        assert grab, "scans must not leak into other windows"
        plugs.append(path)
        if len(plugs) == 1:
            yield from keystrokes("]E05901234123457", start=time.monotonic())
            raise OSError(errno.ENODEV, "No such device")
        yield from keystrokes("]C0SECOND", start=time.monotonic())
        done.wait(10)  # then quiet, like a scanner waiting for the next scan

    spec = ScannerSpec("hid", str(node), interface="hid")
    _, rec = run_bench(scanners=[spec], hid_events=events)
    first = rec.wait_for(lambda e: isinstance(e, ScanReading))
    assert (first.text, first.symbology) == ("5901234123457", "EAN/UPC")
    rec.wait_for(state_is("hid", "disconnected", "unplugged"))
    second = rec.wait_for(lambda e: isinstance(e, ScanReading) and e.text == "SECOND")
    assert second.aim == "]C0"
    done.set()


def test_hid_without_evdev_says_how_to_install_it(tmp_path, run_bench):
    node = tmp_path / "event-kbd"
    node.touch()

    def missing(path: str, grab: bool):
        raise ImportError("No module named 'evdev'")
        yield  # pragma: no cover

    _, rec = run_bench(scanners=[ScannerSpec("hid", str(node), interface="hid")],
                       hid_events=missing)  # fmt: skip
    rec.wait_for(state_is("hid", "disconnected", "inbound-station[hid]"))


def test_the_bench_event_stream_is_asyncio_friendly(tmp_path, simulators):
    import asyncio

    from drivers.bench import Bench
    from drivers.readings import DeviceState

    sim = ScannerSimulator(tmp_path / "scanner", pace=False).start()
    simulators.append(sim)

    async def first_scan() -> list:
        seen = []
        with Bench(scanners=[ScannerSpec("scanner", str(tmp_path / "scanner"))]) as bench:
            async for event in bench.events():
                seen.append(event)
                if isinstance(event, DeviceState) and event.state == "ready":
                    await asyncio.to_thread(sim.scan, "0109501101530003", "]C1")
                if isinstance(event, ScanReading):
                    return seen
        return seen

    seen = asyncio.run(asyncio.wait_for(first_scan(), 10))
    assert isinstance(seen[0], DeviceState)  # current states come first
    assert seen[-1].text == "0109501101530003" and seen[-1].gs1
