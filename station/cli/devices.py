"""`inbound-station devices`: list configured devices, read one port, probe one port."""

from __future__ import annotations

import json
import queue
import time
from pathlib import Path

import typer

from drivers.errors import DriverError
from drivers.link import SerialSettings
from drivers.probe import PROBES, probe
from drivers.readings import DeviceState, Event, ScanReading, WeightReading
from drivers.scales import PROTOCOL_NAMES, scale_protocol
from drivers.scales.worker import ScaleSpec
from drivers.scanners.worker import ScannerSpec
from station.cli.state import state
from station.devices import build_bench, load_devices
from station.errors import StationError

devices_app = typer.Typer(
    help="Configured scales, scanners and cameras: state, readings, identification.",
    no_args_is_help=False,
    invoke_without_command=True,
)


def register(app: typer.Typer) -> None:
    app.add_typer(devices_app, name="devices")


@devices_app.callback()
def devices(
    ctx: typer.Context,
    wait: float = typer.Option(2.0, help="Seconds to watch the devices before reporting."),
    as_json: bool = typer.Option(False, "--json", help="One JSON object per device."),
) -> None:
    """List the configured devices with their state, last reading and reconnect count."""
    if ctx.invoked_subcommand is not None:
        return
    file = state(ctx).settings().devices.file
    entries = load_devices(file)
    if not entries:
        typer.echo(f"no devices configured in {file} (example: config/devices.example.toml)")
        return
    bench = build_bench(entries)
    with bench:
        time.sleep(wait)
        states = {s.device: s for s in bench.states()}
        last = dict(bench.last)
    for entry in entries:
        s, reading = states[entry.name], last.get(entry.name)
        if as_json:
            record = {"name": entry.name, "role": entry.role, "protocol": entry.protocol,
                      "path": entry.path, **_state_fields(s), "last": _last(reading)}  # fmt: skip
            typer.echo(json.dumps(record))
            continue
        typer.echo(f"{entry.name}  {entry.role} {entry.protocol or ''} {entry.path}")
        typer.echo(f"    {s.state}: {s.reason}")
        typer.echo(f"    last reading: {_last_text(reading)}   reconnects: {s.reconnects}")


def _state_fields(s: DeviceState) -> dict:
    return {"state": s.state, "reason": s.reason, "reconnects": s.reconnects}


def _last(reading: Event | None) -> dict | None:
    if isinstance(reading, (WeightReading, ScanReading)):
        return reading.as_dict()
    return None


def _last_text(reading: Event | None) -> str:
    if isinstance(reading, WeightReading):
        grams = "no weight" if reading.grams is None else f"{reading.grams} g"
        return f"{grams} ({reading.status}, {'stable' if reading.stable else 'not stable'})"
    if isinstance(reading, ScanReading):
        return f"{reading.text!r} ({reading.symbology or 'no AIM id'})"
    return "none"


@devices_app.command()
def read(
    kind: str = typer.Option(..., help="scale or scanner"),
    port: str = typer.Option(..., help="Device path (/dev/serial/by-id/...) or socket://HOST:PORT"),
    protocol: str = typer.Option(
        None, help=f"Scale protocol ({', '.join(PROTOCOL_NAMES)}); scanners: serial."
    ),
    count: int = typer.Option(5, min=1, help="Stop after this many readings."),
    baud: int = typer.Option(None, help="Baud rate [default: the protocol's usual one]."),
    bytesize: int = typer.Option(None, help="Data bits (7 or 8)."),
    parity: str = typer.Option(None, help="Parity: N, E or O."),
    mode: str = typer.Option(None, help="poll or continuous [default: the protocol's]."),
    suffix: str = typer.Option("CRLF", help="Scanner suffix: CR, LF or CRLF."),
    timeout: float = typer.Option(15.0, help="Give up after this many seconds."),
    as_json: bool = typer.Option(False, "--json", help="One JSON object per reading."),
) -> None:
    """Read one device directly (no devices file needed) and print its readings."""
    spec = _spec(kind, port, protocol, baud, bytesize, parity, mode, suffix)
    from drivers.bench import Bench

    bench = Bench(
        scales=[spec] if kind == "scale" else [], scanners=[spec] if kind != "scale" else []
    )
    got: queue.Queue[Event] = queue.Queue()
    bench.listen(got.put)
    printed, last_state, deadline = 0, None, time.monotonic() + timeout
    with bench:
        while printed < count and time.monotonic() < deadline:
            try:
                event = got.get(timeout=0.1)
            except queue.Empty:
                continue
            if isinstance(event, DeviceState):
                last_state = event
                typer.echo(f"[{event.state}] {event.reason}", err=True)
            elif isinstance(event, WeightReading) and not event.raw:
                typer.echo(f"[no reply] {event.detail}", err=True)  # said, never counted
            elif isinstance(event, (WeightReading, ScanReading)):
                printed += 1
                typer.echo(json.dumps(event.as_dict()) if as_json else _last_text(event))
    if printed < count:
        why = last_state.reason if last_state else "no answer"
        raise StationError(f"{port}: {printed} of {count} readings in {timeout:g} s; {why}")


def _spec(kind, port, protocol, baud, bytesize, parity, mode, suffix):
    if kind not in ("scale", "scanner"):
        raise StationError(f"--kind {kind!r}: expected scale or scanner")
    if kind == "scanner":
        serial = SerialSettings(baud or 9600, bytesize or 8, (parity or "N").upper())
        return ScannerSpec(name="scanner", path=port, suffix=suffix.upper(), serial=serial)
    if protocol not in PROTOCOL_NAMES:
        raise StationError(f"--protocol {protocol!r}: expected one of {', '.join(PROTOCOL_NAMES)}")
    base = scale_protocol(protocol).serial
    serial = SerialSettings(
        baud or base.baudrate, bytesize or base.bytesize, (parity or base.parity).upper()
    )
    try:
        return ScaleSpec(name="scale", path=port, protocol=protocol, serial=serial, mode=mode)
    except DriverError as err:
        raise StationError(str(err)) from None


@devices_app.command("probe")
def probe_command(
    path: str = typer.Argument(..., help="The one port to probe (never all ports)."),
    protocol: list[str] = typer.Option(None, help=f"Only these ({', '.join(PROBES)})."),
    baud: int = typer.Option(None, help="Baud rate [default: each protocol's usual one]."),
) -> None:
    """Send identification commands (MT-SICS I4, SMA A, 8217 echo) to PATH and say which
    answered. Nothing else is sent; continuous and NCI/CAS/Adam scales cannot be probed."""
    if not Path(path).exists() and "://" not in path:
        raise StationError(f"{path} does not exist")
    found = False
    for result in probe(path, tuple(protocol or PROBES), baud):
        found = found or result.found
        mark = "yes" if result.found else "no "
        typer.echo(f"{mark} {result.protocol}: {result.detail}")
    if not found:
        raise StationError(f"no identification command was answered on {path}")
