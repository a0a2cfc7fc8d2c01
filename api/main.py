"""The application factory: one FastAPI app per process, built from a Runtime."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from api import health, home, screens
from station import __version__
from station.runtime import Runtime
from station.settings import load_settings

STATIC = Path(__file__).resolve().parent / "static"


def create_app(runtime: Runtime) -> FastAPI:
    app = FastAPI(
        title="inbound-station",
        version=__version__,
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
    )
    app.state.runtime = runtime
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.include_router(health.router)
    app.include_router(home.router)
    screens.install(app, runtime)
    return app


def app_from_environment() -> FastAPI:
    """The factory `inbound-station serve` names: settings from config files and the
    environment, as the command line exported them."""
    return create_app(Runtime.from_settings(load_settings()))
