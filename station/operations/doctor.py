"""`inbound-station doctor`: is this installation fit to work, and if not, what to fix.

Each check returns Findings (OK, WARN or FAIL, with what to do); none raises, so one
broken part never hides the state of the others.
"""

from __future__ import annotations

import importlib.metadata
import os
import platform
from collections.abc import Callable
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from enum import StrEnum
from pathlib import Path

import httpx

from station import __version__
from station.clock import utcnow
from station.db.engine import Database
from station.db.migrate import head_revision, schema_status
from station.devices.config import DeviceConfigError, DeviceEntry, load_devices
from station.settings import Settings
from station.sync.disk import disk_space

UDEV_HINT = (
    "add the bench user to the groups: sudo usermod -aG dialout,input,video USER (then log "
    "in again), and install config/udev/99-inbound-station.rules (docs/operations.md)"
)
# Groups that own each kind of device node on Debian/Ubuntu (config/udev rules).
GROUP_OF = {"scale": "dialout", "scanner": "dialout", "camera": "video"}


class Status(StrEnum):
    OK = "OK"
    WARN = "WARN"
    FAIL = "FAIL"


@dataclass(frozen=True)
class Finding:
    check: str
    status: Status
    message: str
    fix: str = ""

    def line(self) -> str:
        text = f"{self.status.value:<4} {self.check}: {self.message}"
        return f"{text}\n     -> {self.fix}" if self.fix else text


Check = Callable[[Settings], list[Finding]]


def check_database(settings: Settings) -> list[Finding]:
    database = Database(settings.database_url)
    try:
        status = schema_status(database.engine)
    except Exception as err:
        return [
            Finding(
                "database",
                Status.FAIL,
                f"cannot open {_safe_url(settings.database_url)}: {type(err).__name__}: {err}",
                "check database_url and that the database server runs and lets this user in",
            )
        ]
    finally:
        database.dispose()
    if status.up_to_date:
        return [Finding("database", Status.OK, f"{database.dialect}, {status.describe()}")]
    return [
        Finding(
            "database",
            Status.FAIL,
            f"{database.dialect}, {status.describe()}",
            "back up (inbound-station backup), then run: inbound-station migrate",
        )
    ]


def _safe_url(url: str) -> str:
    """The URL without a password, for printing."""
    from sqlalchemy import make_url

    return make_url(url).render_as_string(hide_password=True)


def check_devices(settings: Settings) -> list[Finding]:
    path = settings.devices.file
    try:
        entries = load_devices(path)
    except DeviceConfigError as err:
        return [Finding("devices", Status.FAIL, str(err), f"correct {path}")]
    if not entries:
        status = Status.WARN if settings.role == "station" else Status.OK
        return [
            Finding(
                "devices",
                status,
                f"no devices file at {path} (no scales, scanners or cameras)",
                "write one from config/devices.example.toml" if status is Status.WARN else "",
            )
        ]
    return [_check_device(entry) for entry in entries]


def _check_device(entry: DeviceEntry) -> Finding:
    name = f"device {entry.name} ({entry.role})"
    node = _device_node(entry)
    if node is None:
        return Finding(name, Status.OK, f"{entry.path} (not a local device node; not checked)")
    if not node.exists():
        return Finding(
            name,
            Status.FAIL,
            f"{node} does not exist: the device is unplugged, off, or named differently",
            "plug it in; list the names with: ls -l /dev/serial/by-id/ /dev/v4l/by-id/ "
            f"/dev/input/by-id/; then correct path in the devices file. {UDEV_HINT}",
        )
    # Device nodes are opened for reading and writing (commands to scales, exclusive grabs
    # of scanners); a camera's video file or image folder is only read.
    mode = os.R_OK | os.W_OK if str(node).startswith("/dev/") else os.R_OK
    if not os.access(node, mode):
        group = "input" if entry.protocol == "hid" else GROUP_OF[entry.role]
        return Finding(
            name,
            Status.FAIL,
            f"{node} exists but this user may not {'use' if mode & os.W_OK else 'read'} it",
            f"the device belongs to group {group}: {UDEV_HINT}",
        )
    return Finding(name, Status.OK, f"{node} present and readable")


