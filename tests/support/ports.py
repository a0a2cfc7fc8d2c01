"""Ports for the test servers that are started as separate processes.

Asking the kernel for a free port (bind to port 0, then close) hands two processes that
ask at the same moment the same port, and a server started later may find it taken, or
answer for another. Every port given out here is claimed with a file for the whole
test run (all xdist workers share the folder), so no two tests are ever given the same
one; the kernel's choice still keeps away from ports anyone listens on."""

from __future__ import annotations

import os
import shutil
import socket
import tempfile
import time
from pathlib import Path

_RUN = os.environ.get("PYTEST_XDIST_TESTRUNUID") or f"pid{os.getpid()}"
CLAIMS = Path(tempfile.gettempdir()) / f"inbound-test-ports-{_RUN}"


def free_port() -> int:
    CLAIMS.mkdir(exist_ok=True)
    for _ in range(200):
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        try:
            os.close(os.open(CLAIMS / str(port), os.O_CREAT | os.O_EXCL | os.O_WRONLY))
        except FileExistsError:
            continue  # given to another test of this run already
        return port
    raise RuntimeError(f"no unclaimed free port after 200 tries ({CLAIMS})")


def forget_old_claims(older_than_s: float = 86400) -> None:
    """Claim folders of runs long over (a run in progress elsewhere is left alone)."""
    for folder in CLAIMS.parent.glob("inbound-test-ports-*"):
        try:
            if time.time() - folder.stat().st_mtime > older_than_s:
                shutil.rmtree(folder, ignore_errors=True)
        except OSError:
            continue
