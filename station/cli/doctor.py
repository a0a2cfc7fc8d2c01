"""doctor: one line per check of this installation, and what to fix."""

from __future__ import annotations

import typer

from station.cli.state import state
from station.operations.doctor import Status, examine


def register(app: typer.Typer) -> None:
    app.command()(doctor)


def doctor(ctx: typer.Context) -> None:
    """Check database, devices, central, clock, disk and versions; exit 1 on a FAIL."""
    settings = state(ctx).settings()
    findings = examine(settings)
    colours = {Status.OK: typer.colors.GREEN, Status.WARN: typer.colors.YELLOW}
    for finding in findings:
        typer.secho(finding.line(), fg=colours.get(finding.status, typer.colors.RED))
    failed = sum(f.status is Status.FAIL for f in findings)
    warned = sum(f.status is Status.WARN for f in findings)
    typer.echo(f"{len(findings)} checks: {failed} failed, {warned} warnings")
    if failed:
        raise typer.Exit(1)
