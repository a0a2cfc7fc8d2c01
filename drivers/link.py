"""Opening serial links: pyserial on a stable path, or `serial_for_url` (socket://...).

One owner per port: real ports are opened with `exclusive=True` (an advisory flock), and
Python opens file descriptors close-on-exec, so no child process inherits a port.
Optional OS features (low-latency mode, modem lines) are tried and allowed to fail.
"""

from __future__ import annotations

import contextlib
import errno
import os
import termios
from dataclasses import dataclass
from typing import Protocol

import serial

from drivers.errors import DriverError

PARITIES = {"N": serial.PARITY_NONE, "E": serial.PARITY_EVEN, "O": serial.PARITY_ODD,
            "M": serial.PARITY_MARK, "S": serial.PARITY_SPACE}  # fmt: skip


@dataclass(frozen=True)
class SerialSettings:
    baudrate: int = 9600
    bytesize: int = 8
    parity: str = "N"
    stopbits: int = 1
    xonxoff: bool = False
    rtscts: bool = False

    def describe(self) -> str:
        return f"{self.baudrate} {self.bytesize}{self.parity}{self.stopbits}"


class Port(Protocol):
    """What workers use of a pyserial port; tests may pass any object like it."""

    def read(self, size: int = 1) -> bytes: ...

    def write(self, data: bytes) -> int | None: ...

    def reset_input_buffer(self) -> None: ...

    def close(self) -> None: ...

    @property
    def in_waiting(self) -> int: ...


def is_url(path: str) -> bool:
    return "://" in path


def path_present(path: str) -> bool:
    """Whether the device node (or the symlink's target) exists; URLs are always 'present'."""
    return is_url(path) or os.path.exists(path)


def open_port(path: str, settings: SerialSettings, timeout: float = 0.02) -> serial.SerialBase:
    """Open and configure a port, then read the settings back; DriverError if they differ."""
    kwargs = dict(
        baudrate=settings.baudrate,
        bytesize=settings.bytesize,
        parity=PARITIES[settings.parity],
        stopbits=settings.stopbits,
        xonxoff=settings.xonxoff,
        rtscts=settings.rtscts,
        timeout=timeout,
        write_timeout=1.0,
    )
    try:
        port = _open(path, kwargs)
    except termios.error as err:
        if not os.path.realpath(path).startswith("/dev/pts/"):
            raise DriverError(f"cannot open {path}: {err}") from None
        # A Linux pty stores every setting as 8N1 and may refuse 7-bit/parity requests;
        # simulators mask to 7 bits themselves, so the pseudo-terminal is opened as 8N1.
        kwargs.update(bytesize=8, parity=serial.PARITY_NONE)
        port = _open(path, kwargs)
    except (serial.SerialException, OSError, ValueError) as err:
        raise DriverError(f"cannot open {path}: {explain(err)}") from None
    if not is_url(path):
        with contextlib.suppress(Exception):  # ptys and many adapters refuse it
            port.set_low_latency_mode(True)
    got = port.get_settings()
    if got.get("baudrate") != settings.baudrate:
        port.close()
        raise DriverError(
            f"{path}: asked for {settings.baudrate} baud, the port reports {got.get('baudrate')}"
        )
    return port


def _open(path: str, kwargs: dict) -> serial.SerialBase:
    try:
        if is_url(path):
            return serial.serial_for_url(path, **kwargs)
        return serial.Serial(path, exclusive=True, **kwargs)
    except (serial.SerialException, OSError, ValueError) as err:
        raise DriverError(f"cannot open {path}: {explain(err)}") from None


def explain(err: BaseException) -> str:
    """Words for a serial error; 'gone' errors all read as a disconnect."""
    text = str(err)
    code = getattr(err, "errno", None)
    if "readiness to read but returned no data" in text or code in (errno.EIO, errno.ENODEV):
        return "device disconnected (or another program reads the same port)"
    if "exclusively lock" in text or code == errno.EAGAIN:
        return "port is in use by another program"
    if code == errno.ENOENT or "No such file" in text:
        return "no such device (unplugged?)"
    if code == errno.EACCES or "Permission denied" in text:
        return "permission denied (is the user in the dialout group?)"
    if "Connection refused" in text:
        return "connection refused"
    return text or type(err).__name__
