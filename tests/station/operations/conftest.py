"""A stand-in central server: answers /health with JSON and a chosen clock offset."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from station.clock import utcnow


class FakeCentral:
    def __init__(self) -> None:
        self.offset_s = 0.0
        central = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                body = json.dumps({"status": "ok", "role": "central"}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def date_time_string(self, timestamp=None) -> str:
                return formatdate(utcnow().timestamp() + central.offset_s, usegmt=True)

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}"


@pytest.fixture
def fake_central() -> Iterator[FakeCentral]:
    central = FakeCentral()
    thread = threading.Thread(target=central.server.serve_forever, daemon=True)
    thread.start()
    yield central
    central.server.shutdown()
    central.server.server_close()
