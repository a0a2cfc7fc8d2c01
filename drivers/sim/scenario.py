"""Orders for simulators as plain data: scenario files, and a control socket.

A scenario is a TOML (or JSON) file with a list of steps run in order:

    repeat = false
    [[step]]
    do = "garbage"             # power-on garbage
    [[step]]
    do = "place"               # an item: settles on 168.2 g after 0.8 s of motion
    grams = 168.2
    settle = 0.8
    [[step]]
    do = "wait"
    seconds = 2

Scale orders: place (grams, settle), remove (settle), overload, underload, garbage
(count), split (frames), stall (seconds), noise (seconds), unplug (seconds: re-plug
after), replug. Scanner orders: scan (text, aim), garbage, unplug, replug. Camera
orders: freeze, unfreeze, pause, resume. Every simulator also takes wait (seconds).

The control socket (a Unix socket) takes one JSON object per line with the same orders
and answers {"ok": true} or {"error": "..."}: another process (the demo, the bench
screen) tells a running simulator what to do with it.
"""

from __future__ import annotations

import json
import socketserver
import threading
import time
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from drivers.errors import DriverError

Step = dict[str, Any]


def _number(step: Step, key: str, default: float | None = None) -> float:
    value = step.get(key, default)
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        raise DriverError(f"step {step!r}: {key} must be a number")
    return float(value)


def apply_scale_step(sim: Any, step: Step) -> None:
    do = step.get("do")
    orders: dict[str, Callable[[], None]] = {
        "place": lambda: sim.place(_number(step, "grams"), _number(step, "settle", 0.6)),
        "remove": lambda: sim.remove(_number(step, "settle", 0.4)),
        "overload": sim.overload,
        "underload": sim.underload,
        "garbage": lambda: sim.garbage(int(_number(step, "count", 24))),
        "split": lambda: sim.split(int(_number(step, "frames", 5))),
        "stall": lambda: sim.stall(_number(step, "seconds")),
        "noise": lambda: sim.noise(_number(step, "seconds")),
        "unplug": lambda: sim.unplug(step.get("seconds")),
        "replug": sim.replug,
    }
    _run(orders, do, step)


def apply_scanner_step(sim: Any, step: Step) -> None:
    orders: dict[str, Callable[[], None]] = {
        "scan": lambda: sim.scan(str(step["text"]), step.get("aim")),
        "garbage": lambda: sim.garbage(int(_number(step, "count", 24))),
        "unplug": lambda: sim.unplug(step.get("seconds")),
        "replug": sim.replug,
    }
    if step.get("do") == "scan" and "text" not in step:
        raise DriverError(f"step {step!r}: scan needs text")
    _run(orders, step.get("do"), step)


def apply_camera_step(sim: Any, step: Step) -> None:
    orders = {"freeze": sim.freeze, "unfreeze": sim.unfreeze, "pause": sim.pause,
              "resume": sim.resume}  # fmt: skip
    _run(orders, step.get("do"), step)


def _run(orders: dict[str, Callable[[], None]], do: Any, step: Step) -> None:
    if do == "wait":
        time.sleep(_number(step, "seconds"))
        return
    if do not in orders:
        known = ", ".join(sorted([*orders, "wait"]))
        raise DriverError(f"unknown order {do!r} in {step!r} (known: {known})")
    orders[do]()


def load_scenario(path: Path) -> tuple[list[Step], bool]:
    """The steps of a scenario file and whether it repeats; DriverError says what is wrong."""
    try:
        text = path.read_text()
        data = json.loads(text) if path.suffix == ".json" else tomllib.loads(text)
    except (OSError, ValueError) as err:
        raise DriverError(f"scenario {path}: {err}") from None
    steps = data.get("step", data.get("steps"))
    if not isinstance(steps, list) or not all(isinstance(s, dict) and "do" in s for s in steps):
        raise DriverError(f"scenario {path}: expected a list of [[step]] tables with 'do'")
    return steps, bool(data.get("repeat", False))


def play(apply: Callable[[Step], None], steps: list[Step], repeat: bool, stop: threading.Event):
    while not stop.is_set():
        for step in steps:
            if stop.is_set():
                return
            apply(step)
        if not repeat:
            return


class ControlSocket:
    """A Unix socket taking JSON-line orders for one simulator."""

    def __init__(self, path: Path | str, apply: Callable[[Step], None]) -> None:
        self.path = Path(path)
        self.path.unlink(missing_ok=True)

        class Handler(socketserver.StreamRequestHandler):
            def handle(self) -> None:
                for line in self.rfile:
                    try:
                        apply(json.loads(line))
                        answer: dict[str, Any] = {"ok": True}
                    except (DriverError, ValueError, KeyError, TypeError) as err:
                        answer = {"error": str(err)}
                    self.wfile.write(json.dumps(answer).encode() + b"\n")

        self._server = socketserver.ThreadingUnixStreamServer(str(self.path), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self.path.unlink(missing_ok=True)


def send_order(path: Path | str, step: Step, timeout: float = 5.0) -> dict[str, Any]:
    """Tell the simulator listening on `path` to do `step`; its answer."""
    import socket

    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.settimeout(timeout)
        sock.connect(str(path))
        sock.sendall(json.dumps(step).encode() + b"\n")
        return json.loads(sock.makefile().readline())
