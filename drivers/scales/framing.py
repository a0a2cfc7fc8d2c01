"""Cutting a byte stream into frames by the protocol's own delimiters, never by silence.

One receive buffer per connection. Bytes outside a frame, frames that grow past the
protocol's longest frame, and frames interrupted by a new start byte come out as garbage
so the caller can count them (too much garbage means wrong baud rate or protocol).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Chunk:
    data: bytes
    is_frame: bool


class Framer:
    """start (optional) ... end [+ trailer bytes]; `restart_on_start` resyncs on a new start."""

    def __init__(
        self,
        *,
        end: bytes,
        start: bytes | None = None,
        trailer: int = 0,
        max_len: int = 256,
        restart_on_start: bool = True,
    ) -> None:
        self.start, self.end, self.trailer = start, end, trailer
        self.max_len, self.restart_on_start = max_len, restart_on_start
        self._buf = bytearray()
        self._discarding = False

    def reset(self) -> None:
        self._buf.clear()
        self._discarding = False

    def feed(self, data: bytes) -> list[Chunk]:
        self._buf += data
        out: list[Chunk] = []
        while self._buf and self._next(out):
            pass
        return out

    def _next(self, out: list[Chunk]) -> bool:
        """Take one frame or one piece of garbage off the buffer; False: wait for more."""
        buf, start = self._buf, self.start
        if self._discarding:
            return self._discard_to_end(out)
        if start is not None and buf[0] != start[0]:
            at = buf.find(start)
            return self._drop(out, len(buf) if at < 0 else at)
        end_at = buf.find(self.end, 1 if start is not None else 0)
        if start is not None and self.restart_on_start:
            again = buf.find(start, 1)
            if again >= 0 and (end_at < 0 or again < end_at):
                return self._drop(out, again)
        if end_at < 0:
            if len(buf) <= self.max_len:
                return False
            if start is not None and self.restart_on_start:
                return self._drop(out, len(buf))  # the next start byte begins afresh
            self._discarding = True  # everything up to the next end belongs to this one
            return self._discard_to_end(out)
        stop = end_at + len(self.end) + self.trailer
        if len(buf) < stop:
            return False
        if stop > self.max_len:
            return self._drop(out, stop)
        out.append(Chunk(bytes(buf[:stop]), True))
        del buf[:stop]
        return True

    def _discard_to_end(self, out: list[Chunk]) -> bool:
        """An over-long frame: drop bytes through its end, the same however they arrive."""
        at = self._buf.find(self.end)
        if at < 0:
            keep = len(self.end) - 1  # an end marker may straddle two reads
            if len(self._buf) <= keep:
                return False
            return self._drop(out, len(self._buf) - keep)
        stop = at + len(self.end) + self.trailer
        if len(self._buf) < stop:
            return False
        self._discarding = False
        return self._drop(out, stop)

    def _drop(self, out: list[Chunk], count: int) -> bool:
        out.append(Chunk(bytes(self._buf[:count]), False))
        del self._buf[:count]
        return True
