"""What the subcommands share: the --config option and the settings built from it."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import typer

from station.logs import configure_logging
from station.runtime import Runtime
from station.settings import Settings, load_settings


@dataclass
class CliState:
    config_file: Path | None = None
    _runtime: Runtime | None = field(default=None, repr=False)

    def settings(self, config_file: Path | None = None, **overrides: Any) -> Settings:
        settings = load_settings(config_file or self.config_file, **overrides)
        configure_logging(settings.log.level, settings.log.as_json)
        return settings

    def runtime(self, **overrides: Any) -> Runtime:
        if self._runtime is None:
            self._runtime = Runtime.from_settings(self.settings(**overrides))
        return self._runtime


def state(ctx: typer.Context) -> CliState:
    return ctx.ensure_object(CliState)
