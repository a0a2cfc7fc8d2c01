"""The defect library (config/defects.toml): every defect code with its class and names."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from station.errors import SettingsError
from station.inspection.models import DefectClass
from station.paths import config_dir

# Most serious first: a defective unit counts once, under the first class it has.
SEVERITY_ORDER = (DefectClass.CRITICAL, DefectClass.MAJOR, DefectClass.MINOR)


@dataclass(frozen=True)
class Defect:
    code: str
    defect_class: DefectClass
    en: str
    zh: str


def library_path() -> Path:
    return config_dir() / "defects.toml"


@cache
def library() -> dict[str, Defect]:
    """Every defect by code, read once from config/defects.toml."""
    path = library_path()
    with path.open("rb") as fh:
        raw = tomllib.load(fh)
    defects = {}
    for code, entry in raw.items():
        try:
            defects[code] = Defect(code, DefectClass(entry["class"]), entry["en"], entry["zh"])
        except (KeyError, ValueError, TypeError) as err:
            raise SettingsError(
                f"{path}, defect {code!r}: needs class (critical/major/minor), en and zh ({err})"
            ) from None
    return defects


def defect(code: str) -> Defect:
    try:
        return library()[code]
    except KeyError:
        raise SettingsError(f"defect code {code!r} is not in {library_path()}") from None


def rank(defect_class: DefectClass | None) -> int:
    """0 for critical, 1 major, 2 minor, 3 for none: sorts the most serious first."""
    return SEVERITY_ORDER.index(defect_class) if defect_class else len(SEVERITY_ORDER)


def most_serious(defects: list[Defect]) -> Defect | None:
    """The defect a unit counts under: the most serious class, first reported on a tie."""
    return min(defects, key=lambda d: rank(d.defect_class), default=None)
