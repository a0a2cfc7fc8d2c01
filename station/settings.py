"""The one settings object.

Precedence, highest first: values given on the command line, environment
variables (INBOUND_STATION_*), the installation's TOML file (--config FILE or
INBOUND_STATION_CONFIG), then config/defaults.toml shipped with the code.
"""

from __future__ import annotations

import os
import tomllib
from contextvars import ContextVar
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
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


class IdentifierSettings(Section):
    shipment_qr_key: SecretStr = Field(
        description="secret the marketplace signs shipment QR codes with; empty: none accepted"
    )
    carriers_file: Path | None = Field(
        description="carrier tracking-number patterns; empty: config/identifiers/carriers.toml"
    )

    @field_validator("carriers_file", mode="before")
    @classmethod
    def _empty_is_shipped(cls, value: Any) -> Any:
        return None if value == "" else value


class LogSettings(Section):
    level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = Field(description="log level")
    format: Literal["text", "json"] = Field(
        description="text: plain lines; json: one JSON object per line, for log collectors"
    )
    json_lines: bool = Field(alias="json", description='older spelling of format = "json"')

    @property
    def as_json(self) -> bool:
        return self.format == "json" or self.json_lines


class OperationsSettings(Section):
    backup_dir: Path = Field(description="where `inbound-station backup` writes by default")
    metrics_from_loopback: bool = Field(
        description="serve /metrics without an API key to requests from this machine"
    )
    clock_skew_warn_s: float = Field(gt=0, description="doctor warns above this clock skew, s")


class WebSettings(Section):
    secret_key: SecretStr = Field(
        description="signs session cookies; empty: generated once into data_dir"
    )
    session_hours: int = Field(ge=1, le=24 * 14, description="a sign-in lasts this long, hours")
    language: Literal["en", "zh"] = Field(
        description="screen language when neither the browser nor the user names one"
    )
    secure_cookies: bool = Field(description="send cookies over HTTPS only")


class WorkflowSettings(Section):
    pause_after_s: float = Field(gt=0, description="idle seconds before a bench pauses")
    abandon_after_s: float = Field(gt=0, description="idle seconds before a paused bench abandons")
    on_timeout: Literal["abandon", "pause"] = Field(description="what a long absence leads to")
    empty_scale_g: float = Field(ge=0, description="below this many grams the scale is empty")
    photo_retakes: int = Field(
        ge=0, description="failed retakes of a photo before it is taken and the unit reviewed"
    )


class ApiSettings(Section):
    rate_per_second: float = Field(gt=0, description="requests per second each API key may make")
    rate_burst: int = Field(ge=1, description="requests a key may make at once above the rate")
    max_body_bytes: int = Field(ge=1024, description="largest JSON request body")
    max_bulk_bytes: int = Field(ge=1024, description="largest NDJSON bulk request body")
    max_image_bytes: int = Field(ge=1024, description="largest reference image upload")
    idempotency_hours: float = Field(gt=0, description="how long a POST's response is replayed")


class WebhookSettings(Section):
    run_in_server: bool = Field(description="deliver webhooks from the web server processes")
    poll_seconds: float = Field(gt=0, description="pause between looks at an empty outbox")
    timeout_seconds: float = Field(gt=0, description="how long one delivery may take")
    first_retry_seconds: float = Field(gt=0, description="wait before the first retry")
    backoff_factor: float = Field(ge=1, description="each retry waits this much longer")
    max_retry_seconds: float = Field(gt=0, description="longest wait between two attempts")
    retry_hours: float = Field(gt=0, description="keep retrying at least this long")
    batch: int = Field(ge=1, le=1000, description="deliveries one worker claims at a time")
    allow_private_targets: bool = Field(
        description="allow webhook URLs on loopback and private networks"
    )


