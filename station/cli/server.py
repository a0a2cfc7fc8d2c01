"""serve and version."""

from __future__ import annotations

from pathlib import Path

import typer

from station import __version__
from station.cli.state import state
from station.db.migrate import require_current
from station.runtime import Runtime
from station.settings import export_to_environment


def register(app: typer.Typer) -> None:
    app.command()(serve)
    app.command()(version)


def serve(
    ctx: typer.Context,
    host: str | None = typer.Option(None, help="Address to listen on [default: from settings]."),
    port: int | None = typer.Option(None, help="TCP port [default: from settings]."),
    role: str | None = typer.Option(None, help="all-in-one, station or central."),
    config: Path | None = typer.Option(None, "--config", help="Installation settings file."),
    database_url: str | None = typer.Option(None, help="Overrides the database_url setting."),
    central_url: str | None = typer.Option(
        None, help="Station role: central's address (sync.central_url)."
    ),
    station_key: str | None = typer.Option(
        None, help="Station role: this station's API key at central (sync.station_key)."
    ),
    station_id: str | None = typer.Option(None, help="Station role: this bench's station id."),
) -> None:
    """Start the web server (marketplace API, bench screen and dashboard) for this role."""
    import uvicorn

    export_to_environment(
        config or state(ctx).config_file,
        role=role,
        database_url=database_url,
        server__host=host,
        server__port=port,
        sync__central_url=central_url,
        sync__station_key=station_key,
        station_id=station_id,
    )
    settings = state(ctx).settings()
    runtime = Runtime.from_settings(settings)
    try:
        require_current(runtime.db.engine)
    finally:
        runtime.close()
    address = f"http://{settings.server.host}:{settings.server.port}"
    typer.echo(f"inbound-station {__version__}, role {settings.role}, serving on {address}")
    # The app is named, not imported: station never depends on api (DESIGN.md §3),
    # and every server process builds its own settings from the same environment.
    uvicorn.run(
        "api.main:app_from_environment",
        factory=True,
        host=settings.server.host,
        port=settings.server.port,
        log_level=settings.log.level.lower(),
        # JSON lines: uvicorn's own loggers pass through the root handler too.
        **({"log_config": None} if settings.log.as_json else {}),
    )


def version() -> None:
    """Print the version of the installed software."""
    typer.echo(__version__)
