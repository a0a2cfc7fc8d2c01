"""systemd print: the unit files of a role, with this installation's paths."""

from __future__ import annotations

import getpass
import grp
import os
from pathlib import Path

import typer

from station.cli.state import state
from station.operations import systemd as units
from station.settings import CONFIG_ENV

systemd_app = typer.Typer(help="systemd unit files for this installation.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(systemd_app, name="systemd")


@systemd_app.command("print")
def print_units(
    ctx: typer.Context,
    role: str = typer.Option(..., help="station (bench PC) or central."),
    user: str = typer.Option(getpass.getuser, help="The account the services run as."),
    out: Path | None = typer.Option(
        None, help="Write the files into this folder (e.g. /etc/systemd/system) instead."
    ),
) -> None:
    """Print (or write) a role's unit files with this installation's paths filled in."""
    cli = state(ctx)
    settings = cli.settings()
    config = cli.config_file or os.environ.get(CONFIG_ENV)
    if not config:
        config = f"/etc/inbound-station/{role}.toml"
        typer.secho(f"note: no --config given; the units read {config}", err=True)
    installation = units.Installation(
        executable=units.executable(),
        config=Path(config).absolute(),
        user=user,
        group=_primary_group(user),
        data_dir=settings.data_dir.absolute(),
        evidence_dir=settings.evidence_dir.absolute(),
        backup_dir=settings.operations.backup_dir.absolute(),
    )
    for name, text in units.units(role, installation).items():
        if out is None:
            typer.echo(f"# ---- {name}\n{text}")
        else:
            out.mkdir(parents=True, exist_ok=True)
            (out / name).write_text(text)
            typer.echo(f"wrote {out / name}")


def _primary_group(user: str) -> str:
    import pwd

    try:
        return grp.getgrgid(pwd.getpwnam(user).pw_gid).gr_name
    except KeyError:
        return user  # an account still to be made: `useradd --system` gives it its own group