class SyncSettings(Section):
    central_url: str = Field(description="central server's address, e.g. http://central:8000")
    station_key: SecretStr = Field(description="this station's API key (scope station:sync)")
    run_in_server: bool = Field(description="push the outbox from `serve --role station`")
    batch: int = Field(ge=1, le=1000, description="outbox records sent in one request")
    poll_seconds: float = Field(gt=0, description="pause between looks at an empty outbox")
    timeout_seconds: float = Field(gt=0, description="how long one request to central may take")
    first_retry_seconds: float = Field(gt=0, description="wait after the first failure")
    backoff_factor: float = Field(ge=1, description="each further failure waits this much longer")
    max_retry_seconds: float = Field(gt=0, description="longest wait between two attempts")
    chunk_bytes: int = Field(ge=4096, description="photos larger than this go up in pieces")
    upload_parallel: int = Field(ge=1, le=16, description="photos uploaded at the same time")
    pull_seconds: float = Field(ge=0, description="pull reference data this often; 0: never")
    keep_sent_days: float = Field(gt=0, description="outbox rows central has are kept this long")
    disk_warn_free_mb: int = Field(ge=0, description="warn when the data disk has less free, MB")

    @field_validator("central_url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        if value and not value.startswith(("http://", "https://")):
            raise ValueError("expected http://HOST:PORT or https://HOST (empty: not set)")
        return value.rstrip("/")


class DeviceSettings(Section):
    file: Path = Field(description="TOML file naming this bench's scales, scanners and cameras")


class SkipLotSettings(Section):
    enabled: bool = Field(description="skip lots of merchants with good service indicators")
    min_rating: float = Field(description="merchant rating at least this")
    max_dispute_rate: float = Field(ge=0, le=1, description="dispute rate at most this")
    min_on_time_rate: float = Field(ge=0, le=1, description="on-time rate at least this")
    min_accepted_lots: int = Field(ge=0, description="lots accepted in a row before skipping")
    inspect_one_in: int = Field(ge=2, description="inspect one lot in this many, at random")


class HundredPercentSettings(Section):
    enabled: bool = Field(description="inspect every unit of merchants with poor indicators")
    rating_below: float = Field(description="merchant rating below this")
    dispute_rate_above: float = Field(ge=0, le=1, description="dispute rate above this")
    on_time_rate_below: float = Field(ge=0, le=1, description="on-time rate below this")


class SamplingSettings(Section):
    scheme: str = Field(description="sampling scheme: iso2859-1 or z1.4 (config/sampling/)")
    level: Literal["S-1", "S-2", "S-3", "S-4", "I", "II", "III"] = Field(
        description="inspection level"
    )
    aql: dict[Literal["critical", "major", "minor"], Decimal] = Field(
        description="AQL per defect class; 0 = one defective unit rejects the lot"
    )
    approve_reduced: bool = Field(description="reduced inspection approved for every listing")
    steady_max_gap_days: int = Field(ge=1, description="days between lots, at most, if steady")
    skip_lot: SkipLotSettings
    hundred_percent: HundredPercentSettings

    @field_validator("scheme")
    @classmethod
    def _known_scheme(cls, value: str) -> str:
        _scheme(value)
        return value

    @field_validator("aql")
    @classmethod
    def _aql_in_the_tables(cls, value: dict[str, Decimal], info: ValidationInfo) -> dict:
        if "scheme" not in info.data:
            return value  # the scheme itself is wrong; that error is reported
        tables = _scheme(info.data["scheme"])
        for defect_class, aql in value.items():
            if aql != 0:
                _sampling_check(tables.column, aql, prefix=f"{defect_class}: ")
        return value


def _scheme(name: str):
    # Imported here: station.sampling reads these settings, so it loads after this module.
    from station.sampling.scheme_file import load_scheme

    return _sampling_check(load_scheme, name)


def _sampling_check(question, argument, prefix: str = ""):
    """A sampling table's answer, its SamplingError turned into a settings error."""
    from station.sampling.tables import SamplingError

    try:
        return question(argument)
    except SamplingError as err:
        raise ValueError(prefix + str(err)) from None


class MatchingSettings(Section):
    enabled: bool = Field(description="run the photo quality gate, listing match and brand mark")
    feature_dir: Path = Field(description="on-disk cache of listing-image and logo features")
    memory_mb: int = Field(ge=16, description="RAM the loaded features may take at most, MB")
    thresholds: str = Field(
        description="visual-check limits file; empty = config/vision/match.toml"
    )


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
    web: WebSettings
    log: LogSettings
    workflow: WorkflowSettings
    api: ApiSettings
    webhooks: WebhookSettings
    sync: SyncSettings
    identifiers: IdentifierSettings
    devices: DeviceSettings
    sampling: SamplingSettings
    matching: MatchingSettings
    operations: OperationsSettings

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
        features = str(self.matching.feature_dir).replace("{data_dir}", data)
        self.matching.feature_dir = Path(features).expanduser()
        self.devices.file = Path(str(self.devices.file).replace("{data_dir}", data)).expanduser()
        backups = str(self.operations.backup_dir).replace("{data_dir}", data)
        self.operations.backup_dir = Path(backups).expanduser()
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
    deeper = sorted(n for n in os.environ if n.startswith(env_name + "__"))
    if env_name in os.environ or deeper:
        return f"from environment variable {env_name if env_name in os.environ else deeper[0]}"
    for file, data in reversed(list(layers.items())):
        node: Any = data
        for part in loc:
            node = node.get(part) if isinstance(node, dict) else None
        if node is not None:
            return f"from {file}"
    return "not set anywhere: add it to the settings file"
