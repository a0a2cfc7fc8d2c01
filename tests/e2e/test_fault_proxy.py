"""The fault proxy breaks the link exactly as configured, and only then: the sync
tests rely on it to tell "lost by the network" from "lost by the software"."""

from __future__ import annotations

import contextlib
import hashlib
import http.client
import random
import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.support.fault_proxy import FaultProxy, Faults

BIG = random.Random(5).randbytes(10 * 1024 * 1024)
SMALL = b"inspection result accepted\n" * 20


class Upstream(ThreadingHTTPServer):
    daemon_threads = True
    requests_seen = 0

    def handle_error(self, request, client_address) -> None:
        pass  # the proxy resets connections on purpose; the client's side is what is tested


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, like the sync worker's client

    def do_GET(self) -> None:
        self.server.requests_seen += 1
        body = BIG if self.path == "/big" else SMALL
        head = f"HTTP/1.1 200 OK\r\nContent-Length: {len(body)}\r\n\r\n".encode()
        # One write, so a small reply is one chunk for the proxy and faults land alike.
        self.wfile.write(head + body)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def upstream() -> Iterator[Upstream]:
    server = Upstream(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def proxy_for(upstream: Upstream, faults: Faults | None = None, seed: int = 1) -> FaultProxy:
    return FaultProxy(upstream=upstream.server_address[:2], faults=faults, seed=seed)


def get(address, path: str = "/small", timeout: float = 30) -> bytes:
    conn = http.client.HTTPConnection(*address, timeout=timeout)
    try:
        conn.request("GET", path)
        return conn.getresponse().read()
    finally:
        conn.close()


def test_without_faults_a_10_mb_body_passes_byte_identical_on_a_kept_alive_connection(upstream):
    with proxy_for(upstream) as proxy:
        conn = http.client.HTTPConnection(*proxy.address, timeout=60)
        bodies = []
        for _ in range(2):
            conn.request("GET", "/big")
            bodies.append(conn.getresponse().read())
        conn.close()
        stats = proxy.stats
    assert [hashlib.sha256(b).hexdigest() for b in bodies] == [hashlib.sha256(BIG).hexdigest()] * 2
    assert stats.connections == 1
    assert stats.bytes_to_client >= 2 * len(BIG)
    assert (stats.reset, stats.dropped, stats.half_open, stats.truncated) == (0, 0, 0, 0)


def test_latency_is_added_each_way(upstream):
    with proxy_for(upstream, Faults(latency=0.3, jitter=0.2)) as proxy:
        started = time.monotonic()
        assert get(proxy.address) == SMALL
        elapsed = time.monotonic() - started
        stats = proxy.stats
    # The request and the reply each wait at least the fixed latency.
    assert elapsed >= 0.6
    assert stats.delayed_chunks >= 2


def test_latency_applies_only_to_the_share_of_connections_marked_slow(upstream):
    with proxy_for(upstream, Faults(latency=0.05, slow=0.0)) as proxy:
        assert get(proxy.address) == SMALL
        assert proxy.stats.delayed_chunks == 0


def test_a_dropped_connection_never_reaches_the_upstream(upstream):
    with proxy_for(upstream, Faults(drop=1.0)) as proxy:
        with pytest.raises((http.client.RemoteDisconnected, ConnectionResetError)):
            get(proxy.address)
        assert proxy.stats.dropped == 1
    assert upstream.requests_seen == 0


def test_a_reset_on_the_request_raises_connection_reset_at_the_client(upstream):
    with proxy_for(upstream, Faults(reset=1.0, direction="to_upstream")) as proxy:
        with pytest.raises(ConnectionResetError):
            get(proxy.address)
        assert proxy.events == [(0, "to_upstream", "reset")]
    assert upstream.requests_seen == 0


def test_a_reset_on_the_reply_comes_after_the_upstream_acted(upstream):
    with proxy_for(upstream, Faults(reset=1.0, direction="to_client")) as proxy:
        with pytest.raises(ConnectionResetError):
            get(proxy.address)
        assert proxy.events == [(0, "to_client", "reset")]
    assert upstream.requests_seen == 1


def test_a_reset_mid_body_breaks_a_large_download(upstream):
    with proxy_for(upstream, Faults(reset=0.05, direction="to_client"), seed=3) as proxy:
        with pytest.raises(ConnectionResetError):
            get(proxy.address, "/big")
        assert proxy.stats.reset == 1
        assert 0 < proxy.stats.bytes_to_client < len(BIG)


def test_half_open_leaves_the_client_waiting_until_its_timeout(upstream):
    with proxy_for(upstream, Faults(half_open=1.0, direction="to_client")) as proxy:
        with pytest.raises(TimeoutError):
            get(proxy.address, timeout=1)
        assert proxy.stats.half_open == 1
    assert upstream.requests_seen == 1


def test_a_truncated_reply_is_incomplete_at_the_client(upstream):
    with proxy_for(upstream, Faults(truncate=1.0), seed=2) as proxy:
        with pytest.raises(http.client.HTTPException):  # IncompleteRead or RemoteDisconnected
            get(proxy.address, "/big")
        # Read raw: the connection ends cleanly (FIN, no reset) before the reply does.
        with socket.create_connection(proxy.address, timeout=30) as raw:
            raw.sendall(b"GET /big HTTP/1.1\r\nHost: x\r\n\r\n")
            received = b"".join(iter(lambda: raw.recv(65536), b""))
        assert proxy.stats.truncated == 2
    assert len(received) < len(BIG)


def test_cut_resets_open_and_new_connections_until_restore(upstream):
    with proxy_for(upstream) as proxy:
        kept = http.client.HTTPConnection(*proxy.address, timeout=30)
        kept.request("GET", "/small")
        assert kept.getresponse().read() == SMALL
        proxy.cut()
        with pytest.raises((ConnectionError, http.client.RemoteDisconnected)):
            kept.request("GET", "/small")
            kept.getresponse().read()
        with pytest.raises(ConnectionError):
            get(proxy.address)
        proxy.restore()
        assert get(proxy.address) == SMALL
        assert proxy.stats.refused_while_cut >= 1


def test_a_blackhole_cut_makes_clients_time_out(upstream):
    with proxy_for(upstream) as proxy:
        proxy.cut("blackhole")
        with pytest.raises(TimeoutError):
            get(proxy.address, timeout=1)
        proxy.restore()
        assert get(proxy.address) == SMALL


def test_set_faults_changes_behaviour_on_a_live_proxy(upstream):
    with proxy_for(upstream) as proxy:
        assert get(proxy.address) == SMALL
        proxy.set_faults(Faults(drop=1.0))
        with pytest.raises((http.client.RemoteDisconnected, ConnectionResetError)):
            get(proxy.address)
        proxy.set_faults(Faults())
        assert get(proxy.address) == SMALL


def run_mixed_faults(upstream: Upstream, seed: int) -> tuple[list, list]:
    faults = Faults(drop=0.15, reset=0.1, truncate=0.15, half_open=0.05)
    outcomes = []
    with proxy_for(upstream, faults, seed=seed) as proxy:
        for _ in range(40):
            try:
                outcomes.append(get(proxy.address, timeout=1) == SMALL)
            except (OSError, http.client.HTTPException):
                outcomes.append(False)
        return outcomes, proxy.events


def test_the_seed_makes_the_fault_sequence_repeatable(upstream):
    first_outcomes, first_events = run_mixed_faults(upstream, seed=42)
    again_outcomes, again_events = run_mixed_faults(upstream, seed=42)
    _, other_events = run_mixed_faults(upstream, seed=43)
    assert first_events == again_events
    assert first_outcomes == again_outcomes
    assert {fault for _, _, fault in first_events} == {"dropped", "reset", "truncate", "half_open"}
    assert any(first_outcomes), "with these faults some requests must still get through"
    assert other_events != first_events


def test_stopping_closes_every_socket(upstream):
    proxy = proxy_for(upstream)
    proxy.start()
    address = proxy.address
    held = socket.create_connection(address, timeout=30)
    held.sendall(b"GET /small HTTP/1.1\r\nHost: x\r\n\r\n")
    assert held.recv(65536).startswith(b"HTTP/1.1 200")
    proxy.stop()
    with contextlib.suppress(ConnectionResetError):  # closed by a reset: also closed
        assert held.recv(65536) == b""
    held.close()
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(address, timeout=5).close()


def test_nonsense_faults_are_refused_with_the_field_named():
    with pytest.raises(ValueError, match="Faults.reset"):
        Faults(reset=1.5)
    with pytest.raises(ValueError, match="direction"):
        Faults(direction="sideways")


def test_new_connections_follow_a_moved_upstream(upstream):
    with proxy_for(upstream) as proxy:
        assert get(proxy.address) == SMALL
        moved = Upstream(("127.0.0.1", 0), Handler)
        threading.Thread(target=moved.serve_forever, daemon=True).start()
        try:
            proxy.set_upstream(moved.server_address[:2])
            assert get(proxy.address) == SMALL
        finally:
            moved.shutdown()
            moved.server_close()
    assert (upstream.requests_seen, moved.requests_seen) == (1, 1)


def test_a_taken_listen_port_is_reported_and_leaves_nothing_running(upstream):
    def proxy_threads() -> int:
        return sum(t.name == "fault-proxy" for t in threading.enumerate())

    with proxy_for(upstream) as first:
        running = proxy_threads()
        second = FaultProxy(upstream=upstream.server_address[:2], listen=first.address)
        with pytest.raises(OSError):
            second.start()
        assert proxy_threads() == running == 1
