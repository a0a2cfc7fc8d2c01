"""The application factory: one FastAPI app per process, built from a Runtime."""

from __future__ import annotations

import logging
import threading
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from api import health, home, metrics, problem_pages, screens
from api.v1.app import create_v1
from station import __version__
from station.runtime import Runtime
from station.settings import load_settings

STATIC = Path(__file__).resolve().parent / "static"
log = logging.getLogger(__name__)


def create_app(runtime: Runtime) -> FastAPI:
    app = FastAPI(
        title="inbound-station",
        version=__version__,
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
        lifespan=_lifespan,
    )
    app.state.runtime = runtime
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.mount("/v1", create_v1(runtime), name="v1")
    app.include_router(health.router)
    app.include_router(metrics.router)
    app.include_router(home.router)
    screens.install(app, runtime)
    app.include_router(problem_pages.router)
    return app


@asynccontextmanager
async def _lifespan(app: FastAPI):
    """Webhook deliveries go out from the server process when so configured; every
    process may run the worker, they share the outbox safely."""
    runtime: Runtime = app.state.runtime
    stop = threading.Event()
    worker = None
    if runtime.settings.webhooks.run_in_server:
        from station.webhooks.delivery import DeliveryWorker

        deliverer = DeliveryWorker(runtime.db, runtime.settings.webhooks)
        worker = threading.Thread(target=deliverer.run, args=(stop,), name="webhooks", daemon=True)
        worker.start()
        log.info("webhook delivery running in this server process")
    pusher = _start_sync(runtime, stop)
    try:
        yield
    finally:
        stop.set()
        if worker is not None:
            worker.join(timeout=runtime.settings.webhooks.timeout_seconds + 5)
        if pusher is not None:
            pusher.join(timeout=runtime.settings.sync.timeout_seconds + 5)


def _start_sync(runtime: Runtime, stop: threading.Event) -> threading.Thread | None:
    """A station pushes its outbox to central from the server process (docs/sync.md)."""
    settings = runtime.settings
    if settings.role != "station" or not settings.sync.run_in_server:
        return None
    if not settings.sync.central_url:
        log.warning("station role without sync.central_url: results stay in the outbox")
        return None
    from station.sync.worker import SyncWorker

    pusher = SyncWorker(runtime.db, runtime.evidence, settings)
    thread = threading.Thread(target=pusher.run, args=(stop,), name="sync", daemon=True)
    thread.start()
    log.info("sync to %s running in this server process", settings.sync.central_url)
    return thread


def app_from_environment() -> FastAPI:
    """The factory `inbound-station serve` names: settings from config files and the
    environment, as the command line exported them."""
    return create_app(Runtime.from_settings(load_settings()))
