"""systemd units for each role, from config/systemd/ with this installation's paths.

The shipped files hold @NAME@ marks (not ${NAME}: systemd expands those itself).
"""

from __future__ import annotations

import re
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

from station.errors import StationError
from station.paths import config_dir

UNITS = {
    "station": (
        "inbound-station-station.service",
        "inbound-station-backup.service",
        "inbound-station-backup.timer",
    ),
    "central": ("inbound-station-central.service", "inbound-station-webhooks.service"),
}
_MARK = re.compile(r"@([A-Z_]+)@")


@dataclass(frozen=True)
class Installation:
    executable: Path
    config: Path
    user: str
    group: str
    data_dir: Path
    evidence_dir: Path
    backup_dir: Path

    def values(self) -> dict[str, str]:
        return {
            "EXECUTABLE": str(self.executable),
            "CONFIG": str(self.config),
            "USER": self.user,
            "GROUP": self.group,
            "DATA_DIR": str(self.data_dir),
            "EVIDENCE_DIR": str(self.evidence_dir),
            "BACKUP_DIR": str(self.backup_dir),
        }


def executable() -> Path:
    """The installed `inbound-station` command: beside this Python, or on PATH."""
    beside = Path(sys.executable).parent / "inbound-station"
    if beside.is_file():
        return beside.absolute()
    found = shutil.which("inbound-station")
    if found is None:
        raise StationError("the inbound-station command is not installed (pip install .)")
    return Path(found).absolute()


def units(role: str, installation: Installation) -> dict[str, str]:
    """File name -> unit text, for the units a role runs."""
    if role not in UNITS:
        raise StationError(f"no systemd units for role {role!r}; expected station or central")
    values = installation.values()
    for name, value in values.items():
        if any(c.isspace() for c in value):
            raise StationError(f"{name.lower()} {value!r} has a space; systemd paths cannot")
    folder = config_dir() / "systemd"
    return {name: _fill((folder / name).read_text(), values, name) for name in UNITS[role]}


def _fill(text: str, values: dict[str, str], name: str) -> str:
    def value(match: re.Match) -> str:
        if match.group(1) not in values:
            raise StationError(f"{name}: unknown mark @{match.group(1)}@")
        return values[match.group(1)]

    return _MARK.sub(value, text)
