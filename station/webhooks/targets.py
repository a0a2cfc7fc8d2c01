"""Where a webhook may be sent: http(s) only, and (unless allowed) not to loopback
or private addresses, so a subscription cannot be aimed at the server's own network."""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit


def target_problem(url: str, *, allow_private: bool) -> str | None:
    """Why this URL cannot receive webhooks, or None if it can."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return "not a URL"
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return "expected an http:// or https:// URL with a host name"
    if parts.username or parts.password:
        return "credentials in the URL are not allowed; authenticate by the signature"
    if allow_private:
        return None
    try:
        infos = socket.getaddrinfo(parts.hostname, parts.port or 443, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError):
        return f"host {parts.hostname} cannot be resolved"
    for info in infos:
        address = ipaddress.ip_address(info[4][0])
        if not address.is_global:
            return f"host {parts.hostname} resolves to a non-public address ({address})"
    return None
