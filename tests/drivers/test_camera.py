"""Cameras: the MJPEG simulator read through OpenCV's network path, and image folders."""

from __future__ import annotations

import asyncio
import time

import cv2
import numpy as np
import pytest

from drivers.cameras.source import CameraSpec
from drivers.errors import DriverError
from drivers.readings import DeviceState, Frame
from drivers.sim.camera import CameraSimulator
from tests.drivers.conftest import state_is


def images(count: int = 4, size=(240, 320)) -> list[np.ndarray]:
    out = []
    for i in range(count):
        image = np.zeros((*size, 3), np.uint8)
        cv2.putText(image, str(i), (20, 120), cv2.FONT_HERSHEY_SIMPLEX, 3, (0, 255, 255), 5)
        out.append(image)
    return out


@pytest.fixture
def camera_sim():
    sim = CameraSimulator(images(), fps=30).start()
    yield sim
    sim.stop()


def spec(source: str, **extra) -> CameraSpec:
    options = dict(event_fps=10, freeze_after_s=0.6, read_timeout_s=1.0, open_timeout_s=2.0)
    return CameraSpec("top", source, **{**options, **extra})


def test_frames_snapshots_and_a_frozen_stream(camera_sim, run_bench):
    bench, rec = run_bench(cameras=[spec(camera_sim.url, width=320, height=240)])
    ready = rec.wait_for(state_is("top", "ready"))
    assert "frames as configured" in ready.reason
    rec.wait_for(lambda e: isinstance(e, Frame) and e.seq > 5)
    frames = rec.since(0, Frame)
    assert [f.seq for f in frames] == sorted({f.seq for f in frames})
    assert frames[-1].image.shape == (240, 320, 3)

    latest = bench.workers["top"].latest.seq
    shot = asyncio.run(bench.snapshot("top"))
    assert shot.seq > latest and shot.image.shape == (240, 320, 3)

    mark = time.monotonic()
    camera_sim.freeze()
    rec.wait_for(state_is("top", "stalled", "frozen"), after=mark, timeout=4)
    camera_sim.unfreeze()
    rec.wait_for(state_is("top", "ready"), after=mark, timeout=4)


def test_a_silent_stream_is_lost_then_found_again(camera_sim, run_bench):
    _, rec = run_bench(cameras=[spec(camera_sim.url)])
    rec.wait_for(state_is("top", "ready"))
    mark = time.monotonic()
    camera_sim.pause()  # nothing more arrives: OpenCV's read time limit must fire
    rec.wait_for(state_is("top", "disconnected"), after=mark, timeout=5)
    camera_sim.resume()
    ready = rec.wait_for(state_is("top", "ready"), after=mark, timeout=8)
    assert ready.reconnects == 1


def test_a_size_mismatch_is_reported(camera_sim, run_bench):
    _, rec = run_bench(cameras=[spec(camera_sim.url, width=1920, height=1080)])
    ready = rec.wait_for(state_is("top", "ready"))
    assert "configured 1920x1080, frames are 320x240" in ready.reason


def test_a_folder_of_images_is_a_camera(tmp_path, run_bench):
    for i, image in enumerate(images(3, (120, 160))):
        cv2.imwrite(str(tmp_path / f"face-{i}.png"), image)
    bench, rec = run_bench(cameras=[spec(str(tmp_path), fps=20)])
    rec.wait_for(state_is("top", "ready"))
    shot = asyncio.run(bench.snapshot("top"))
    assert shot.image.shape == (120, 160, 3)


def test_an_absent_camera_is_disconnected_not_a_crash(tmp_path, run_bench):
    bench, rec = run_bench(cameras=[spec(str(tmp_path / "missing.mp4"))])
    state = rec.wait_for(state_is("top", "disconnected", "does not exist"))
    assert isinstance(state, DeviceState)
    with pytest.raises(DriverError, match="no new frame"):
        asyncio.run(bench.snapshot("top", timeout=0.3))
