"""The station's client: short waits for broken connections and rate limits, then it
gives the worker a clear "central unavailable" or "central refused"."""

from __future__ import annotations

import httpx
import pytest

from station.sync.client import CentralClient, CentralRefused, CentralUnavailable


def _client(answers: list) -> tuple[CentralClient, list]:
    seen = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.url.path)
        answer = answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer

    http = httpx.Client(base_url="http://central/v1", transport=httpx.MockTransport(handler))
    return CentralClient("", "isk_key", timeout=5, http=http), seen


def test_a_rate_limit_and_a_reset_connection_are_waited_out():
    ok = httpx.Response(200, json={"missing": [], "partial": {}})
    limited = httpx.Response(429, headers={"Retry-After": "0"})
    client, seen = _client([limited, httpx.ReadError("reset"), ok])
    assert client.missing(["a" * 64]) == {}
    assert len(seen) == 3


def test_persistent_trouble_and_refusals_are_told_apart():
    client, _ = _client([httpx.ConnectError("refused")] * 3)
    with pytest.raises(CentralUnavailable):
        client.missing([])
    client, _ = _client([httpx.Response(403, json={"detail": "key of another station"})])
    with pytest.raises(CentralRefused, match="another station"):
        client.push("HZ1-B01", [])
    client, _ = _client([httpx.Response(200, content=b'{"answ')])  # an answer cut short
    with pytest.raises(CentralUnavailable, match="unreadable"):
        client.push("HZ1-B01", [])
