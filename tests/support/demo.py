"""A real `inbound-station demo` process for tests: a free port, its own data folder,
its output in a file to read, and Ctrl-C as in a terminal."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

from tests.support.ports import free_port

COMMAND = str(Path(sys.executable).parent / "inbound-station")
START_S = 240.0  # first start renders and loads the sample data; the machine is shared


class Demo:
    """One `inbound-station demo` process; its output goes to a file we can read."""

    def __init__(self, data_dir: Path, *args: str, visual_checks: bool = True) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = data_dir.parent / f"demo-{self.port}.log"
        env = {k: v for k, v in os.environ.items() if not k.startswith("INBOUND_STATION_")}
        if not visual_checks:  # seconds per unit on two cores; tests/station/workflow has them
            env["INBOUND_STATION_MATCHING__ENABLED"] = "false"
        with self.log.open("w") as out:
            self.process = subprocess.Popen(
                [COMMAND, "demo", "--data-dir", str(data_dir), "--port", str(self.port), *args],
                stdout=out,
                stderr=subprocess.STDOUT,
                env=env,
            )

    def output(self) -> str:
        return self.log.read_text()

    def stop_output(self) -> str:
        return self.output()[getattr(self, "stopped_at", 0) :]

    def wait_for(self, pattern: str, timeout: float = START_S) -> re.Match:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = re.search(pattern, self.output())
            if found:
                return found
            assert self.process.poll() is None, f"demo ended early:\n{self.output()}"
            time.sleep(0.25)
        raise AssertionError(f"no {pattern!r} within {timeout:.0f} s:\n{self.output()}")

    def wait_healthy(self) -> None:
        deadline = time.monotonic() + START_S
        while time.monotonic() < deadline:
            assert self.process.poll() is None, f"demo ended early:\n{self.output()}"
            try:
                if httpx.get(self.url + "/health", timeout=5).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.25)
        raise AssertionError(f"/health never answered:\n{self.output()}")

    def interrupt(self) -> int:
        """Ctrl-C, as in a terminal; the exit code. What it printed from then on is
        `stop_output()`."""
        self.stopped_at = len(self.output())
        self.process.send_signal(signal.SIGINT)
        try:
            return self.process.wait(timeout=120)
        finally:
            if self.process.poll() is None:
                self.process.kill()

    def stop_quietly(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=30)


def signed_in(url: str, username: str, password: str) -> httpx.Client:
    client = httpx.Client(base_url=url, timeout=30)
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text)[1]
    answer = client.post(
        "/login", data={"username": username, "password": password, "csrf_token": token}
    )
    assert answer.status_code == 303 and "login" not in answer.headers["location"], answer.text
    return client
