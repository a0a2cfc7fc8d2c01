"""The demo's web server: uvicorn, told at Ctrl-C to end the streams open screens hold
(bench and dashboard live events, camera preview), so it stops at once and cleanly.

Without this a server waits for those never-ending responses to finish, and at its
time limit cancels them with a traceback per open screen."""

from __future__ import annotations

import asyncio
import threading
from typing import Any

import uvicorn
from uvicorn.importer import import_from_string

# Named, not imported: station never depends on api (DESIGN.md §3).
APP_FACTORY = "api.main:app_from_environment"
POLL_S = 0.25


class StreamsEndOnStop:
    """ASGI middleware: once `stopping` is set, a request waiting for its client hears
    that the client left (http.disconnect); streaming responses then end normally."""

    def __init__(self, app: Any, stopping: threading.Event) -> None:
        self.app, self.stopping = app, stopping

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def receive_until_stop():
            waiting = asyncio.ensure_future(receive())
            while True:
                done, _ = await asyncio.wait({waiting}, timeout=POLL_S)
                if done:
                    return waiting.result()
                if self.stopping.is_set():
                    waiting.cancel()
                    return {"type": "http.disconnect"}

        state = {"started": False, "complete": False}

        async def send_noting_the_end(message) -> None:
            if message["type"] == "http.response.start":
                state["started"] = True
            elif message["type"] == "http.response.body" and not message.get("more_body"):
                state["complete"] = True
            await send(message)

        await self.app(scope, receive_until_stop, send_noting_the_end)
        if state["started"] and not state["complete"]:
            # The stream was ended for the stop: end the response properly too.
            await send({"type": "http.response.body", "body": b"", "more_body": False})


class DemoServer(uvicorn.Server):
    def __init__(self, config: uvicorn.Config, stopping: threading.Event) -> None:
        super().__init__(config)
        self.stopping = stopping

    def handle_exit(self, sig: int, frame: Any) -> None:
        self.stopping.set()
        super().handle_exit(sig, frame)


def serve(host: str, port: int, log_level: str, stopping: threading.Event) -> None:
    """Serve until Ctrl-C (SIGINT) or SIGTERM; then the signal is raised again, as
    uvicorn does, for the caller to see (KeyboardInterrupt for Ctrl-C)."""
    app = StreamsEndOnStop(import_from_string(APP_FACTORY)(), stopping)
    config = uvicorn.Config(
        app, host=host, port=port, log_level=log_level, timeout_graceful_shutdown=3
    )
    DemoServer(config, stopping).run()
