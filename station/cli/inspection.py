"""inspect, autopilot and review: the inspection workflow without the web screens."""

from __future__ import annotations

import uuid
from pathlib import Path

import typer

from station.cli.state import state
from station.db import migrate as migrations
from station.runtime import Runtime
from station.workflow.machine import Policy

review_app = typer.Typer(
    help="Supervisor review: the queue, unit decisions, lot overrides.", no_args_is_help=True
)


def register(app: typer.Typer) -> None:
    app.command()(inspect)
    app.command()(autopilot)
    app.add_typer(review_app, name="review")


def policy_of(runtime: Runtime) -> Policy:
    wf = runtime.settings.workflow
    return Policy(
        pause_after_s=wf.pause_after_s,
        abandon_after_s=wf.abandon_after_s,
        on_timeout=wf.on_timeout,
        empty_below_mg=round(wf.empty_scale_g * 1000),
        photo_retakes=wf.photo_retakes,
    )


def inspect(
    ctx: typer.Context,
    script: Path = typer.Option(..., "--script", help="Events, one JSON object per line."),
    bench: str = typer.Option("cli", help="Bench id whose saved state the script continues."),
    station: str | None = typer.Option(None, help="Station id [default: the station_id setting]."),
    quiet: bool = typer.Option(False, "--quiet", help="Print only the final state."),
) -> None:
    """Drive the inspection workflow from a script of events (docs/workflow.md, "Script
    format")."""
    from station.identifiers import ScanRules
    from station.matching.bench import vision_for
    from station.workflow.bench import BenchShell
    from station.workflow.script import read_script

    runtime = state(ctx).runtime()
    migrations.require_current(runtime.db.engine)
    shell = BenchShell(
        runtime.db,
        runtime.evidence,
        bench_id=bench,
        station_id=station or runtime.settings.station_id,
        warehouse_id=runtime.settings.warehouse_id,
        policy=policy_of(runtime),
        vision=vision_for(runtime),
        sampling=runtime.settings.sampling,
        scan_rules=ScanRules.from_settings(runtime.settings),
    )
    events = read_script(script, runtime.evidence)
    for number, event in enumerate(events, start=1):
        report = shell.handle(event)
        if not quiet:
            notice = report.state.notice
            text = f" | {notice.en}" if notice else ""
            typer.echo(f"{number:4d} {event.type:<8} -> {report.state.phase.value}{text}")
    final = shell.state()
    typer.echo(f"bench {bench}: {final.phase.value} after {final.steps} steps")


def autopilot(
    ctx: typer.Context,
    count: int = typer.Option(9, "--count", min=1, help="How many scripted inspections."),
    scenario: list[str] = typer.Option(
        [], "--scenario", help="Only these scenarios (repeatable) [default: all, in turn]."
    ),
    seed: int | None = typer.Option(None, help="Seed for repeatable runs."),
    devices: str = typer.Option(
        "simulated",
        help="simulated: scans and weights go through a simulated scanner and scale and the "
        "real drivers; direct: device events go straight to the bench.",
    ),
) -> None:
    """Run scripted inspections against the sample data (loads it into an empty database)."""
    from station.matching.bench import vision_for
    from station.workflow.autopilot import SCENARIOS, Autopilot

    if devices not in ("simulated", "direct"):
        raise typer.BadParameter("--devices simulated|direct")
    unknown = [s for s in scenario if s not in SCENARIOS]
    if unknown:
        raise typer.BadParameter(f"unknown scenarios {unknown}; known: {', '.join(SCENARIOS)}")
    runtime = state(ctx).runtime()
    _prepare_database(runtime)
    pilot = Autopilot(
        runtime.db, runtime.evidence, seed=seed, devices=devices, vision=vision_for(runtime)
    )
    results = pilot.run(count, scenario or None)
    bad = 0
    for r in results:
        verdicts = ", ".join(f"{k} {v}" for k, v in sorted(r.verdicts.items()))
        mark = "ok " if r.as_expected else "UNEXPECTED"
        verdicts = "not inspected (skip-lot)" if r.skipped else verdicts
        bad += not r.as_expected
        typer.echo(
            f"{mark} {r.scenario:<24} {r.shipment_id}  lot {r.lot_decision or '-':<9} "
            f"units: {verdicts}  expected {r.expected}; failed: {', '.join(r.found) or 'none'}"
        )
    typer.echo(f"{len(results)} inspections, {len(results) - bad} as expected")
    if bad:
        raise typer.Exit(1)


def _prepare_database(runtime: Runtime) -> None:
    """Migrate an empty or old database and load the sample data when it has none."""
    from sqlalchemy import func, select

    from station.reference.models import Listing
    from station.sample.load import load_sample

    if not migrations.schema_status(runtime.db.engine).up_to_date:
        migrations.upgrade(runtime.settings.database_url)
    with runtime.db.session() as session:
        listings = session.scalar(select(func.count()).select_from(Listing))
    if not listings:
        typer.echo("empty database: loading the sample data")
        load_sample(runtime.db, runtime.evidence, runtime.settings.data_dir / "sample-images")


@review_app.command("queue")
def review_queue(
    ctx: typer.Context,
    warehouse: str | None = typer.Option(None, help="Only this warehouse."),
) -> None:
    """Units waiting for a supervisor's decision, oldest first."""
    from station.inspection.models import Outcome
    from station.review.service import review_queue as queue

    runtime = state(ctx).runtime()
    migrations.require_current(runtime.db.engine)
    with runtime.db.session() as session:
        items = queue(session, warehouse)
        for item in items:
            unsure = [c for c in item.checks if c.outcome == Outcome.REVIEW]
            why = "; ".join(f"{c.check}: {c.reason}" for c in unsure) or "-"
            typer.echo(f"{item.id}  {item.listing_id or '-':<6} unit {item.unit_no}  {why}")
        typer.echo(f"{len(items)} waiting")


@review_app.command("decide")
def review_decide(
    ctx: typer.Context,
    inspection: uuid.UUID = typer.Argument(..., help="Inspection id."),
    verdict: str = typer.Option(..., help="pass or fail."),
    reason: str = typer.Option(..., help="Why (kept in the audit log and sent on)."),
    by: str = typer.Option(..., "--by", help="The supervisor's name."),
    defect_class: str | None = typer.Option(None, help="critical, major or minor."),
) -> None:
    """Decide a unit in review, or override a unit's verdict."""
    from station.review.service import decide_unit

    runtime = state(ctx).runtime()
    migrations.require_current(runtime.db.engine)
    with runtime.db.transaction() as session:
        item = decide_unit(
            session,
            inspection,
            verdict=verdict,
            reason=reason,
            actor=by,
            defect_class=defect_class,
        )
        typer.echo(f"{item.id}: final verdict {item.final_verdict.value}")


@review_app.command("lot")
def review_lot(
    ctx: typer.Context,
    lot: uuid.UUID = typer.Argument(..., help="Lot id."),
    decision: str = typer.Option(..., help="accepted or rejected."),
    disposition: str = typer.Option(..., help="accept_to_stock, quarantine or return_to_merchant."),
    reason: str = typer.Option(..., help="Why."),
    by: str = typer.Option(..., "--by", help="The supervisor's name."),
) -> None:
    """Override a lot's decision and disposition."""
    from station.review.service import override_lot

    runtime = state(ctx).runtime()
    migrations.require_current(runtime.db.engine)
    with runtime.db.transaction() as session:
        item = override_lot(
            session, lot, decision=decision, disposition=disposition, reason=reason, actor=by
        )
        typer.echo(f"{item.id}: {item.decision.value}, {item.disposition.value}")
