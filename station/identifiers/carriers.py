"""Carrier tracking numbers, recognised by patterns kept as data in
config/identifiers/carriers.toml (an installation may name its own file)."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from station.errors import SettingsError
from station.identifiers.identification import Identification, Kind
from station.paths import config_dir


@dataclass(frozen=True)
class Carrier:
    name: str
    prefix: str
    pattern: re.Pattern[str]
    shape: str


def shipped_carriers_file() -> Path:
    return config_dir() / "identifiers" / "carriers.toml"


@cache
def load_carriers(path: Path | None = None) -> tuple[Carrier, ...]:
    """The carriers in a carriers file, or SettingsError naming the bad entry."""
    path = path or shipped_carriers_file()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SettingsError(f"carriers file {path} does not exist") from None
    except tomllib.TOMLDecodeError as err:
        raise SettingsError(f"carriers file {path} is not valid TOML: {err}") from None
    carriers = []
    for number, entry in enumerate(data.get("carrier", []), start=1):
        where = f"{path}, carrier {number}"
        missing = [k for k in ("name", "prefix", "pattern", "shape") if not entry.get(k)]
        if missing:
            raise SettingsError(f"{where}: missing {', '.join(missing)}")
        try:
            pattern = re.compile(entry["pattern"])
        except re.error as err:
            raise SettingsError(
                f"{where}: pattern {entry['pattern']!r} is invalid: {err}"
            ) from None
        carriers.append(Carrier(entry["name"], entry["prefix"].upper(), pattern, entry["shape"]))
    return tuple(carriers)


def identify_tracking(
    value: str, carriers: tuple[Carrier, ...], aim: str | None = None
) -> Identification | None:
    """A tracking number of a known carrier, a near miss of one (invalid, with the
    shape it should have), or None when no carrier's prefix fits."""
    for carrier in carriers:
        if carrier.pattern.fullmatch(value):
            fields = {"carrier": carrier.name, "number": value}
            return Identification(
                kind=Kind.TRACKING, valid=True, text=value, aim=aim, fields=fields
            )
    # The longest prefix first, so that "JDV" is preferred to a hypothetical "JD".
    for carrier in sorted(carriers, key=lambda c: len(c.prefix), reverse=True):
        if value.startswith(carrier.prefix):
            return Identification.invalid(
                Kind.TRACKING,
                value,
                f"{value} is not a {carrier.name} tracking number: expected {carrier.shape}",
                aim,
                carrier=carrier.name,
                number=value,
            )
    return None
