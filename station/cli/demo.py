"""`inbound-station demo`: the whole product in one process, on this computer.

The all-in-one role on an embedded SQLite database (var/demo by default), the sample
data, demo sign-ins, a simulated scale, scanner and camera at bench HZ1-B01, and on
request the autopilot's inspections alongside, so the dashboard has something to show.
"""

from __future__ import annotations

import os
import signal
import threading
from pathlib import Path

import typer

from station import __version__
from station.cli.state import state
from station.settings import ENV_PREFIX, export_to_environment

# Signs the shipment QR codes on the demo's parcels without carrier labels. Public, in
# the source: it is for the demo only and is never the key of a real installation.
DEMO_QR_KEY = "DEMO-ONLY-shipment-qr-key-not-secret"
DEFAULT_DIR = Path("var/demo")


def register(app: typer.Typer) -> None:
    app.command()(demo)


def demo(
    ctx: typer.Context,
    autopilot: int = typer.Option(
        0, "--autopilot", min=0, help="Run this many scripted inspections alongside."
    ),
    host: str = typer.Option("127.0.0.1", help="Address to listen on."),
    port: int = typer.Option(8000, min=1, max=65535, help="TCP port."),
    data_dir: Path = typer.Option(
        DEFAULT_DIR,
        help="Where the demo keeps its database and photos; never an installation's "
        "data_dir (the demo adds its sign-ins and sample data there).",
    ),  # fmt: skip
) -> None:
    """Start the demo: sample data, simulated devices at bench HZ1-B01, the web screens."""
    from station.demo.devices import DemoDevices, devices_dir
    from station.demo.prepare import STATION, WAREHOUSE, prepare_database

    folder = data_dir.resolve()
    folder.mkdir(parents=True, exist_ok=True)
    export_to_environment(
        state(ctx).config_file,
        role="all-in-one",
        data_dir=folder,
        database_url=f"sqlite:///{folder}/station.db",
        station_id=STATION,
        warehouse_id=WAREHOUSE,
        demo="true",
        server__host=host,
        server__port=port,
        devices__file=devices_dir(folder) / "devices.toml",
    )
    if not state(ctx).settings().identifiers.shipment_qr_key.get_secret_value():
        os.environ[ENV_PREFIX + "IDENTIFIERS__SHIPMENT_QR_KEY"] = DEMO_QR_KEY
    runtime = state(ctx).runtime()
    devices, interrupted = None, False
    try:
        prepare_database(runtime, typer.echo)
        devices = DemoDevices(folder).start()
        _serve(runtime, host, port, autopilot)
    except KeyboardInterrupt:
        interrupted = True  # Ctrl-C: the server and the autopilot have stopped
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C must not cut cleanup short
        if devices is not None:
            devices.stop()
        runtime.close()
    typer.echo("demo stopped; `make demo` continues from here, `make demo-reset` starts afresh")
    if interrupted:
        raise typer.Exit(130)


def _serve(runtime, host: str, port: int, autopilot: int) -> None:
    from station.demo.serving import serve

    stop = threading.Event()
    pilot = None
    if autopilot:
        pilot = threading.Thread(
            target=_autopilot, args=(runtime, autopilot, stop), name="demo-autopilot", daemon=True
        )
    address = f"http://{host}:{port}"
    typer.echo(
        f"inbound-station {__version__} demo on {address}  (data: {runtime.settings.data_dir})\n"
        f"  bench screen  {address}/bench      sign in as operator / demo-operator\n"
        f"  dashboard     {address}/dashboard  sign in as supervisor / demo-supervisor\n"
        f"  admin         {address}/admin      sign in as admin / demo-admin\n"
        "  simulated scale, scanner and camera at bench HZ1-B01; Ctrl-C stops the demo"
    )
    if pilot is not None:
        pilot.start()
    try:
        serve(host, port, runtime.settings.log.level.lower(), stop)
    finally:
        stop.set()
        if pilot is not None and pilot.is_alive():
            typer.echo("autopilot: finishing the inspection in hand (Ctrl-C again to leave now)")
            pilot.join()


def _autopilot(runtime, count: int, stop: threading.Event) -> None:
    from station.demo.prepare import run_autopilot

    try:
        tally = run_autopilot(runtime, count, stop, typer.echo)
    except Exception as err:  # the server goes on; the dashboard shows what was done
        typer.secho(f"autopilot stopped: {err}", fg=typer.colors.RED, err=True)
        return
    typer.echo(f"autopilot done: {tally.done} inspections, {tally.as_expected} as expected")
