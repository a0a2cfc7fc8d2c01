"""The demo bench's simulated scale, scanner and camera.

They speak the real bytes (a scale on a pseudo-terminal in MT-SICS, a serial scanner with
AIM ids, a camera as MJPEG over HTTP), so the bench reads them through the real drivers.
Each takes orders on a Unix socket in the demo's devices folder: the bench screen's
"simulated devices" panel (or anyone) tells them what to do. The camera also takes
{"do": "show", "listing": "L001", "face": "front"}: a photo of that sample item, or
{"do": "show", "empty": true}: the empty bench.
"""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from drivers.errors import DriverError
from drivers.sim.camera import CameraSimulator
from drivers.sim.scale import ScaleSimulator
from drivers.sim.scanner import ScannerSimulator
from drivers.sim.scenario import ControlSocket, send_order
from station.errors import StationError
from station.sample.artwork import photograph, render_face
from station.sample.load import design_for, sample_file

SCALE_PROTOCOL = "mt-sics"
CAMERA_FPS = 10.0
NAMES = ("scale", "scanner", "camera")


def devices_dir(data_dir: Path) -> Path:
    """Where the demo's device links, control sockets and devices file live."""
    return data_dir / "demo-devices"


def socket_path(data_dir: Path, device: str) -> Path:
    return devices_dir(data_dir) / f"{device}.sock"


def order(data_dir: Path, device: str, step: dict[str, Any]) -> None:
    """Tell one running demo device what to do; StationError if it is not there or refuses."""
    try:
        answer = send_order(socket_path(data_dir, device), step, timeout=10.0)
    except OSError as err:
        raise StationError(f"simulated {device} is not running ({err})") from None
    if "error" in answer:
        raise StationError(f"simulated {device}: {answer['error']}")


class DemoDevices:
    """Start the three simulators and their sockets; `devices_file` names them for the bench."""

    def __init__(self, data_dir: Path) -> None:
        self.folder = devices_dir(data_dir)
        self.devices_file = self.folder / "devices.toml"
        self.scale: ScaleSimulator | None = None
        self.scanner: ScannerSimulator | None = None
        self.camera: CameraSimulator | None = None
        self._sockets: list[ControlSocket] = []
        self._listings = {x["id"]: x for x in json.loads(sample_file("listings").read_text())}
        self._rng = random.Random(7)

    def start(self) -> DemoDevices:
        self.folder.mkdir(parents=True, exist_ok=True)
        try:
            self.scale = ScaleSimulator(SCALE_PROTOCOL, self.folder / "scale").start()
            self.scanner = ScannerSimulator(self.folder / "scanner").start()
            self.camera = CameraSimulator(filmed(empty_bench()), fps=CAMERA_FPS).start()
        except (DriverError, OSError) as err:
            self.stop()
            raise StationError(f"demo devices: {err}") from None
        self._sockets = [
            ControlSocket(self.folder / "scale.sock", self.scale.apply),
            ControlSocket(self.folder / "scanner.sock", self.scanner.apply),
            ControlSocket(self.folder / "camera.sock", self._camera_order),
        ]
        self.devices_file.write_text(self._devices_toml())
        return self

    def stop(self) -> None:
        for socket in self._sockets:
            socket.close()
        self._sockets = []
        for sim in (self.camera, self.scanner, self.scale):
            if sim is not None:
                sim.stop()
        self.camera = self.scanner = self.scale = None

    def _camera_order(self, step: dict[str, Any]) -> None:
        assert self.camera is not None
        if step.get("do") != "show":
            self.camera.apply(step)
            return
        if step.get("empty"):
            self.camera.show(filmed(empty_bench()))
            return
        listing = self._listings.get(str(step.get("listing")))
        if listing is None:
            raise DriverError(f"no sample item {step.get('listing')!r} to show the camera")
        face = step.get("face") if step.get("face") in ("front", "back") else "back"
        picture = photograph(render_face(design_for(listing), face), self._rng, size=(640, 480))
        self.camera.show(filmed(picture))

    def _devices_toml(self) -> str:
        assert self.camera is not None
        return f"""# Written by `inbound-station demo` at each start: the demo's simulated devices.
[devices.scale]
role = "scale"
protocol = "{SCALE_PROTOCOL}"
path = "{self.folder / "scale"}"

[devices.scanner]
role = "scanner"
protocol = "serial"
path = "{self.folder / "scanner"}"

[devices.camera]
role = "camera"
path = "{self.camera.url}"
fps = {CAMERA_FPS}
"""


def empty_bench() -> np.ndarray:
    """What the camera sees with nothing under it: the grey bench mat."""
    image = np.full((480, 640, 3), 96, np.uint8)
    cv2.putText(image, "simulated camera: nothing under the lens", (40, 240),
                cv2.FONT_HERSHEY_SIMPLEX, 0.8, (220, 220, 220), 2)  # fmt: skip
    return image


def filmed(image: np.ndarray, frames: int = 4) -> list[np.ndarray]:
    """A still scene as a camera films it: each frame a little different (identical
    frames are what a frozen camera sends, and the camera driver reports that)."""
    rng = np.random.default_rng(7)
    out = []
    for _ in range(frames):
        noise = rng.integers(-3, 4, image.shape, dtype=np.int16)
        out.append(np.clip(image.astype(np.int16) + noise, 0, 255).astype(np.uint8))
    return out
