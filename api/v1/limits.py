"""Per-key request rate (token bucket) and request bodies: size and media type.

The bucket lives in this process's memory. With N server processes behind a
load balancer a key may make up to N times the configured rate in total; set
the rate per process accordingly (or put a shared limiter in front) when that
matters. Buckets of keys not seen for an hour are forgotten.
"""

from __future__ import annotations

import math
import re
import threading
from dataclasses import dataclass

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.v1.problems import problem_response
from station.clock import get_clock
from station.settings import ApiSettings


@dataclass
class _Bucket:
    tokens: float
    at: float


class RateLimiter:
    def __init__(self, per_second: float, burst: int) -> None:
        self.per_second, self.burst = per_second, burst
        self._buckets: dict[str, _Bucket] = {}
        self._lock = threading.Lock()

    def take(self, key: str) -> float:
        """0 if the request may go now, else the seconds until it may."""
        now = get_clock().monotonic()
        with self._lock:
            bucket = self._buckets.get(key)
            if bucket is None:
                bucket = self._buckets[key] = _Bucket(float(self.burst), now)
                if len(self._buckets) > 10_000:
                    self._forget(now)
            bucket.tokens = min(self.burst, bucket.tokens + (now - bucket.at) * self.per_second)
            bucket.at = now
            if bucket.tokens >= 1:
                bucket.tokens -= 1
                return 0.0
            return (1 - bucket.tokens) / self.per_second

    def _forget(self, now: float) -> None:
        for key in [k for k, b in self._buckets.items() if now - b.at > 3600]:
            del self._buckets[key]


def retry_after(seconds: float) -> str:
    return str(max(1, math.ceil(seconds)))


# Which body each write expects: (path pattern, media types, size setting).
_BULK = re.compile(r"^/bulk/[^/]+$")
_IMAGE = re.compile(r"^/listings/[^/]+/images/[^/]+$")
_SYNC_BATCH = re.compile(r"^/sync/batches$")
_PHOTO = re.compile(r"^/sync/photos/[0-9a-f]{64}$")


class BodyGate:
    """Reads each request body up front: refuses one larger than its limit (413)
    or of the wrong media type (415), and hands the rest on unchanged."""

    def __init__(self, app: ASGIApp, settings: ApiSettings) -> None:
        self.app, self.settings = app, settings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in ("POST", "PUT", "PATCH"):
            await self.app(scope, receive, send)
            return
        path = scope["path"].removeprefix(scope.get("root_path", ""))
        limit, accepted = self._expectation(path)
        headers = dict(scope["headers"])
        length = headers.get(b"content-length", b"").decode("latin-1")
        if length.isdigit() and int(length) > limit:
            await self._refuse(scope, send, "payload-too-large", limit)
            return
        body = bytearray()
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            body += message.get("body", b"")
            if len(body) > limit:
                await self._refuse(scope, send, "payload-too-large", limit)
                return
            if not message.get("more_body", False):
                break
        media = headers.get(b"content-type", b"").decode("latin-1").split(";")[0].strip().lower()
        if body and media not in accepted:
            await self._refuse(scope, send, "unsupported-media-type", limit, accepted)
            return
        scope.setdefault("state", {})["body"] = bytes(body)
        await self.app(scope, _replay(bytes(body)), send)

    def _expectation(self, path: str) -> tuple[int, tuple[str, ...]]:
        if _BULK.match(path):
            return self.settings.max_bulk_bytes, ("application/x-ndjson",)
        if _IMAGE.match(path):
            return self.settings.max_image_bytes, ("image/png", "image/jpeg", "image/webp")
        if _PHOTO.match(path):
            return self.settings.max_image_bytes, ("application/octet-stream",)
        if _SYNC_BATCH.match(path):  # records carry whole inspections with their evidence
            return self.settings.max_bulk_bytes, ("application/json",)
        return self.settings.max_body_bytes, ("application/json",)

    async def _refuse(self, scope, send, slug, limit, accepted=()) -> None:
        if slug == "payload-too-large":
            detail = f"the body is larger than this operation's limit of {limit} bytes"
        else:
            detail = f"expected Content-Type {' or '.join(accepted)}"
        response = problem_response(slug, detail, instance=scope["path"])
        await response(scope, _replay(b""), send)


def _replay(body: bytes) -> Receive:
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return {"type": "http.disconnect"}

    return receive
