"""The `inbound-station` command. Each area adds its subcommands in its own module here."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from station.cli import (
    apikeys,
    aql,
    backup,
    database,
    devices,
    doctor,
    identify,
    inspection,
    reference,
    reports,
    server,
    simulate,
    sync,
    systemd,
    users,
    vision,
    webhooks,
)
from station.cli.state import CliState
from station.errors import StationError

app = typer.Typer(
    name="inbound-station",
    help="Inspection benches for marketplace partner warehouses.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def _root(
    ctx: typer.Context,
    config: Path | None = typer.Option(
        None, "--config", help="Installation settings file (TOML); also INBOUND_STATION_CONFIG."
    ),
) -> None:
    ctx.obj = CliState(config_file=config)


for module in (
    server,
    database,
    reference,
    aql,
    identify,
    users,
    devices,
    simulate,
    apikeys,
    webhooks,
    inspection,
    reports,
    vision,
    sync,
    backup,
    doctor,
    systemd,
):
    module.register(app)


def main() -> None:
    try:
        app()
    except StationError as err:
        typer.secho(f"error: {err}", fg=typer.colors.RED, err=True)
        sys.exit(1)
