"""A TCP proxy that breaks the network on purpose, for tests of station-to-central sync.

It sits between a client (the station's sync worker) and an upstream (central's
server) and injects the faults a warehouse link shows: latency, connections dropped
before anything is forwarded, resets (RST) mid-stream, half-open connections that
go silent, and responses cut short. Every decision comes from a random generator
seeded per connection (seed, connection number, direction), so a run with the same
seed and the same traffic injects the same faults.

It runs its own asyncio loop in a background thread, so synchronous tests use it
as a context manager:

    with FaultProxy(upstream=("127.0.0.1", port), faults=Faults(reset=0.05), seed=7) as proxy:
        client.get(proxy.url + "/health")
        proxy.cut()       # a network outage: every connection is reset
        proxy.restore()
        proxy.stats.reset
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import itertools
import random
import socket
import struct
import threading
import time
from collections.abc import Awaitable
from dataclasses import dataclass
from typing import Literal

CHUNK = 64 * 1024
# Chunks read ahead of a delayed writer; bounds memory and keeps back-pressure.
QUEUE_DEPTH = 16
Direction = Literal["both", "to_upstream", "to_client"]
CutMode = Literal["reset", "blackhole"]


@dataclass(frozen=True)
class Faults:
    """What to break and how often. Probabilities are 0..1.

    Per connection: `drop` (closed before anything is forwarded) and `slow` (the
    connection gets the latency). Per chunk of up to 64 KiB read: `reset`,
    `half_open` and `truncate` (only on chunks going to the client).
    `direction` limits the per-chunk faults to one way; "to_client" loses replies
    after the upstream has acted on the request.
    """

    latency: float = 0.0
    jitter: float = 0.0
    slow: float = 1.0
    drop: float = 0.0
    reset: float = 0.0
    half_open: float = 0.0
    truncate: float = 0.0
    direction: Direction = "both"

    def __post_init__(self) -> None:
        for name in ("slow", "drop", "reset", "half_open", "truncate"):
            value = getattr(self, name)
            if not 0.0 <= value <= 1.0:
                raise ValueError(f"Faults.{name} must be a probability in 0..1, got {value}")
        if self.latency < 0 or self.jitter < 0:
            raise ValueError("Faults.latency and Faults.jitter must not be negative")
        if self.direction not in ("both", "to_upstream", "to_client"):
            raise ValueError(f"Faults.direction: unknown direction {self.direction!r}")


@dataclass
class FaultStats:
    """Counters of what the proxy did (a copy is handed out; it never changes)."""

    connections: int = 0
    dropped: int = 0
    reset: int = 0
    half_open: int = 0
    truncated: int = 0
    delayed_chunks: int = 0
    refused_while_cut: int = 0
    bytes_to_upstream: int = 0
    bytes_to_client: int = 0


def _rst(writer: asyncio.StreamWriter) -> None:
    """Close with a TCP RST instead of a FIN: SO_LINGER on, timeout 0."""
    sock = writer.get_extra_info("socket")
    if sock is not None:
        with contextlib.suppress(OSError):  # already gone
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    writer.transport.abort()


async def _discard_until_eof(reader: asyncio.StreamReader) -> None:
    """Swallow whatever the peer sends, as a silent network would, until it closes."""
    try:
        while await reader.read(CHUNK):
            pass
    except (ConnectionError, OSError):
        pass


class _Link:
    """One client connection and its upstream connection."""

    def __init__(self, proxy: FaultProxy, number: int, client: tuple) -> None:
        self.proxy = proxy
        self.number = number
        self.client_reader, self.client_writer = client
        self.upstream_writer: asyncio.StreamWriter | None = None
        self.ended = asyncio.Event()
        self.stalled = False
        self.pumps: list[asyncio.Task] = []
        self.open_ways = 2
        self.holder: asyncio.Task | None = None

    def rng(self, part: str) -> random.Random:
        return random.Random(f"{self.proxy.seed}:{self.number}:{part}")

    async def run(self) -> None:
        proxy, faults = self.proxy, self.proxy.faults
        if proxy.cut_mode is not None:
            proxy.count("refused_while_cut")
            await self.refuse(proxy.cut_mode)
            return
        rng = self.rng("connection")
        drop, slow = rng.random() < faults.drop, rng.random() < faults.slow
        if drop:
            proxy.record(self.number, "connection", "dropped")
            self.client_writer.close()
            return
        try:
            up_reader, self.upstream_writer = await asyncio.open_connection(*proxy.upstream)
        except OSError:
            _rst(self.client_writer)  # upstream down: the client sees a reset
            return
        self.pumps = [
            asyncio.create_task(
                self.pump(self.client_reader, self.upstream_writer, "to_upstream", slow)
            ),
            asyncio.create_task(self.pump(up_reader, self.client_writer, "to_client", slow)),
        ]
        await self.ended.wait()
        await self.finish()

    async def refuse(self, mode: CutMode) -> None:
        if mode == "reset":
            _rst(self.client_writer)
            return
        self.stalled = True
        await _discard_until_eof(self.client_reader)
        self.client_writer.close()

    async def pump(self, reader, writer, direction: str, slow: bool) -> None:
        """Read chunks one way, decide their faults, hand them to a (delayed) writer."""
        rng = self.rng(direction)
        queue: asyncio.Queue = asyncio.Queue(QUEUE_DEPTH)
        sender = asyncio.create_task(self.send(queue, writer, direction))
        try:
            while not self.stalled:
                data = await reader.read(CHUNK)
                if not data:
                    await queue.put((time.monotonic(), "eof", b""))
                    break
                faults = self.proxy.faults
                delay = 0.0
                if slow and (faults.latency or faults.jitter):
                    delay = faults.latency + rng.uniform(0.0, faults.jitter)
                    self.proxy.count("delayed_chunks")
                await queue.put(
                    (time.monotonic() + delay, *self.decide(faults, rng, direction, data))
                )
            await sender
        except (ConnectionError, OSError):
            self.ended.set()
        finally:
            sender.cancel()
            self.open_ways -= 1
            if self.open_ways == 0 and not self.stalled:
                self.ended.set()

    def decide(self, faults: Faults, rng: random.Random, direction: str, data: bytes):
        """The fault for one chunk; three draws every time keep the sequence stable."""
        hit_reset, hit_half_open, hit_truncate = rng.random(), rng.random(), rng.random()
        cut_at = rng.randint(0, len(data) - 1) if len(data) > 1 else 0
        if faults.direction not in ("both", direction):
            return "data", data
        if hit_reset < faults.reset:
            return "reset", data
        if hit_half_open < faults.half_open:
            return "half_open", data
        if direction == "to_client" and hit_truncate < faults.truncate:
            return "truncate", data[:cut_at]
        return "data", data

    async def send(self, queue: asyncio.Queue, writer, direction: str) -> None:
        try:
            await self.forward(queue, writer, direction)
        except (ConnectionError, OSError):
            self.ended.set()

    async def forward(self, queue: asyncio.Queue, writer, direction: str) -> None:
        while True:
            release_at, action, data = await queue.get()
            wait = release_at - time.monotonic()
            if wait > 0:
                await asyncio.sleep(wait)
            if self.stalled:
                continue  # half-open: the chunk vanishes
            if action != "data":
                await self.inject(action, writer, direction, data)
                return
            # Counted before the write: the far end may read the bytes (and a test the
            # stats) before drain() returns here.
            self.proxy.count(f"bytes_{direction}", len(data))
            writer.write(data)
            await writer.drain()

    async def inject(self, action: str, writer, direction: str, data: bytes) -> None:
        if action == "eof":
            if writer.can_write_eof():
                writer.write_eof()
            return
        self.proxy.record(self.number, direction, action)
        if action == "reset":
            self.reset()
        elif action == "half_open":
            self.stall()
        elif action == "truncate":
            self.proxy.count("bytes_to_client", len(data))
            writer.write(data)
            await writer.drain()
            self.ended.set()

    def reset(self) -> None:
        for writer in (self.client_writer, self.upstream_writer):
            if writer is not None:
                _rst(writer)
        self.ended.set()

    def stall(self) -> None:
        """Go silent: forward nothing more, hold the client's socket open until it leaves."""
        self.stalled = True
        for task in self.pumps:
            task.cancel()
        if self.upstream_writer is not None:
            self.upstream_writer.close()
        self.holder = asyncio.create_task(self.hold_silently())

    async def hold_silently(self) -> None:
        await _discard_until_eof(self.client_reader)
        self.ended.set()

    async def finish(self) -> None:
        for task in self.pumps:
            task.cancel()
        await asyncio.gather(*self.pumps, return_exceptions=True)
        for writer in (self.client_writer, self.upstream_writer):
            if writer is not None and not writer.is_closing():
                writer.close()


