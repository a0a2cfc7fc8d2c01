"""CPU use of an idle bench with all devices connected: a polled scale (MT-SICS, 10 Hz),
a streaming scale (CAS, 10 Hz), a serial scanner (no scans) and a camera (MJPEG 640x480 at
30 fps), each simulator in its own process. Figures are this process's CPU time over
wall time (100 % = one core), alone per device and all together.

    .venv/bin/python bench/idle_cpu.py [--seconds 10]

Baseline, same run: a bench with no devices (its watchdog only).
"""

from __future__ import annotations

import argparse
import multiprocessing
import tempfile
import time
from pathlib import Path

import numpy as np

from drivers.bench import Bench
from drivers.cameras.source import CameraSpec
from drivers.scales.worker import ScaleSpec
from drivers.scanners.worker import ScannerSpec


def run_simulators(folder: Path, stop) -> None:
    from drivers.sim.camera import CameraSimulator
    from drivers.sim.scale import ScaleSimulator
    from drivers.sim.scanner import ScannerSimulator

    sims = [ScaleSimulator("mt-sics", folder / "scale").start(),
            ScaleSimulator("cas", folder / "cas").start(),
            ScannerSimulator(folder / "scanner").start()]  # fmt: skip
    frames = [np.random.default_rng(i).integers(0, 255, (480, 640, 3), np.uint8) for i in range(4)]
    camera = CameraSimulator(frames, fps=30, port=0).start()
    (folder / "camera.url").write_text(camera.url)
    stop.wait()
    for sim in [*sims, camera]:
        sim.stop()


def cpu_of(seconds: float, **devices) -> float:
    bench = Bench(**devices).start()
    time.sleep(2.0)  # connect and settle
    cpu, wall = time.process_time(), time.monotonic()
    time.sleep(seconds)
    used = (time.process_time() - cpu) / (time.monotonic() - wall)
    bench.stop()
    return used * 100


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=10.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        stop = multiprocessing.Event()
        child = multiprocessing.Process(target=run_simulators, args=(folder, stop))
        child.start()
        while not (folder / "camera.url").exists():
            time.sleep(0.05)
        url = (folder / "camera.url").read_text()
        scale = ScaleSpec("scale", str(folder / "scale"), "mt-sics")
        cas = ScaleSpec("cas", str(folder / "cas"), "cas")
        scanner = ScannerSpec("scanner", str(folder / "scanner"))
        camera = CameraSpec("camera", url, event_fps=2)
        rows = [
            ("baseline: no devices", {}),
            ("MT-SICS scale, polled 10 Hz", {"scales": [scale]}),
            ("CAS scale, streaming 10 Hz", {"scales": [cas]}),
            ("serial scanner, idle", {"scanners": [scanner]}),
            ("camera MJPEG 640x480 30 fps", {"cameras": [camera]}),
            ("all four together", {"scales": [scale, cas], "scanners": [scanner],
                                   "cameras": [camera]}),
        ]  # fmt: skip
        for label, devices in rows:
            print(f"{label:32} {cpu_of(args.seconds, **devices):6.1f} % of one core")
        stop.set()
        child.join()


if __name__ == "__main__":
    main()
