"""aql: sampling plans from ISO 2859-1 / Z1.4, the tables, draws and switching state."""

from __future__ import annotations

import json
from typing import Any

import typer

from station.cli.state import state
from station.sampling import (
    approve_reduced,
    draw_units,
    load_scheme,
    plan_lot,
    resume_sampling,
    single_plan,
    switching_state,
)
from station.sampling.tables import LEVELS, Severity, parse_aql, parse_level, parse_severity

aql_app = typer.Typer(
    help="Acceptance sampling (ISO 2859-1 / ANSI Z1.4): plans, tables, draws, switching.",
    no_args_is_help=True,
)


def register(app: typer.Typer) -> None:
    app.add_typer(aql_app, name="aql")


@aql_app.command("plan")
def plan_command(
    ctx: typer.Context,
    lot_size: int = typer.Option(..., "--lot-size", help="Units in the lot."),
    level: str | None = typer.Option(None, help=f"One of {', '.join(LEVELS)} [default: setting]."),
    aql: str | None = typer.Option(
        None, help="One AQL (e.g. 2.5); without it, the AQL per defect class from the settings."
    ),
    severity: str = typer.Option("normal", help="normal, tightened or reduced."),
    scheme: str | None = typer.Option(None, help="iso2859-1 or z1.4 [default: setting]."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """The single sampling plan for a lot: code letter, sample size, Ac and Re."""
    settings = state(ctx).settings().sampling
    level = level or settings.level
    scheme = scheme or settings.scheme
    if aql is None:
        _print_lot_plan(lot_size, level, settings.aql, severity, scheme, as_json)
        return
    tables = load_scheme(scheme)
    letter = tables.code_letter(lot_size, level)
    plan = single_plan(letter, aql, severity, scheme)
    result = {
        "scheme": tables.name,
        "lot_size": lot_size,
        "level": parse_level(level),
        "severity": str(parse_severity(severity)),
        "aql": str(parse_aql(aql)),
        "lot_code_letter": letter,
        "code_letter": plan.code_letter,
        "sample_size": plan.sample_size,
        "accept": plan.accept,
        "reject": plan.reject,
        "hundred_percent": plan.sample_size >= lot_size,
        "units_to_inspect": min(plan.sample_size, lot_size),
    }
    typer.echo(json.dumps(result, indent=2) if as_json else _describe(result))


def _describe(r: dict[str, Any]) -> str:
    moved = (
        f"; the table's arrow leads to code letter {r['code_letter']}"
        if r["code_letter"] != r["lot_code_letter"]
        else ""
    )
    lines = [
        f"Lot of {r['lot_size']} units, level {r['level']}, {r['severity']} inspection, "
        f"AQL {r['aql']} ({r['scheme']})",
        f"Code letter {r['lot_code_letter']} (Table 1){moved}.",
        f"Sample {r['sample_size']} units: accept with "
        + ("no defective unit" if r["accept"] == 0 else f"{r['accept']} or fewer defectives")
        + f" (Ac {r['accept']}), reject with {r['reject']} or more (Re {r['reject']}).",
    ]
    if r["hundred_percent"]:
        lines.append(f"The sample reaches the lot size: inspect all {r['lot_size']} units (100 %).")
    return "\n".join(lines)


def _print_lot_plan(lot_size, level, aqls, severity, scheme, as_json) -> None:
    plan = plan_lot(lot_size, level, aqls, severity, scheme)
    if as_json:
        body = {
            "scheme": plan.scheme,
            "lot_size": lot_size,
            "level": plan.level,
            "severity": str(plan.severity),
            "lot_code_letter": plan.code_letter,
            "sample_size": plan.sample_size,
            "hundred_percent": plan.hundred_percent,
            "rule": plan.rule,
            "classes": plan.as_record(),
        }
        typer.echo(json.dumps(body, indent=2))
        return
    typer.echo(
        f"Lot of {lot_size} units, level {plan.level}, {plan.severity} inspection ({plan.scheme}); "
        f"code letter {plan.code_letter}; draw {plan.sample_size} units"
        + (" (100 %)" if plan.hundred_percent else "")
    )
    for cls, p in plan.per_class.items():
        typer.echo(
            f"  {cls.value:<8} AQL {plan.aqls[cls]!s:<6} letter {p.code_letter}  "
            f"judged on {plan.units_for(cls):>4} units  Ac {p.accept:>2}  Re {p.reject:>2}"
        )
    typer.echo(f"Rule: {plan.rule}")


@aql_app.command("table")
def table_command(
    ctx: typer.Context,
    severity: str = typer.Option("normal", help="normal, tightened or reduced."),
    scheme: str | None = typer.Option(None, help="iso2859-1 or z1.4 [default: setting]."),
    letters: bool = typer.Option(False, "--letters", help="Print Table 1 (code letters)."),
) -> None:
    """Print a master table as the standard prints it (arrows: use the plan they point to)."""
    tables = load_scheme(scheme or state(ctx).settings().sampling.scheme)
    if letters:
        typer.echo(f"{'lot size':>18}  " + " ".join(f"{lv:>3}" for lv in LEVELS))
        for row in tables.letter_ranges:
            span = f"{row.lot_from}-{row.lot_to}" if row.lot_to else f"{row.lot_from}+"
            typer.echo(f"{span:>18}  " + " ".join(f"{row.letters[lv]:>3}" for lv in LEVELS))
        return
    sev = parse_severity(severity)
    typer.echo(f"{tables.title}: {sev} inspection")
    typer.echo("     n  " + " ".join(f"{label:>5}" for label in tables.aql_labels))
    for letter, cells in tables.tables[sev].items():
        size = tables.sample_sizes[sev][letter]
        typer.echo(f"{letter} {size:>4}  " + " ".join(f"{c.text():>5}" for c in cells))


@aql_app.command("draw")
def draw_command(
    lot_size: int = typer.Option(..., "--lot-size", help="Units in the lot."),
    sample_size: int = typer.Option(..., "--sample-size", help="Units to draw."),
    seed: int = typer.Option(..., help="The seed recorded with the lot."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Repeat a recorded draw: the unit numbers (1-based) in draw order."""
    units = draw_units(lot_size, sample_size, seed)
    typer.echo(json.dumps(units) if as_json else " ".join(str(u) for u in units))


@aql_app.command("status")
def status_command(
    ctx: typer.Context,
    merchant: str = typer.Argument(..., help="Merchant id."),
    listing: str = typer.Argument(..., help="Listing id."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """The switching state of a merchant x listing."""
    runtime = state(ctx).runtime()
    with runtime.db.session() as session:
        current = switching_state(session, merchant, listing)
    values = {k: str(v) if isinstance(v, Severity) else v for k, v in vars(current).items()}
    if as_json:
        typer.echo(json.dumps(values, indent=2))
        return
    for key, value in values.items():
        typer.echo(f"{key} = {value}")


@aql_app.command("approve-reduced")
def approve_command(
    ctx: typer.Context,
    merchant: str = typer.Argument(..., help="Merchant id."),
    listing: str = typer.Argument(..., help="Listing id."),
    by: str = typer.Option(..., "--by", help="Who approves (the responsible authority)."),
    withdraw: bool = typer.Option(False, "--withdraw", help="Withdraw the approval."),
) -> None:
    """Approve reduced inspection for a merchant x listing (it still has to be earned)."""
    runtime = state(ctx).runtime()
    with runtime.db.transaction() as session:
        approve_reduced(session, merchant, listing, approved=not withdraw, actor=by)
    typer.echo(
        f"reduced inspection {'withdrawn' if withdraw else 'approved'} for {merchant} / {listing}"
    )


@aql_app.command("resume")
def resume_command(
    ctx: typer.Context,
    merchant: str = typer.Argument(..., help="Merchant id."),
    listing: str = typer.Argument(..., help="Listing id."),
    by: str = typer.Option(..., "--by", help="Who resumes sampling."),
    reason: str = typer.Option(..., "--reason", help="What the merchant corrected."),
) -> None:
    """Resume sampling after discontinuation (it restarts on tightened inspection)."""
    runtime = state(ctx).runtime()
    with runtime.db.transaction() as session:
        resumed = resume_sampling(session, merchant, listing, actor=by, reason=reason)
    typer.echo(f"sampling resumed on {resumed.severity} inspection for {merchant} / {listing}")
