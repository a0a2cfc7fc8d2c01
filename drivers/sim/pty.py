"""A pseudo-terminal pair standing in for a serial device, published under a symlink.

The simulator owns the master side and also keeps the slave open (so the driver can close
and reopen without the master seeing EIO). Unplug = close both + delete the symlink, the
driver then sees the same errors as a real USB unplug; re-plug = a new pty (a new
/dev/pts/N) and the symlink moved to it, the way /dev/serial/by-id/... behaves.
"""

from __future__ import annotations

import contextlib
import os
import select
import termios
import tty
from pathlib import Path

_SPEEDS = {
    getattr(termios, f"B{n}"): n for n in (1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200)
}


class PtyLink:
    def __init__(self, link: Path | str) -> None:
        self.link = Path(link)
        self.master: int | None = None
        self._slave: int | None = None
        self.device: str | None = None

    @property
    def plugged(self) -> bool:
        return self.master is not None

    def plug(self) -> str:
        master, slave = os.openpty()
        tty.setraw(slave)  # no echo, no CR/LF translation before the driver opens it
        os.set_blocking(master, False)
        self.master, self._slave, self.device = master, slave, os.ttyname(slave)
        self.link.parent.mkdir(parents=True, exist_ok=True)
        temp = self.link.with_name(self.link.name + ".new")
        with contextlib.suppress(FileNotFoundError):
            temp.unlink()
        temp.symlink_to(self.device)
        os.replace(temp, self.link)
        return self.device

    def unplug(self) -> None:
        with contextlib.suppress(FileNotFoundError):
            if self.link.is_symlink():
                self.link.unlink()
        for fd in (self.master, self._slave):
            if fd is not None:
                with contextlib.suppress(OSError):
                    os.close(fd)
        self.master = self._slave = self.device = None

    def read(self, timeout: float) -> bytes:
        """Bytes the driver wrote, waiting at most `timeout`; b'' when none or unplugged."""
        fd = self.master  # unplug() may close it meanwhile, from another thread
        if fd is None:
            return b""
        try:
            ready, _, _ = select.select([fd], [], [], timeout)
            return os.read(fd, 4096) if ready else b""
        except (OSError, ValueError):
            return b""

    def write(self, data: bytes) -> None:
        """Send to the driver; bytes nobody reads are dropped once the buffer is full,
        as on a real line."""
        fd = self.master
        if fd is None:
            return
        with contextlib.suppress(OSError, ValueError):
            os.write(fd, data)

    def baudrate(self) -> int | None:
        """The baud rate the driver set on its side (Linux reports it on the master)."""
        if self.master is None:
            return None
        try:
            return _SPEEDS.get(termios.tcgetattr(self.master)[5])
        except termios.error:
            return None
