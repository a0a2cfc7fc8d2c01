"""The devices file: read, checked with errors that name the device and field."""

from pathlib import Path

import pytest

from drivers.cameras.worker import CameraWorker
from drivers.scales.worker import ScaleWorker
from drivers.scanners.worker import HidScannerWorker, SerialScannerWorker
from station.devices import build_bench, load_devices
from station.devices.config import DeviceConfigError
from station.paths import config_dir
from station.settings import load_settings


def test_the_example_file_describes_a_whole_bench():
    entries = load_devices(config_dir() / "devices.example.toml")
    roles = {e.name: (e.role, e.protocol) for e in entries}
    assert roles["scale"] == ("scale", "mt-sics")
    assert roles["parcel-scanner"] == ("scanner", "hid")
    bench = build_bench(entries)  # built, not started: nothing is opened
    kinds = {name: type(w) for name, w in bench.workers.items()}
    assert kinds["floor-scale"] is ScaleWorker
    assert bench.workers["floor-scale"].serial.describe() == "9600 7E1"
    assert kinds["unit-scanner"] is SerialScannerWorker
    assert kinds["parcel-scanner"] is HidScannerWorker
    assert kinds["top-camera"] is CameraWorker


def test_no_file_means_no_devices(tmp_path: Path):
    assert load_devices(tmp_path / "absent.toml") == []


@pytest.mark.parametrize(
    "text, words",
    [
        ('[devices.s]\nrole = "scale"\npath = "/dev/x"\nprotocol = "mettler"\n',
         "devices.s: Value error, a scale needs protocol = one of mt-sics"),
        ('[devices.s]\nrole = "scales"\npath = "/dev/x"\n', "devices.s.role"),
        ('[devices.s]\nrole = "scale"\nprotocol = "sma"\n', "devices.s.path: Field required"),
        ('[devices.s]\nrole = "scale"\nprotocol = "sma"\npath = "/dev/x"\nbaud = 9600\n',
         "devices.s.baud: Extra inputs are not permitted"),
        ('[devices.s]\nrole = "scale"\nprotocol = "sma"\npath = "/dev/x"\n'
         '[devices.s.serial]\nparity = "X"\n', "devices.s.serial.parity"),
        ('[scale]\nrole = "scale"\n', "devices go in [devices.NAME] tables"),
        ("[devices.s\n", "devices file"),
    ],
)  # fmt: skip
def test_mistakes_are_named(tmp_path: Path, text: str, words: str):
    path = tmp_path / "devices.toml"
    path.write_text(text)
    with pytest.raises(DeviceConfigError) as err:
        load_devices(path)
    assert words in str(err.value) and str(path) in str(err.value)


def test_a_mode_the_protocol_lacks_is_refused(tmp_path: Path):
    path = tmp_path / "devices.toml"
    path.write_text(
        '[devices.s]\nrole = "scale"\nprotocol = "cas"\npath = "/dev/x"\nmode = "poll"\n'
    )
    with pytest.raises(DeviceConfigError, match="has no poll mode"):
        build_bench(load_devices(path))


def test_the_devices_file_is_a_setting(tmp_path: Path, monkeypatch):
    monkeypatch.setenv("INBOUND_STATION_DATA_DIR", str(tmp_path))
    assert load_settings().devices.file == tmp_path / "devices.toml"
