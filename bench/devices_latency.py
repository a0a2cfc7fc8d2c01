"""Latency from the simulator writing a frame to the pty to the bench publishing the
reading (p50/p95; monotonic clock, simulator in its own process), for a polled scale
(MT-SICS, SI at 50 Hz) and a streaming one (CAS at 50 Hz), both through pyserial, the
framer, the parser and the bench's event fan-out.

    .venv/bin/python bench/devices_latency.py [--seconds 6]

Baseline, same run: the same pty read directly with pyserial (read whatever is there,
no framing/parsing/events): the floor the kernel and pyserial set.
"""

from __future__ import annotations

import argparse
import multiprocessing
import statistics
import tempfile
import threading
import time
from pathlib import Path

from drivers.bench import Bench
from drivers.link import SerialSettings, open_port
from drivers.readings import WeightReading
from drivers.scales.worker import ScaleSpec
from drivers.sim.scale import ScaleSimulator


def percentiles(values: list[float]) -> str:
    values = sorted(values)
    p95 = values[int(0.95 * (len(values) - 1))]
    return (
        f"p50 {statistics.median(values) * 1000:6.2f} ms  p95 {p95 * 1000:6.2f} ms  n={len(values)}"
    )


def pair(written: list[tuple[float, bytes]], arrived: list[tuple[float, bytes]]) -> list[float]:
    """Each arrival against the latest write of the same bytes before it."""
    out = []
    for t, raw in arrived:
        sent = [w for w, data in written if data == raw and w <= t]
        if sent:
            out.append(t - sent[-1])
    return out


def simulate(protocol: str, link: Path, seconds: float, results) -> None:
    """The simulator in its own process (as in production), recording its writes."""
    sim = ScaleSimulator(protocol, link)
    sim.device.period_s = 0.02
    sim.start()
    sim.place(168.2, 0)
    time.sleep(0.5)
    sim.record = True
    time.sleep(seconds)
    sim.record = False
    sim.stop()
    results.put(sim.written)


def through_bench(protocol: str, folder: Path, seconds: float) -> list[float]:
    results = multiprocessing.Queue()
    child = multiprocessing.Process(
        target=simulate, args=(protocol, folder / protocol, seconds, results)
    )
    child.start()
    while not (folder / protocol).exists():
        time.sleep(0.01)
    arrived: list[tuple[float, bytes]] = []

    def listen(event) -> None:
        if isinstance(event, WeightReading) and event.raw:
            arrived.append((time.monotonic(), event.raw))

    spec = ScaleSpec("scale", str(folder / protocol), protocol, poll_interval_s=0.02)
    bench = Bench(scales=[spec])
    bench.listen(listen)
    with bench:
        written = results.get()
    child.join()
    return pair(written, arrived)


def raw_pyserial(folder: Path, seconds: float) -> list[float]:
    sim = ScaleSimulator("cas", folder / "raw")
    sim.device.period_s = 0.02
    sim.start()
    port = open_port(str(folder / "raw"), SerialSettings(), timeout=0.05)
    arrived, stop = [], threading.Event()
    sim.record = True
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        data = port.read(1)
        if data:
            data += port.read(port.in_waiting)
            arrived.append((time.monotonic(), data))
    stop.set()
    sim.record = False
    port.close()
    sim.stop()
    # a read may hold one whole frame or its start: pair on the first bytes
    written = [(t, d) for t, d in sim.written]
    out = []
    for t, data in arrived:
        sent = [w for w, d in written if d.startswith(data[:12]) and w <= t]
        if sent:
            out.append(t - sent[-1])
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=6.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        print(f"baseline pyserial read      {percentiles(raw_pyserial(folder, args.seconds))}")
        for protocol in ("mt-sics", "cas"):
            got = through_bench(protocol, folder, args.seconds)
            print(f"{protocol:8} bytes -> event     {percentiles(got)}")


if __name__ == "__main__":
    main()
