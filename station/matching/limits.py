"""The visual checks' limits, read from config/vision/match.toml (or the file the
`matching.thresholds` setting names) and handed to vision/ as plain values."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, fields
from pathlib import Path

from station.errors import SettingsError
from station.paths import config_dir
from vision.brand import BrandMarkLimits
from vision.errors import VisionError
from vision.match import MatchThresholds
from vision.quality import QualityLimits


@dataclass(frozen=True)
class VisualLimits:
    listing: MatchThresholds
    brand: BrandMarkLimits
    quality: QualityLimits


def shipped_limits_file() -> Path:
    return config_dir() / "vision" / "match.toml"


def load_limits(path: Path | str | None = None) -> VisualLimits:
    """Read and check the limits file; SettingsError names the file and the key."""
    path = Path(path) if path else shipped_limits_file()
    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        raise SettingsError(f"visual-check limits file {path} does not exist") from None
    except tomllib.TOMLDecodeError as err:
        raise SettingsError(f"visual-check limits file {path} is not valid TOML: {err}") from None
    return VisualLimits(
        listing=_section(path, data, "listing", MatchThresholds, required=True),
        brand=_section(path, data, "brand", BrandMarkLimits),
        quality=_section(path, data, "quality", QualityLimits),
    )


def _section(path: Path, data: dict, name: str, kind, required: bool = False):
    table = data.get(name)
    if table is None and not required:
        return kind()
    if not isinstance(table, dict):
        raise SettingsError(f"{path}: [{name}] section is missing")
    known = {f.name: f for f in fields(kind)}
    values = {}
    for key, value in table.items():
        if key not in known:
            continue  # calibration notes (source, date, rates) live beside the limits
        if not isinstance(value, int | float) or isinstance(value, bool):
            raise SettingsError(f"{path}: [{name}] {key} must be a number, got {value!r}")
        values[key] = type(getattr(kind, key, value))(value) if not required else float(value)
    missing = [k for k, f in known.items() if required and k not in values]
    if missing:
        raise SettingsError(f"{path}: [{name}] needs {', '.join(missing)}")
    try:
        return kind(**values)
    except VisionError as err:
        raise SettingsError(f"{path}: [{name}] {err}") from None
