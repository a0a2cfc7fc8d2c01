"""identify: what a scanned or typed code is, whether it is valid, and what it says."""

from __future__ import annotations

import json

import typer

from station.cli.state import state
from station.identifiers import Identification, ScanRules, identify
from station.identifiers.identification import KIND_NAMES


def register(app: typer.Typer) -> None:
    app.command(name="identify")(identify_command)


def identify_command(
    ctx: typer.Context,
    text: str = typer.Argument(
        ...,
        help="The scan, e.g. 4006381333931, EE123456785CN or ']C1010950110153000317261231'. "
        "Write a GS1 group separator as <GS>.",
    ),
    aim: str | None = typer.Option(
        None, "--aim", help="The scanner's AIM symbology id, e.g. ]C1 (GS1-128) or ]E0 (EAN/UPC)."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
) -> None:
    """Say what a scan is and whether it is valid. Exit status 1 when it is not valid."""
    rules = ScanRules.from_settings(state(ctx).settings())
    result = identify(text, aim=aim, rules=rules)
    if as_json:
        typer.echo(json.dumps(result.to_json(), ensure_ascii=False))
    else:
        typer.echo(describe(result))
    if not result.valid:
        raise typer.Exit(1)


def describe(result: Identification) -> str:
    """Some lines for people: the kind, valid or why not, then the fields."""
    verdict = "valid" if result.valid else f"NOT VALID: {result.reason}"
    lines = [f"{KIND_NAMES[result.kind]}: {verdict}"]
    if result.aim:
        lines.append(f"  {'symbology':<15} {result.aim}")
    plain = result.to_json()["fields"]
    for name, value in plain.items():
        if name == "elements":
            for element in value:
                lines.append(f"  ({element['ai']}) {element['value']}  [{element['title']}]")
        elif value is not None:
            lines.append(f"  {name:<15} {value}")
    return "\n".join(lines)
