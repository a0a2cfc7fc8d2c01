"""A real server for the web benchmarks: uvicorn in a thread on a free loopback port."""

from __future__ import annotations

import socket
import threading
import time
from contextlib import contextmanager

import uvicorn

from api.main import create_app
from station.runtime import Runtime


class ServerTimes:
    """ASGI wrapper noting each request's server time: from the request reaching the
    app to the last byte of its response handed to the server (no client, no TCP)."""

    def __init__(self, app) -> None:
        self.app = app
        self.last_ms: float | None = None

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()

        async def timed_send(message):
            await send(message)
            if message["type"] == "http.response.body" and not message.get("more_body"):
                self.last_ms = (time.perf_counter() - started) * 1000

        await self.app(scope, receive, timed_send)


@contextmanager
def running(runtime: Runtime, times: ServerTimes | None = None):
    """Yields the base URL; stops the server afterwards. With `times`, the app is
    wrapped so that times.last_ms holds the server time of the latest request."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    app = create_app(runtime)
    if times is not None:
        times.app = app
        app = times
    config = uvicorn.Config(app, log_level="warning", timeout_graceful_shutdown=2)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    while not server.started:
        if not thread.is_alive():
            raise RuntimeError("the server did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]
