"""Inspection rules per category, as data in config/rules/<name>.toml.

A rule set may say `extends = "other"`: it starts from the other set and replaces
the keys it names (tables merge key by key, lists are replaced whole).
"""

from __future__ import annotations

import tomllib
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from station.checks.defects import library
from station.errors import SettingsError
from station.inspection.models import DefectClass
from station.paths import config_dir

CHECK_NAMES = (
    "traceability",
    "merchant",
    "category_scope",
    "brand",
    "identity",
    "serial_expiry",
    "quantity",
    "weight",
    "visual_match",
    "brand_mark",
    "checklist",
)
LEVELS = ("S-1", "S-2", "S-3", "S-4", "I", "II", "III")


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class WeightRules(_Section):
    default_tolerance_pct: float = Field(ge=0, le=100)


class ShelfLifeRules(_Section):
    min_days: int = Field(ge=0)


class QuantityRules(_Section):
    short_tolerance_pct: float = Field(ge=0, le=100)
    over_tolerance_pct: float = Field(ge=0)


class BrandMarkRules(_Section):
    required: bool


class SamplingRules(_Section):
    """The category's own inspection level and AQLs; unset ones come from the settings."""

    level: str | None = None
    aql: dict[DefectClass, Decimal] = {}

    @field_validator("level")
    @classmethod
    def _known_level(cls, value: str | None) -> str | None:
        if value is not None and value not in LEVELS:
            raise ValueError(f"inspection level {value!r} is not one of {', '.join(LEVELS)}")
        return value


class Question(_Section):
    id: str
    en: str
    zh: str
    fail_on: Literal["yes", "no"]
    defect: str


class RuleSet(_Section):
    name: str
    description: str
    checks: tuple[str, ...]
    photo_faces: tuple[str, ...]
    weight: WeightRules
    shelf_life: ShelfLifeRules
    quantity: QuantityRules
    brand_mark: BrandMarkRules
    sampling: SamplingRules = SamplingRules()
    questions: tuple[Question, ...]

    @field_validator("checks")
    @classmethod
    def _known_checks(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        unknown = [c for c in value if c not in CHECK_NAMES]
        if unknown:
            raise ValueError(f"unknown checks {unknown}; known: {', '.join(CHECK_NAMES)}")
        return value

    def applies(self, check: str) -> bool:
        return check in self.checks

    def question(self, question_id: str) -> Question | None:
        return next((q for q in self.questions if q.id == question_id), None)


def rules_dir() -> Path:
    return config_dir() / "rules"


def rule_set_names() -> list[str]:
    return sorted(p.stem for p in rules_dir().glob("*.toml"))


@cache
def rule_set(name: str) -> RuleSet:
    """The named rule set, read once and checked (unknown keys, defect codes)."""
    raw = _resolve(name, ())
    raw.pop("extends", None)
    path = rules_dir() / f"{name}.toml"
    try:
        rules = RuleSet(name=name, **raw)
    except ValidationError as err:
        problems = "; ".join(
            f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in err.errors(include_url=False)
        )
        raise SettingsError(f"rule set {path}: {problems}") from None
    unknown = [q.defect for q in rules.questions if q.defect not in library()]
    if unknown:
        raise SettingsError(f"rule set {path}: defect codes {unknown} are not in defects.toml")
    return rules


def _resolve(name: str, seen: tuple[str, ...]) -> dict[str, Any]:
    if name in seen:
        raise SettingsError(f"rule sets extend each other in a circle: {' -> '.join(seen)}")
    path = rules_dir() / f"{name}.toml"
    try:
        with path.open("rb") as fh:
            own = tomllib.load(fh)
    except FileNotFoundError:
        raise SettingsError(
            f"rule set {name!r} not found: no {path} (known: {', '.join(rule_set_names())})"
        ) from None
    except tomllib.TOMLDecodeError as err:
        raise SettingsError(f"rule set {path} is not valid TOML: {err}") from None
    base = own.get("extends")
    return _merge(_resolve(base, (*seen, name)), own) if base else own


def _merge(base: dict[str, Any], own: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in own.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = {**merged[key], **value}
        else:
            merged[key] = value
    return merged