class FaultProxy:
    """The proxy. Use as a context manager; `address`/`url` is where clients connect."""

    def __init__(
        self,
        upstream: tuple[str, int],
        faults: Faults | None = None,
        seed: int = 0,
        listen: tuple[str, int] = ("127.0.0.1", 0),
    ) -> None:
        self.upstream = upstream
        self.faults = faults or Faults()
        self.seed = seed
        self.listen = listen
        self.cut_mode: CutMode | None = None
        self._stats = FaultStats()
        self._events: list[tuple[int, str, str]] = []
        self.address: tuple[str, int] | None = None
        self._numbers = itertools.count()
        self._links: dict[_Link, asyncio.Task] = {}
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(
            target=self._loop.run_forever, name="fault-proxy", daemon=True
        )
        self._server: asyncio.Server | None = None

    # -- life cycle ------------------------------------------------------------------
    def __enter__(self) -> FaultProxy:
        self.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self.stop()

    def start(self) -> None:
        self._thread.start()
        try:
            self._call(self._open())
        except BaseException:  # e.g. the listen port is taken: leave no loop running
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(timeout=10)
            self._loop.close()
            raise

    def stop(self) -> None:
        if not self._thread.is_alive():
            return
        self._call(self._close())
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)
        self._loop.close()

    # -- live control (from any thread) ------------------------------------------------
    @property
    def url(self) -> str:
        host, port = self.address
        return f"http://{host}:{port}"

    @property
    def stats(self) -> FaultStats:
        return dataclasses.replace(self._stats)

    @property
    def events(self) -> list[tuple[int, str, str]]:
        """Injected faults in order: (connection number, direction, fault)."""
        return list(self._events)

    def set_faults(self, faults: Faults) -> None:
        """New faults apply to the next connection and the next chunk read."""
        self.faults = faults

    def set_upstream(self, upstream: tuple[str, int]) -> None:
        """Send new connections elsewhere (an upstream restarted on another port)."""
        self.upstream = upstream

    def cut(self, mode: CutMode = "reset") -> None:
        """A network outage until `restore()`. "reset": every connection, open or new,
        is reset. "blackhole": they all go silent, so clients time out."""
        if mode not in ("reset", "blackhole"):
            raise ValueError(f"cut: unknown mode {mode!r}, expected 'reset' or 'blackhole'")
        self._call(self._cut(mode))

    def restore(self) -> None:
        self.cut_mode = None

    def record(self, number: int, direction: str, fault: str) -> None:
        counter = {"reset": "reset", "half_open": "half_open", "truncate": "truncated"}
        self.count(counter.get(fault, fault))
        self._events.append((number, direction, fault))

    def count(self, counter: str, amount: int = 1) -> None:
        setattr(self._stats, counter, getattr(self._stats, counter) + amount)

    # -- on the proxy's loop -------------------------------------------------------------
    def _call(self, coroutine: Awaitable) -> None:
        asyncio.run_coroutine_threadsafe(coroutine, self._loop).result(timeout=30)

    async def _open(self) -> None:
        self._server = await asyncio.start_server(self._accept, *self.listen)
        self.address = self._server.sockets[0].getsockname()[:2]

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        link = _Link(self, next(self._numbers), (reader, writer))
        self.count("connections")
        self._links[link] = asyncio.current_task()
        try:
            await link.run()
        except (ConnectionError, OSError):
            link.reset()
        except asyncio.CancelledError:
            # Shutting down. Not re-raised: asyncio's stream callback would log a cancelled
            # connection handler as an error.
            link.reset()
        finally:
            self._links.pop(link, None)

    async def _cut(self, mode: CutMode) -> None:
        self.cut_mode = mode
        for link in list(self._links):
            if mode == "reset":
                link.reset()
            elif not link.stalled:
                link.stall()

    async def _close(self) -> None:
        self._server.close()
        for link in list(self._links):
            link.reset()
        if self._links:
            await asyncio.wait(list(self._links.values()), timeout=5)
        await self._server.wait_closed()
        pending = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)
