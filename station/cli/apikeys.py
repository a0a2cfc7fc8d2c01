"""apikey create / list / revoke: keys for the marketplace and other systems."""

from __future__ import annotations

import typer

from station.access.keys import Scope, create_key, list_keys, parse_scopes, revoke_key
from station.cli.state import state

apikey_app = typer.Typer(help="API keys for the marketplace API.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(apikey_app, name="apikey")


@apikey_app.command("create")
def create(
    ctx: typer.Context,
    name: str = typer.Option(..., help="Who uses the key, e.g. 'marketplace results reader'."),
    scopes: str = typer.Option(
        ..., help=f"Comma-separated, some of: {', '.join(s.value for s in Scope)}."
    ),
    warehouse: list[str] = typer.Option(
        [], help="Restrict the key to this warehouse (repeat for several; default: all)."
    ),
    station: str | None = typer.Option(
        None, help="The station this key belongs to (for scope station:sync)."
    ),
) -> None:
    """Create a key. Its secret is printed once and never stored: keep it now."""
    runtime = state(ctx).runtime()
    with runtime.db.transaction() as session:
        new = create_key(
            session,
            name=name,
            scopes=parse_scopes(scopes),
            warehouses=warehouse,
            station_id=station,
        )
    typer.echo(f"created API key {new.key.prefix} ({', '.join(new.key.scopes)})")
    typer.echo("secret, shown only now (send as 'Authorization: Bearer <secret>'):")
    typer.echo(new.token)


@apikey_app.command("list")
def list_command(ctx: typer.Context) -> None:
    """List keys: prefix, name, scopes, warehouses, last use, revocation."""
    runtime = state(ctx).runtime()
    with runtime.db.session() as session:
        keys = list_keys(session)
    if not keys:
        typer.echo("no API keys yet; create one with `inbound-station apikey create`")
    for key in keys:
        used = key.last_used_at.isoformat(timespec="seconds") if key.last_used_at else "never"
        state_text = f"revoked {key.revoked_at:%Y-%m-%d}" if key.revoked_at else "active"
        where = ",".join(key.warehouses) if key.warehouses else "all warehouses"
        typer.echo(
            f"{key.prefix}  {state_text:<18} {key.name}  scopes={','.join(key.scopes)}  "
            f"{where}  last used {used}"
        )


@apikey_app.command("revoke")
def revoke(ctx: typer.Context, prefix: str = typer.Argument(..., help="The key's prefix.")) -> None:
    """Revoke a key at once; requests with it get 401 from then on."""
    runtime = state(ctx).runtime()
    with runtime.db.transaction() as session:
        key = revoke_key(session, prefix)
    typer.echo(f"revoked {key.prefix} ({key.name})")
