"""The devices file: one table per device under [devices.NAME].

[devices.bench-scale]
role = "scale"                  # scale, scanner or camera (never guessed)
protocol = "mt-sics"            # scales: mt-sics, toledo-8217, toledo-continuous, nci,
                                #   sma, cas, adam; scanners: serial or hid
path = "/dev/serial/by-id/usb-Mettler_Toledo_..."   # cameras: index, /dev/v4l/by-id/...,
                                #   rtsp:// or http:// URL, video file, image folder
[devices.bench-scale.serial]
baudrate = 9600
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from drivers.scales import PROTOCOL_NAMES
from station.errors import StationError


class DeviceConfigError(StationError):
    """The devices file is missing a value or has a wrong one."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SerialConfig(_Strict):
    baudrate: int = Field(9600, gt=0)
    bytesize: Literal[7, 8] = 8
    parity: Literal["N", "E", "O", "M", "S"] = "N"
    stopbits: Literal[1, 2] = 1
    xonxoff: bool = False
    rtscts: bool = False


class StabilityConfig(_Strict):
    window_s: float = Field(0.8, gt=0)
    min_samples: int = Field(5, ge=1)
    range_mg: int = Field(200, ge=0)
    slope_mg_per_s: int = Field(200, ge=0)
    min_load_mg: int = Field(2000, ge=0)
    zero_band_mg: int = Field(500, ge=0)
    rearm_fraction: float = Field(0.125, ge=0)
    rearm_min_mg: int = Field(3000, ge=0)
    stale_after_s: float = Field(0.6, gt=0)
    use_device_flag: bool = True


class DeviceEntry(_Strict):
    name: str = ""
    role: Literal["scale", "scanner", "camera"]
    path: str = Field(min_length=1)
    protocol: str | None = None
    mode: Literal["poll", "continuous"] | None = None
    options: dict[str, Any] = Field(default_factory=dict)
    serial: SerialConfig | None = None
    # scales
    stability: StabilityConfig = Field(default_factory=StabilityConfig)
    poll_interval_s: float = Field(0.1, gt=0)
    reply_timeout_s: float = Field(0.5, gt=0)
    stall_after_s: float = Field(1.5, gt=0)
    restart_after_s: float = Field(5.0, gt=0)
    # scanners
    suffix: Literal["CR", "LF", "CRLF"] = "CRLF"
    expect_aim: bool = True
    key_gap_s: float = Field(0.1, gt=0)
    # cameras
    width: int | None = Field(None, gt=0)
    height: int | None = Field(None, gt=0)
    fourcc: str | None = Field(None, min_length=4, max_length=4)
    fps: float | None = Field(None, gt=0)
    open_timeout_s: float = Field(5.0, gt=0)
    read_timeout_s: float = Field(5.0, gt=0)
    freeze_after_s: float = Field(3.0, gt=0)
    event_fps: float = Field(2.0, ge=0)

    @model_validator(mode="after")
    def _protocol_fits_role(self) -> DeviceEntry:
        if self.role == "scale" and self.protocol not in PROTOCOL_NAMES:
            raise ValueError(f"a scale needs protocol = one of {', '.join(PROTOCOL_NAMES)}")
        if self.role == "scanner" and (self.protocol or "serial") not in ("serial", "hid"):
            raise ValueError("a scanner's protocol is 'serial' (RS-232, USB-CDC) or 'hid'")
        if self.role == "camera" and self.protocol not in (None, "opencv"):
            raise ValueError("a camera takes no protocol (it is read through OpenCV)")
        return self


def load_devices(path: Path) -> list[DeviceEntry]:
    """The devices in `path`; an absent file is no devices. DeviceConfigError names the
    device and field that are wrong."""
    try:
        data = tomllib.loads(path.read_text())
    except FileNotFoundError:
        return []
    except (OSError, tomllib.TOMLDecodeError) as err:
        raise DeviceConfigError(f"devices file {path}: {err}") from None
    unknown = set(data) - {"devices"}
    if unknown:
        raise DeviceConfigError(
            f"devices file {path}: unknown top-level key(s) {', '.join(sorted(unknown))}; "
            "devices go in [devices.NAME] tables"
        )
    entries, problems = [], []
    for name, table in data.get("devices", {}).items():
        if not isinstance(table, dict):
            problems.append(f"devices.{name}: expected a table")
            continue
        try:
            entries.append(DeviceEntry(name=name, **table))
        except ValidationError as err:
            for problem in err.errors():
                where = ".".join(str(p) for p in problem["loc"])
                field = f"devices.{name}.{where}" if where else f"devices.{name}"
                problems.append(f"{field}: {problem['msg']}")
    if problems:
        raise DeviceConfigError(f"devices file {path} has errors:\n  " + "\n  ".join(problems))
    return entries
