"""The station's HTTP client for central's sync endpoints."""

from __future__ import annotations

import logging
import time
from typing import Any

import httpx

from station import __version__
from station.errors import StationError

QUICK_TRIES = 3
# One line per request would bury the log; failures are logged by the worker.
logging.getLogger("httpx").setLevel(logging.WARNING)


class CentralUnavailable(StationError):
    """Central did not answer, or answered that it cannot now (5xx, 429): try later."""


class CentralRefused(StationError):
    """Central answered but refused the request (4xx): the message says why."""


class CentralClient:
    def __init__(self, url: str, key: str, timeout: float, http: httpx.Client | None = None):
        """http: a ready client (tests hand in one bound to an app in the same process)."""
        if not url and http is None:
            raise StationError("sync.central_url is not set (serve --central-url URL)")
        if not key:
            raise StationError("sync.station_key is not set (serve --station-key KEY)")
        self.http = http or httpx.Client(base_url=url.rstrip("/") + "/v1", timeout=timeout)
        self.http.headers.update(
            {"Authorization": f"Bearer {key}", "User-Agent": f"inbound-station/{__version__} sync"}
        )

    def close(self) -> None:
        self.http.close()

    def push(self, station_id: str, records: list[dict[str, Any]]) -> list[dict[str, Any]]:
        body = {"station_id": station_id, "records": records}
        return _field(self._call("POST", "/sync/batches", json=body), "answers")

    def missing(self, hashes: list[str]) -> dict[str, int]:
        """The photos central lacks, each with the bytes it holds of an unfinished upload
        (0 for none): one question for a whole batch, not one per photo."""
        answer = self._call("POST", "/sync/photos/missing", json={"hashes": hashes})
        missing, partial = _field(answer, "missing"), _field(answer, "partial")
        try:
            return {h: int(partial.get(h, 0)) for h in missing}
        except (AttributeError, TypeError, ValueError) as err:
            raise CentralUnavailable(f"unreadable answer from central: {err}") from None

    def upload(self, sha256: str, data: bytes, chunk_bytes: int, start: int | None = None) -> None:
        """Send a photo: whole when small, else in pieces from `start` (where central
        said it stands; asked first when not given). A wrong start costs one refused
        piece: central answers where it really stands."""
        if len(data) <= chunk_bytes:
            self._call("PUT", f"/sync/photos/{sha256}", content=data, headers=_OCTETS)
            return
        if start is None:
            start = self._offset(sha256)
        while start is not None and start < len(data):
            piece = data[start : start + chunk_bytes]
            headers = {
                **_OCTETS,
                "Content-Range": f"bytes {start}-{start + len(piece) - 1}/{len(data)}",
            }
            response = self._call("PUT", f"/sync/photos/{sha256}", content=piece, headers=headers,
                                  resumable=True)  # fmt: skip
            if response.status_code == 409:  # central stands elsewhere: resume there
                start = int(response.headers.get("Upload-Offset", "0"))
            else:
                start = _field(response, "received")

    def reference(self, cursor: str | None, limit: int) -> dict[str, Any]:
        params = {"limit": limit} | ({"after": cursor} if cursor else {})
        return _field(self._call("GET", "/sync/reference", params=params), None)

    def photo(self, sha256: str) -> bytes:
        return self._call("GET", f"/sync/photos/{sha256}").content

    def features(self, sha256: str) -> tuple[int, bytes]:
        """Central's stored listing-match features of a reference image: (format, bytes)."""
        answer = self._call("GET", f"/sync/features/{sha256}")
        try:
            return int(answer.headers.get("Feature-Format", "0")), answer.content
        except ValueError:
            return 0, answer.content

    def _offset(self, sha256: str) -> int | None:
        """Bytes central has of the photo; None when it has all of it."""
        answer = self._call("GET", f"/sync/photos/{sha256}/upload")
        return None if _field(answer, "complete") else _field(answer, "received")

    def _call(self, method: str, path: str, *, resumable: bool = False,
              **kwargs: Any) -> httpx.Response:  # fmt: skip
        try:
            response = self._send(method, path, **kwargs)
            if response.status_code < 400:
                return response
            if resumable and response.status_code == 409:
                return response
            detail = _detail(response)
        except (httpx.TransportError, ValueError) as err:  # ValueError: a cut-off JSON body
            raise CentralUnavailable(f"{method} {path}: {type(err).__name__}: {err}") from None
        if response.status_code >= 500 or response.status_code == 429:
            raise CentralUnavailable(f"{method} {path}: {response.status_code} {detail}")
        raise CentralRefused(f"{method} {path}: {response.status_code} {detail}")

    def _send(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        """A request, tried again at once after a broken connection, or after the wait
        central asks for when the station goes faster than its rate limit (every request
        here is safe to repeat); the worker's back-off takes over when that fails too."""
        for attempt in range(QUICK_TRIES):
            last = attempt == QUICK_TRIES - 1
            try:
                response = self.http.request(method, path, **kwargs)
            except httpx.TransportError:
                if last:
                    raise
                time.sleep(0.05 * (attempt + 1))
                continue
            if response.status_code != 429 or last:
                return response
            time.sleep(_retry_after(response))
        raise AssertionError("unreachable")


_OCTETS = {"Content-Type": "application/octet-stream"}


def _retry_after(response: httpx.Response) -> float:
    try:
        return min(max(float(response.headers.get("Retry-After", "1")), 0.0), 5.0)
    except ValueError:  # an HTTP date: not worth parsing for a short wait
        return 1.0


def _field(response: httpx.Response, name: str | None) -> Any:
    """A field of a JSON answer; a cut-off or garbled answer counts as no answer."""
    try:
        body = response.json()
        return body if name is None else body[name]
    except (ValueError, KeyError, TypeError) as err:
        raise CentralUnavailable(f"unreadable answer from central: {err}") from None


def _detail(response: httpx.Response) -> str:
    try:
        return str(response.json().get("detail", ""))[:300]
    except ValueError:
        return response.text[:300]
