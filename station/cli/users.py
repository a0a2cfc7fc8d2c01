"""user create / list / set-password: browser users, so IT can make the first admin."""

from __future__ import annotations

import sys

import typer
from sqlalchemy import select

from station.access.models import Role, User
from station.access.users import InvalidUser, create_user, update_user
from station.cli.state import state

user_app = typer.Typer(help="Browser users (operators, supervisors, admins).", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(user_app, name="user")


def _password(password_stdin: bool) -> str:
    if password_stdin:
        line = sys.stdin.readline().rstrip("\r\n")
        if not line:
            raise InvalidUser("password: nothing was given on standard input")
        return line
    return typer.prompt("Password", hide_input=True, confirmation_prompt=True)


@user_app.command("create")
def user_create(
    ctx: typer.Context,
    username: str = typer.Option(..., help="Sign-in name."),
    role: str = typer.Option(..., help=f"One of: {', '.join(r.value for r in Role)}."),
    station: str | None = typer.Option(None, help="Station an operator works at."),
    display_name: str | None = typer.Option(None, help="Name shown on screens."),
    locale: str = typer.Option("en", help="Screen language when the browser says nothing: en, zh."),
    password_stdin: bool = typer.Option(
        False, "--password-stdin", help="Read the password from the first line of stdin."
    ),
    if_missing: bool = typer.Option(
        False, "--if-missing", help="Do nothing (and succeed) when the user already exists."
    ),
) -> None:
    """Create a user (prompts for the password twice unless --password-stdin)."""
    password = _password(password_stdin)
    runtime = state(ctx).runtime()
    with runtime.db.transaction() as session:
        if if_missing and session.scalar(select(User.id).where(User.username == username)):
            typer.echo(f"user {username} exists; left as it is")
            return
        user = create_user(
            session,
            username=username,
            role=role,
            password=password,
            display_name=display_name,
            station_id=station,
            locale=locale,
            actor="cli",
        )
    typer.echo(f"user {user.username} created with role {user.role.value}")


@user_app.command("set-password")
def user_set_password(
    ctx: typer.Context,
    username: str = typer.Option(..., help="Sign-in name."),
    password_stdin: bool = typer.Option(False, "--password-stdin"),
) -> None:
    """Give a user a new password."""
    password = _password(password_stdin)
    runtime = state(ctx).runtime()
    with runtime.db.transaction() as session:
        user = session.scalar(select(User).where(User.username == username))
        if user is None:
            raise InvalidUser(f"user {username!r} does not exist")
        update_user(session, user.id, password=password, actor="cli")
    typer.echo(f"password of {username} changed")


@user_app.command("list")
def user_list(ctx: typer.Context) -> None:
    """List users: name, role, station, active."""
    runtime = state(ctx).runtime()
    with runtime.db.session() as session:
        for user in session.scalars(select(User).order_by(User.username)):
            flags = "" if user.active else " (disabled)"
            typer.echo(f"{user.username}\t{user.role.value}\t{user.station_id or '-'}{flags}")
