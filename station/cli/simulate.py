"""`inbound-station sim`: simulated scales, scanners and cameras (demo, tests, training)."""

from __future__ import annotations

import signal
import sys
import threading
from pathlib import Path
from typing import Any

import typer

from drivers.errors import DriverError
from drivers.scales import PROTOCOL_NAMES
from drivers.sim.scenario import ControlSocket, load_scenario, play
from station.errors import StationError

sim_app = typer.Typer(help="Simulated devices that speak the real bytes.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(sim_app, name="sim")


def _scenario(path: Path | None) -> tuple[list, bool] | None:
    """The scenario, read before anything starts so a bad file stops with a message."""
    if path is None:
        return None
    try:
        return load_scenario(path)
    except DriverError as err:
        raise StationError(str(err)) from None


def _serve(sim: Any, scenario: tuple[list, bool] | None, control: Path | None, banner: str):
    """Run until SIGINT/SIGTERM, playing the scenario and taking control orders."""
    stop = threading.Event()
    previous = {
        sig: signal.signal(sig, lambda *_: stop.set()) for sig in (signal.SIGINT, signal.SIGTERM)
    }
    socket = ControlSocket(control, sim.apply) if control else None
    typer.echo(banner)
    sys.stdout.flush()
    try:
        if scenario:
            player = threading.Thread(
                target=_play_safely, args=(sim.apply, *scenario, stop), daemon=True
            )
            player.start()
        stop.wait()
    finally:
        if socket:
            socket.close()
        sim.stop()
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _play_safely(apply, steps, repeat, stop) -> None:
    try:
        play(apply, steps, repeat, stop)
    except DriverError as err:
        typer.secho(f"scenario stopped: {err}", fg=typer.colors.RED, err=True)


@sim_app.command()
def scale(
    protocol: str = typer.Option(..., help=f"One of {', '.join(PROTOCOL_NAMES)}."),
    link: Path = typer.Option(..., help="Symlink to create, pointing at the pseudo-terminal."),
    scenario: Path | None = typer.Option(None, help="Scenario file (TOML or JSON)."),
    control: Path | None = typer.Option(None, help="Unix socket taking JSON-line orders."),
    baud: int = typer.Option(None, help="Baud rate the device uses [default: protocol's]."),
    unit: str = typer.Option(None, help="Unit the device shows (g, kg, lb)."),
    grams: float = typer.Option(0.0, help="Load on the pan at power-on."),
) -> None:
    """A scale on a pseudo-terminal: answers and streams like the real device."""
    from drivers.sim.scale import ScaleSimulator

    steps = _scenario(scenario)
    try:
        sim = ScaleSimulator(protocol, link, baudrate=baud, unit=unit).start()
    except DriverError as err:
        raise StationError(str(err)) from None
    sim.place(grams, 0.0)
    _serve(sim, steps, control, f"{protocol} scale on {link} -> {sim.link.device}")


@sim_app.command()
def scanner(
    link: Path = typer.Option(..., help="Symlink to create, pointing at the pseudo-terminal."),
    scenario: Path | None = typer.Option(None, help="Scenario file (TOML or JSON)."),
    control: Path | None = typer.Option(None, help="Unix socket taking JSON-line orders."),
    suffix: str = typer.Option("CRLF", help="CR, LF or CRLF."),
    baud: int = typer.Option(9600, help="Baud rate (paces the characters)."),
) -> None:
    """A serial scanner on a pseudo-terminal: scans with AIM ids (GS1 DataMatrix with GS)."""
    from drivers.sim.scanner import ScannerSimulator

    steps = _scenario(scenario)
    if suffix.upper() not in ("CR", "LF", "CRLF"):
        raise StationError(f"--suffix {suffix!r}: expected CR, LF or CRLF")
    sim = ScannerSimulator(link, suffix=suffix.upper(), baudrate=baud).start()
    _serve(sim, steps, control, f"scanner on {link} -> {sim.link.device}")


@sim_app.command()
def camera(
    images: Path = typer.Option(..., help="Folder of images to serve in name order."),
    port: int = typer.Option(0, help="TCP port on 127.0.0.1 (0 = any free port)."),
    fps: float = typer.Option(30.0, help="Frames per second."),
    control: Path | None = typer.Option(None, help="Unix socket taking JSON-line orders."),
) -> None:
    """A camera: MJPEG over HTTP on 127.0.0.1, read through OpenCV's network path."""
    from drivers.sim.camera import CameraSimulator

    if not images.is_dir():
        raise StationError(f"--images {images}: not a folder")
    try:
        sim = CameraSimulator(images, port=port, fps=fps).start()
    except (DriverError, OSError) as err:
        raise StationError(f"camera simulator: {err}") from None
    _serve(sim, None, control, f"camera on {sim.url}")
