"""Camera frame age at 30 fps over the MJPEG simulator: from the simulator sending a frame
to the bench's grabber publishing it (p50/p95), 640x480.

    .venv/bin/python bench/camera_age.py [--seconds 8]

Each frame's number is painted into the image as a grey level, so the reader can tell
which sent frame it got. Baseline, same run: a bare cv2.VideoCapture.read() loop on the
same stream (what OpenCV alone gives, without our thread, slot and events).
"""

from __future__ import annotations

import argparse
import statistics
import time

import cv2
import numpy as np

from drivers.bench import Bench
from drivers.cameras.source import CameraSpec
from drivers.readings import Frame
from drivers.sim.camera import CameraSimulator

LEVELS = 32  # grey levels 4..252, far enough apart to survive JPEG


def images() -> list[np.ndarray]:
    return [np.full((480, 640, 3), 4 + 8 * i, np.uint8) for i in range(LEVELS)]


def frame_index(image: np.ndarray) -> int:
    return int(round((float(image[200:280, 280:360].mean()) - 4) / 8)) % LEVELS


def age(sim: CameraSimulator, index: int, arrived: float) -> float | None:
    sent = [t for n, t in list(sim.sent.items()) if n % LEVELS == index and t <= arrived]
    return arrived - max(sent) if sent else None


def report(label: str, ages: list[float]) -> None:
    ages = sorted(a for a in ages if a is not None)
    p95 = ages[int(0.95 * (len(ages) - 1))]
    print(f"{label:28} p50 {statistics.median(ages) * 1000:6.1f} ms  "
          f"p95 {p95 * 1000:6.1f} ms  n={len(ages)}")  # fmt: skip


def bare_opencv(seconds: float) -> list[float]:
    sim = CameraSimulator(images(), fps=30).start()
    capture = cv2.VideoCapture(sim.url, cv2.CAP_FFMPEG)
    ages, deadline = [], time.monotonic() + seconds
    while time.monotonic() < deadline:
        ok, image = capture.read()
        if ok:
            ages.append(age(sim, frame_index(image), time.monotonic()))
    capture.release()
    sim.stop()
    return ages[30:]


def through_bench(seconds: float) -> list[float]:
    sim = CameraSimulator(images(), fps=30).start()
    ages: list[float | None] = []

    def listen(event) -> None:
        if isinstance(event, Frame):
            ages.append(age(sim, frame_index(event.image), time.monotonic()))

    bench = Bench(cameras=[CameraSpec("cam", sim.url, event_fps=1000)])
    bench.listen(listen)
    with bench:
        time.sleep(seconds)
    sim.stop()
    return ages[30:]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=8.0)
    args = parser.parse_args()
    report("baseline cv2 read loop", bare_opencv(args.seconds))
    report("bench grabber -> Frame event", through_bench(args.seconds))


if __name__ == "__main__":
    main()
