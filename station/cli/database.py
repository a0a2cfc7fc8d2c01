"""migrate and settings: bringing the database and the configuration into shape."""

from __future__ import annotations

import json

import typer

from station.cli.state import state
from station.db import migrate as migrations
from station.settings_reference import reference_markdown


def register(app: typer.Typer) -> None:
    app.command()(migrate)
    app.command(name="settings")(show_settings)


def migrate(
    ctx: typer.Context,
    revision: str = typer.Option("head", help="Target revision (head = the latest)."),
) -> None:
    """Bring the configured database to the latest schema (safe to run any time)."""
    runtime = state(ctx).runtime()
    before = migrations.schema_status(runtime.db.engine)
    migrations.upgrade(runtime.settings.database_url, revision)
    after = migrations.schema_status(runtime.db.engine)
    if before.current == after.current:
        typer.echo(f"database {after.describe()}; nothing to do")
    else:
        typer.echo(f"database migrated from {before.current or 'empty'} to {after.current}")


def show_settings(
    ctx: typer.Context,
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of TOML-like lines."),
    reference: bool = typer.Option(
        False, "--reference", help="Print every setting with its default and meaning (Markdown)."
    ),
) -> None:
    """Print the effective settings (secrets hidden)."""
    if reference:
        typer.echo(reference_markdown(), nl=False)
        return
    settings = state(ctx).settings()
    values = json.loads(settings.model_dump_json(by_alias=True))
    if as_json:
        typer.echo(json.dumps(values, indent=2))
        return
    for key, value in values.items():
        if isinstance(value, dict):
            for sub, item in value.items():
                typer.echo(f"{key}.{sub} = {json.dumps(item)}")
        else:
            typer.echo(f"{key} = {json.dumps(value)}")
