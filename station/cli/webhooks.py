"""webhooks run: the delivery worker as its own process."""

from __future__ import annotations

import signal
import threading

import typer

from station.cli.state import state

webhooks_app = typer.Typer(help="Webhook delivery.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(webhooks_app, name="webhooks")


@webhooks_app.command("run")
def run(
    ctx: typer.Context,
    once: bool = typer.Option(False, help="Send what is due now, then stop."),
) -> None:
    """Send webhook deliveries from the outbox until stopped (Ctrl-C or SIGTERM).
    Any number of these may run at once, beside `serve` or instead of it."""
    from station.db.migrate import require_current
    from station.webhooks.delivery import DeliveryWorker

    runtime = state(ctx).runtime()
    require_current(runtime.db.engine)
    worker = DeliveryWorker(runtime.db, runtime.settings.webhooks)
    if once:
        sent = 0
        while batch := worker.run_once():
            sent += batch
        typer.echo(f"{sent} deliveries attempted")
        return
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    typer.echo("delivering webhooks; Ctrl-C to stop")
    worker.run(stop)
