"""backup and restore: the station's SQLite database and its evidence photos."""

from __future__ import annotations

from pathlib import Path

import typer

from station.cli.state import state
from station.errors import StationError
from station.operations import backup as backups
from station.operations import restore as restores


def register(app: typer.Typer) -> None:
    app.command()(backup)
    app.command()(restore)


def backup(
    ctx: typer.Context,
    to: Path | None = typer.Option(
        None, "--to", help="Backup file [default: backup_dir/station-<UTC time>.db]."
    ),
    evidence_to: Path | None = typer.Option(
        None, help="Evidence mirror folder [default: evidence/ beside the backup file]."
    ),
    no_evidence: bool = typer.Option(False, help="Copy the database only."),
) -> None:
    """Back up the SQLite database while the station runs, verified, and new evidence photos."""
    settings = state(ctx).settings()
    target = to or backups.default_target(settings.operations.backup_dir)
    mirror = None if no_evidence else (evidence_to or target.parent / "evidence")
    report = backups.back_up(
        settings.database_url, target, None if no_evidence else settings.evidence_dir, mirror
    )
    typer.echo(
        f"database backed up to {report.database} ({report.size:,} bytes, "
        f"schema revision {report.revision}, integrity check ok)"
    )
    if report.evidence is not None:
        copy = report.evidence
        typer.echo(
            f"evidence mirrored to {report.evidence_dir}: {copy.copied} new file(s), "
            f"{copy.bytes_copied:,} bytes; {copy.already_there} already there"
        )


def restore(
    ctx: typer.Context,
    file: Path = typer.Argument(..., help="A backup file made by `inbound-station backup`."),
    evidence_from: Path | None = typer.Option(
        None, help="Evidence mirror to add photos from [default: evidence/ beside FILE]."
    ),
    force: bool = typer.Option(False, help="Restore even though a server seems to be running."),
) -> None:
    """Put a backup back (checked first; the replaced database is kept aside)."""
    settings = state(ctx).settings()
    database = backups.sqlite_path(settings.database_url)
    restores.check_backup(file)
    busy = restores.server_in_use(settings, database)
    if busy and not force:
        raise StationError(
            f"{busy}; stop it first (systemctl stop inbound-station-station), "
            "or pass --force if you are sure nothing uses the database"
        )
    mirror = evidence_from or file.parent / "evidence"
    report = restores.restore(file, settings.database_url, mirror, settings.evidence_dir)
    typer.echo(f"restored {report.database} from {file} (schema revision {report.revision})")
    for kept in report.kept_aside:
        typer.echo(f"  the replaced file is kept as {kept}")
    if report.evidence is not None:
        typer.echo(f"  evidence: {report.evidence.copied} photo file(s) added to the store")
    if report.needs_migrate:
        typer.echo("the backup's schema is older than this version: run `inbound-station migrate`")
