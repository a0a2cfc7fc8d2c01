"""Turning configured devices into driver specs and a running bench."""

from __future__ import annotations

from collections.abc import Sequence

from drivers.bench import Bench
from drivers.cameras.source import CameraSpec
from drivers.errors import DriverError
from drivers.link import SerialSettings
from drivers.scales.stability import StabilityRule
from drivers.scales.worker import ScaleSpec
from drivers.scanners.worker import ScannerSpec
from station.clock import utcnow
from station.devices.config import DeviceConfigError, DeviceEntry


def _serial(entry: DeviceEntry) -> SerialSettings | None:
    if entry.serial is None:
        return None
    return SerialSettings(**entry.serial.model_dump())


def scale_spec(entry: DeviceEntry) -> ScaleSpec:
    return ScaleSpec(
        name=entry.name,
        path=entry.path,
        protocol=entry.protocol or "",
        options=dict(entry.options),
        serial=_serial(entry),
        mode=entry.mode,
        poll_interval_s=entry.poll_interval_s,
        reply_timeout_s=entry.reply_timeout_s,
        stall_after_s=entry.stall_after_s,
        restart_after_s=entry.restart_after_s,
        stability=StabilityRule(**entry.stability.model_dump()),
    )


def scanner_spec(entry: DeviceEntry) -> ScannerSpec:
    return ScannerSpec(
        name=entry.name,
        path=entry.path,
        interface=entry.protocol or "serial",
        suffix=entry.suffix,
        expect_aim=entry.expect_aim,
        serial=_serial(entry) or SerialSettings(),
        key_gap_s=entry.key_gap_s,
    )


def camera_spec(entry: DeviceEntry) -> CameraSpec:
    return CameraSpec(
        name=entry.name,
        source=entry.path,
        width=entry.width,
        height=entry.height,
        fourcc=entry.fourcc,
        fps=entry.fps,
        open_timeout_s=entry.open_timeout_s,
        read_timeout_s=entry.read_timeout_s,
        freeze_after_s=entry.freeze_after_s,
        event_fps=entry.event_fps,
        restart_after_s=max(entry.restart_after_s, entry.read_timeout_s * 2),
    )


def build_bench(entries: Sequence[DeviceEntry], **bench_options) -> Bench:
    """A bench (not started) for the configured devices, stamped with the station clock."""
    try:
        return Bench(
            scales=[scale_spec(e) for e in entries if e.role == "scale"],
            scanners=[scanner_spec(e) for e in entries if e.role == "scanner"],
            cameras=[camera_spec(e) for e in entries if e.role == "camera"],
            now=utcnow,
            **bench_options,
        )
    except DriverError as err:
        raise DeviceConfigError(str(err)) from None
