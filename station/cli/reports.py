"""report: PDF reports, CSV export and merchant scorecards."""

from __future__ import annotations

import sys
import uuid
from datetime import datetime
from pathlib import Path

import typer

from station.cli.state import state
from station.db import migrate as migrations
from station.runtime import Runtime

report_app = typer.Typer(help="PDF reports, CSV export, merchant scorecards.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(report_app, name="report")


@report_app.command("inspection")
def inspection_report(
    ctx: typer.Context,
    inspection: uuid.UUID = typer.Argument(..., help="Inspection id."),
    out: Path = typer.Option(..., "--out", help="PDF file to write."),
) -> None:
    """The PDF report of one inspection (photos, weights, scans, checks, verdict)."""
    from station.reports.pdf import inspection_pdf

    runtime = _runtime(ctx)
    with runtime.db.session() as session:
        out.write_bytes(inspection_pdf(session, runtime.evidence, inspection))
    typer.echo(f"wrote {out}")


@report_app.command("lot")
def lot_report(
    ctx: typer.Context,
    lot: uuid.UUID = typer.Argument(..., help="Lot id."),
    out: Path = typer.Option(..., "--out", help="PDF file to write."),
) -> None:
    """The PDF report of one lot (sampling plan, defects by class, decision, disposition)."""
    from station.reports.pdf import lot_pdf

    runtime = _runtime(ctx)
    with runtime.db.session() as session:
        out.write_bytes(lot_pdf(session, lot))
    typer.echo(f"wrote {out}")


@report_app.command("csv")
def csv_export(
    ctx: typer.Context,
    out: Path | None = typer.Option(None, "--out", help="CSV file [default: standard output]."),
    since: datetime | None = typer.Option(None, help="Completed at or after (UTC, ISO 8601)."),
    until: datetime | None = typer.Option(None, help="Completed before (UTC, ISO 8601)."),
    warehouse: str | None = typer.Option(None, help="Only this warehouse."),
) -> None:
    """Every completed inspection as one CSV row."""
    from station.reports.export import result_rows, write_csv

    runtime = _runtime(ctx)
    since, until = _utc(since), _utc(until)
    with runtime.db.session() as session:
        rows = result_rows(session, since, until, warehouse)
        if out is None:
            write_csv(sys.stdout, rows)
            return
        with out.open("w", newline="", encoding="utf-8") as fh:
            count = write_csv(fh, rows)
    typer.echo(f"wrote {count} rows to {out}")


@report_app.command("scorecard")
def scorecard_command(
    ctx: typer.Context,
    by: str = typer.Option("merchant", help="merchant, brand or category."),
    period: str = typer.Option("week", help="day, week or month."),
) -> None:
    """Pass rate and defect rates per merchant, brand or category over time."""
    from station.reports.scorecard import scorecard

    if by not in ("merchant", "brand", "category") or period not in ("day", "week", "month"):
        raise typer.BadParameter("--by merchant|brand|category, --period day|week|month")
    runtime = _runtime(ctx)
    with runtime.db.session() as session:
        rows = scorecard(session, by, period)
    typer.echo(f"{by:<10} {period:<10} inspected  pass%  critical% major% minor%")
    for r in rows:
        typer.echo(
            f"{r.key:<10} {r.period_start.isoformat():<10} {r.inspected:9d} {r.pass_rate:6.1%} "
            f"{r.defect_rate('critical'):9.1%} {r.defect_rate('major'):6.1%} "
            f"{r.defect_rate('minor'):6.1%}"
        )


def _utc(value: datetime | None) -> datetime | None:
    from datetime import UTC

    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


def _runtime(ctx: typer.Context) -> Runtime:
    runtime = state(ctx).runtime()
    migrations.require_current(runtime.db.engine)
    return runtime
