"""The key that signs browser session cookies: from settings, or made once and kept."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from station.settings import Settings

KEY_FILE = "web-secret-key"


def session_key(settings: Settings) -> str:
    """settings.web.secret_key, else the key kept in data_dir (created on first use)."""
    configured = settings.web.secret_key.get_secret_value()
    if configured:
        return configured
    path = Path(settings.data_dir) / KEY_FILE
    if path.exists():
        return path.read_text("ascii").strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    # Written aside, then linked into place: when two server processes start
    # together, exactly one key wins and neither reads a half-written file.
    tmp = path.with_name(f"{KEY_FILE}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(secrets.token_urlsafe(48) + "\n")
    try:
        os.link(tmp, path)
    except FileExistsError:
        pass
    finally:
        tmp.unlink()
    return path.read_text("ascii").strip()
