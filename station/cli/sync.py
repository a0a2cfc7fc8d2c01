"""sync run / status / pull: the station's link to central (docs/sync.md)."""

from __future__ import annotations

import signal
import threading

import typer

from station.cli.state import state
from station.db.migrate import require_current

sync_app = typer.Typer(help="Station <-> central sync (station role).", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(sync_app, name="sync")


@sync_app.command("run")
def run(
    ctx: typer.Context,
    once: bool = typer.Option(False, "--once", help="Push what waits now, then stop."),
) -> None:
    """Push the outbox (results with their photos) to central until stopped."""
    from station.sync.worker import SyncWorker

    runtime = state(ctx).runtime()
    require_current(runtime.db.engine)
    worker = SyncWorker(runtime.db, runtime.evidence, runtime.settings)
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    typer.echo(
        f"station {runtime.settings.station_id}: pushing to {runtime.settings.sync.central_url}"
    )
    worker.run(stop, once=once)
    _print_status(ctx)


@sync_app.command("status")
def status(ctx: typer.Context) -> None:
    """Outbox depth, sync lag, offline since, last success, disk space."""
    _print_status(ctx)


@sync_app.command("pull")
def pull(ctx: typer.Context) -> None:
    """Fetch central's reference data for this station's warehouse (incremental)."""
    from station.sync.pull import client_for, features_for, pull_reference

    runtime = state(ctx).runtime()
    require_current(runtime.db.engine)
    client, settings = client_for(runtime.settings), runtime.settings
    report = pull_reference(runtime.db, runtime.evidence, client, features_for(settings))
    typer.echo(report.summary())


def _print_status(ctx: typer.Context) -> None:
    from station.sync.status import sync_status

    runtime = state(ctx).runtime()
    current = sync_status(runtime.db, runtime.settings)
    typer.echo(current.summary())
    when = (
        current.last_success_at.isoformat(timespec="seconds")
        if current.last_success_at
        else "never"
    )
    typer.echo(
        f"last success {when}; lag {current.lag_seconds:.0f} s; disk free {current.disk.free_mb} MB"
    )
    if current.last_error:
        typer.echo(f"last error: {current.last_error}")