def _device_node(entry: DeviceEntry) -> Path | None:
    """The file a device is opened through, when it is a local one."""
    path = entry.path
    if "://" in path:
        return None
    if entry.role == "camera" and path.isdigit():
        return Path(f"/dev/video{path}")
    return Path(path)


def check_central(settings: Settings) -> list[Finding]:
    """Central answers, and this machine's clock agrees with central's."""
    if settings.role != "station":
        return [Finding("central", Status.OK, f"role {settings.role}: no central to reach")]
    url = settings.sync.central_url
    if not url:
        return [
            Finding(
                "central",
                Status.FAIL,
                "role station, but no central URL is set",
                "start with --central-url URL or set sync.central_url in the settings file",
            )
        ]
    try:
        answer = httpx.get(f"{url}/health", timeout=5.0)
    except httpx.HTTPError as err:
        return [
            Finding(
                "central",
                Status.FAIL,
                f"{url} does not answer: {type(err).__name__}: {err}",
                "check the network, the URL, and that central runs; the bench keeps working "
                "offline and sends its results later",
            )
        ]
    found = [Finding("central", Status.OK, f"{url} answers (HTTP {answer.status_code})")]
    return found + [clock_skew(answer.headers.get("date"), settings.operations.clock_skew_warn_s)]


def clock_skew(date_header: str | None, warn_s: float) -> Finding:
    if not date_header:
        return Finding("clock", Status.WARN, "central sent no Date header; skew not measured")
    skew = (utcnow() - parsedate_to_datetime(date_header)).total_seconds()
    text = f"this clock is {abs(skew):.1f} s {'ahead of' if skew > 0 else 'behind'} central's"
    fix = "enable time sync: sudo timedatectl set-ntp true (or configure chrony)"
    # Date headers count whole seconds: a second of skew is within what can be measured.
    if abs(skew) <= max(warn_s, 1.0):
        return Finding("clock", Status.OK, text)
    if abs(skew) > 12 * warn_s:
        return Finding("clock", Status.FAIL, text, fix)
    return Finding("clock", Status.WARN, text, fix)


def check_disk(settings: Settings) -> list[Finding]:
    space = disk_space(settings.data_dir, settings.sync.disk_warn_free_mb)
    text = f"{space.free_mb:,} MB free of {space.total_mb:,} MB at {space.path}"
    fix = (
        "free space, or move data_dir to a larger disk; old backups in "
        f"{settings.operations.backup_dir} can go elsewhere"
    )
    if space.free_mb < space.warn_below_mb / 10:
        return [Finding("disk", Status.FAIL, text, fix)]
    if space.low:
        return [Finding("disk", Status.WARN, text, fix)]
    return [Finding("disk", Status.OK, text)]


def check_versions(settings: Settings) -> list[Finding]:
    parts = [
        f"inbound-station {__version__}",
        f"schema {head_revision()}",
        f"Python {platform.python_version()}",
    ]
    problems = []
    for label, version in (("OpenCV", _opencv), ("zxing-cpp", _zxing)):
        try:
            parts.append(f"{label} {version()}")
        except Exception as err:
            problems.append(f"{label} cannot be loaded ({err})")
    if problems:
        return [
            Finding(
                "versions",
                Status.FAIL,
                "; ".join(problems + parts),
                "reinstall: pip install --force-reinstall inbound-station",
            )
        ]
    return [Finding("versions", Status.OK, ", ".join(parts))]


def _opencv() -> str:
    import cv2

    return cv2.__version__


def _zxing() -> str:
    import zxingcpp  # noqa: F401  (loading it is the check)

    return importlib.metadata.version("zxing-cpp")


CHECKS: list[Check] = [check_database, check_devices, check_central, check_disk, check_versions]


def examine(settings: Settings, checks: list[Check] | None = None) -> list[Finding]:
    findings: list[Finding] = []
    for check in CHECKS if checks is None else checks:
        try:
            findings.extend(check(settings))
        except Exception as err:
            name = check.__name__.removeprefix("check_")
            findings.append(Finding(name, Status.FAIL, f"the check itself failed: {err!r}"))
    return findings
