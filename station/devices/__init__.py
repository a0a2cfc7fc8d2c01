"""The bench's devices as configured: the devices TOML file read, checked and turned
into a drivers.Bench. Nothing here probes ports: every device is named in the file."""

from station.devices.build import build_bench
from station.devices.config import DeviceEntry, load_devices

__all__ = ["DeviceEntry", "build_bench", "load_devices"]
