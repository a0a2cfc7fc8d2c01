"""import and sample: reference data into the database."""

from __future__ import annotations

from pathlib import Path

import typer

from station.cli.state import state
from station.reference.importer import KINDS, import_file

sample_app = typer.Typer(
    help="The sample data set used by the demo and the tests.", no_args_is_help=True
)


def register(app: typer.Typer) -> None:
    app.command(name="import")(import_command)
    app.add_typer(sample_app, name="sample")


def import_command(
    ctx: typer.Context,
    kind: str = typer.Argument(..., help=f"One of: {', '.join(KINDS)}."),
    file: Path = typer.Argument(..., help="A .csv, .json (array) or .ndjson file."),
    images: Path | None = typer.Option(
        None, help="Folder that image paths in the file are relative to [default: the file's]."
    ),
) -> None:
    """Import reference data. Every row is checked first; a file with any error changes nothing."""
    runtime = state(ctx).runtime()
    report = import_file(runtime.db, runtime.evidence, kind, file, images_dir=images)
    typer.echo(report.summary())


@sample_app.command("load")
def sample_load(ctx: typer.Context) -> None:
    """Load the sample data set (rendering its images first). A second run changes nothing."""
    from station.sample.load import load_sample

    runtime = state(ctx).runtime()
    images = runtime.settings.data_dir / "sample-images"
    for report in load_sample(runtime.db, runtime.evidence, images):
        typer.echo(report.summary())


@sample_app.command("generate")
def sample_generate(
    out: Path = typer.Option(Path("config/sample"), help="Folder to write the sample files to."),
) -> None:
    """Rewrite the sample data files from the built-in catalogue (for developers)."""
    from station.sample.generate import build, write

    for path in write(build(), out):
        typer.echo(f"wrote {path}")
