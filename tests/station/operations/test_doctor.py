"""doctor: each check says FAIL (or WARN) and what to do when its part is broken."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from station.db import migrate
from station.operations import doctor
from station.operations.doctor import Status
from station.operations.restore import server_in_use
from station.settings import load_settings
from tests.support.ports import free_port


def settings_for(tmp_path: Path, **overrides):
    return load_settings(data_dir=str(tmp_path), **overrides)


def only(findings, check: str):
    found = [f for f in findings if f.check.startswith(check)]
    assert found, findings
    return found


def closed_port() -> int:
    return free_port()  # claimed for this test: no test server will listen there


def test_all_well_on_a_migrated_database(tmp_path):
    settings = settings_for(tmp_path)
    migrate.upgrade(settings.database_url)
    findings = doctor.examine(settings)
    assert [f.status for f in findings] == [Status.OK] * len(findings), findings


def test_database_without_schema_fails_and_says_migrate(tmp_path):
    [finding] = doctor.check_database(settings_for(tmp_path))
    assert finding.status is Status.FAIL
    assert "no schema" in finding.message and "inbound-station migrate" in finding.fix


def test_unreachable_database_fails_without_showing_the_password(tmp_path):
    url = f"postgresql://postgres:s3cret@127.0.0.1:{closed_port()}/central"
    [finding] = doctor.check_database(settings_for(tmp_path, database_url=url))
    assert finding.status is Status.FAIL and "cannot open" in finding.message
    assert "s3cret" not in finding.message


def write_devices(tmp_path: Path, text: str) -> None:
    (tmp_path / "devices.toml").write_text(text)


SCALE = """
[devices.bench-scale]
role = "scale"
protocol = "mt-sics"
path = "{path}"
"""


def test_a_missing_device_is_named_with_the_fix(tmp_path):
    write_devices(tmp_path, SCALE.format(path=tmp_path / "ttyUSB-gone"))
    [finding] = doctor.check_devices(settings_for(tmp_path))
    assert finding.status is Status.FAIL
    assert finding.check == "device bench-scale (scale)"
    assert "does not exist" in finding.message and "/dev/serial/by-id" in finding.fix


def test_an_unreadable_device_points_to_dialout_and_udev(tmp_path, monkeypatch):
    node = tmp_path / "ttyUSB0"
    node.touch()
    write_devices(tmp_path, SCALE.format(path=node))
    # Tests run as root here, who may read anything: the permission answer is faked.
    monkeypatch.setattr(doctor.os, "access", lambda path, mode: False)
    [finding] = doctor.check_devices(settings_for(tmp_path))
    assert finding.status is Status.FAIL
    assert "group dialout" in finding.fix and "udev" in finding.fix


def test_a_broken_devices_file_fails(tmp_path):
    write_devices(tmp_path, '[devices.s]\nrole = "scale"\npath = "/dev/x"\n')
    [finding] = doctor.check_devices(settings_for(tmp_path))
    assert finding.status is Status.FAIL and "protocol" in finding.message


def station(tmp_path: Path, url: str | None):
    return settings_for(tmp_path, role="station", sync={"central_url": url or ""})


def test_a_station_without_central_url_fails(tmp_path):
    [finding] = doctor.check_central(station(tmp_path, None))
    assert finding.status is Status.FAIL and "--central-url" in finding.fix


def test_an_unreachable_central_fails(tmp_path):
    [finding] = doctor.check_central(station(tmp_path, f"http://127.0.0.1:{closed_port()}"))
    assert finding.status is Status.FAIL and "does not answer" in finding.message


def test_central_in_step_then_clock_skew_warns_then_fails(tmp_path, fake_central):
    reached, clock = doctor.check_central(station(tmp_path, fake_central.url))
    assert reached.status is Status.OK and clock.status is Status.OK
    fake_central.offset_s = -30  # central's clock behind: this one is ahead
    _, clock = doctor.check_central(station(tmp_path, fake_central.url))
    assert clock.status is Status.WARN and "ahead of" in clock.message
    assert "timedatectl set-ntp true" in clock.fix
    fake_central.offset_s = 3600
    _, clock = doctor.check_central(station(tmp_path, fake_central.url))
    assert clock.status is Status.FAIL and "behind" in clock.message


def test_a_running_server_is_noticed_before_a_restore(tmp_path, fake_central):
    settings = settings_for(tmp_path)
    settings.server.port = fake_central.port
    assert "answers at" in server_in_use(settings, tmp_path / "station.db")


def test_low_disk_warns_then_fails(tmp_path):
    free_mb = shutil.disk_usage(tmp_path).free // 2**20
    settings = settings_for(tmp_path)
    settings.sync.disk_warn_free_mb = free_mb * 2
    [finding] = doctor.check_disk(settings)
    assert finding.status is Status.WARN and "free space" in finding.fix
    settings.sync.disk_warn_free_mb = free_mb * 100
    assert doctor.check_disk(settings)[0].status is Status.FAIL


def test_a_library_that_does_not_load_fails_versions(tmp_path, monkeypatch):
    def missing():
        raise ImportError("libzxing.so: cannot open shared object file")

    monkeypatch.setattr(doctor, "_zxing", missing)
    [finding] = doctor.check_versions(settings_for(tmp_path))
    assert finding.status is Status.FAIL and "zxing-cpp cannot be loaded" in finding.message


def test_a_check_that_crashes_is_a_failure_not_a_traceback(tmp_path):
    def check_broken(settings):
        raise OSError("boom")

    [finding] = doctor.examine(settings_for(tmp_path), [check_broken])
    assert finding.status is Status.FAIL and finding.check == "broken"


@pytest.mark.slow
def test_doctor_command_exits_1_on_a_failure(tmp_path):
    command = str(Path(sys.executable).parent / "inbound-station")
    env = {"PATH": "/usr/bin:/bin", "INBOUND_STATION_DATA_DIR": str(tmp_path)}
    result = subprocess.run(
        [command, "doctor"], capture_output=True, text=True, env=env, timeout=300
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert "FAIL database" in result.stdout and "inbound-station migrate" in result.stdout
    assert "OK   versions" in result.stdout
