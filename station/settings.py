"""The one settings object.

Precedence, highest first: values given on the command line, environment
variables (INBOUND_STATION_*), the installation's TOML file (--config FILE or
INBOUND_STATION_CONFIG), then config/defaults.toml shipped with the code.
"""

from __future__ import annotations

import os
import tomllib
from contextvars import ContextVar
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict, TomlConfigSettingsSource

from station.errors import SettingsError
from station.paths import config_dir

ENV_PREFIX = "INBOUND_STATION_"
CONFIG_ENV = ENV_PREFIX + "CONFIG"
Role = Literal["all-in-one", "station", "central"]

_layer_files: ContextVar[tuple[Path, ...]] = ContextVar("settings_files", default=())


class Section(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class ServerSettings(Section):
    host: str = Field(description="address the web server listens on")
    port: int = Field(ge=1, le=65535, description="TCP port of the web server")


class LogSettings(Section):
    level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = Field(description="log level")
    json_lines: bool = Field(alias="json", description="one JSON object per log line")


class WorkflowSettings(Section):
    pause_after_s: float = Field(gt=0, description="idle seconds before a bench pauses")
    abandon_after_s: float = Field(gt=0, description="idle seconds before a paused bench abandons")
    on_timeout: Literal["abandon", "pause"] = Field(description="what a long absence leads to")
    empty_scale_g: float = Field(ge=0, description="below this many grams the scale is empty")


class Settings(BaseSettings):
    """Every setting of one installation; see config/defaults.toml for each one's meaning."""

    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX, env_nested_delimiter="__", extra="forbid", populate_by_name=True
    )

    role: Role
    data_dir: Path
    database_url: str
    evidence_dir: Path
    warehouse_id: str | None
    station_id: str | None
    demo: bool
    server: ServerSettings
    log: LogSettings
    workflow: WorkflowSettings

    @classmethod
    def settings_customise_sources(cls, settings_cls, init_settings, env_settings, **_unused):
        files = _layer_files.get()
        tomls = [TomlConfigSettingsSource(settings_cls, toml_file=f) for f in reversed(files)]
        return (init_settings, env_settings, *tomls)

    @field_validator("warehouse_id", "station_id", mode="before")
    @classmethod
    def _empty_is_unset(cls, value: Any) -> Any:
        return None if value == "" else value

    @field_validator("database_url")
    @classmethod
    def _known_database(cls, value: str) -> str:
        if value.startswith("postgresql://") or value.startswith("postgres://"):
            return "postgresql+psycopg://" + value.split("://", 1)[1]
        if value.startswith(("sqlite:///", "postgresql+psycopg://")):
            return value
        raise ValueError("expected sqlite:///PATH or postgresql://USER@HOST:PORT/DATABASE")

    @model_validator(mode="after")
    def _expand_paths(self) -> Settings:
        self.data_dir = self.data_dir.expanduser()
        data = str(self.data_dir)
        self.database_url = self.database_url.replace("{data_dir}", data)
        self.evidence_dir = Path(str(self.evidence_dir).replace("{data_dir}", data)).expanduser()
        return self

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


def load_settings(config_file: Path | str | None = None, **overrides: Any) -> Settings:
    """Build the settings from all sources, or raise SettingsError naming each bad value."""
    defaults = config_dir() / "defaults.toml"
    install = Path(config_file) if config_file else _config_file_from_env()
    files = (defaults,) if install is None else (defaults, install)
    layers = {str(f): _read_toml(f) for f in files}
    _refuse_unknown_env()
    overrides = {k: v for k, v in overrides.items() if v is not None}
    token = _layer_files.set(files)
    try:
        return Settings(**overrides)
    except ValidationError as err:
        raise SettingsError(_explain(err, layers, overrides)) from None
    finally:
        _layer_files.reset(token)


def export_to_environment(config_file: Path | str | None = None, **values: Any) -> None:
    """Hand settings given on a command line to child processes (server workers), as
    the environment variables they would be set by; None means "not given"."""
    if config_file:
        os.environ[CONFIG_ENV] = str(Path(config_file).resolve())
    for name, value in values.items():
        if value is not None:
            os.environ[ENV_PREFIX + name.upper()] = str(value)


def _config_file_from_env() -> Path | None:
    value = os.environ.get(CONFIG_ENV)
    return Path(value) if value else None


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        raise SettingsError(f"settings file {path} does not exist") from None
    except tomllib.TOMLDecodeError as err:
        raise SettingsError(f"settings file {path} is not valid TOML: {err}") from None


def _refuse_unknown_env() -> None:
    known = {ENV_PREFIX + name.upper() for name in Settings.model_fields} | {CONFIG_ENV}
    for name in os.environ:
        if not name.startswith(ENV_PREFIX):
            continue
        top = name.split("__", 1)[0]
        if top not in known:
            raise SettingsError(
                f"environment variable {name} is not a setting (known: {', '.join(sorted(known))})"
            )


def _explain(err: ValidationError, layers: dict[str, dict], overrides: dict) -> str:
    lines = ["invalid settings:"]
    for problem in err.errors():
        loc = [str(part) for part in problem["loc"]]
        name = ".".join(loc)
        where = _source_of(loc, layers, overrides)
        if problem["type"] == "extra_forbidden":
            lines.append(f"  unknown setting '{name}' ({where})")
            continue
        given = problem.get("input")
        lines.append(f"  {name} ({where}): {problem['msg']}; got {given!r}")
    return "\n".join(lines)


def _source_of(loc: list[str], layers: dict[str, dict], overrides: dict) -> str:
    if loc[0] in overrides:
        return "from the command line"
    env_name = ENV_PREFIX + "__".join(part.upper() for part in loc)
    if env_name in os.environ:
        return f"from environment variable {env_name}"
    for file, data in reversed(list(layers.items())):
        node: Any = data
        for part in loc:
            node = node.get(part) if isinstance(node, dict) else None
        if node is not None:
            return f"from {file}"
    return "not set anywhere: add it to the settings file"
