"""Browser tests: the real server (uvicorn on a free port) on a copy of the sample
site, driven by Debian's Chromium through Playwright. Every request the browser
makes is logged; anything not addressed to 127.0.0.1 is blocked and fails the test."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import uvicorn

from api.main import create_app
from tests.support.site import PASSWORD, Site, build_template, open_site

CHROMIUM = Path("/usr/bin/chromium")
# A closed network: no background fetches, no updates, no sync.
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
BENCH_SCREEN = {"width": 1366, "height": 768}


@dataclass
class LiveSite:
    site: Site
    url: str
    server: uvicorn.Server
    thread: threading.Thread


@dataclass
class RequestLog:
    seen: list[str] = field(default_factory=list)
    outside: list[str] = field(default_factory=list)


@pytest.fixture(scope="session")
def e2e_template(tmp_path_factory) -> Path:
    return build_template(tmp_path_factory.mktemp("e2e-template"), history=3000)


def serve(site: Site) -> LiveSite:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    config = uvicorn.Config(
        create_app(site.runtime), log_level="warning", timeout_graceful_shutdown=2
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.02)
    return LiveSite(site, f"http://127.0.0.1:{sock.getsockname()[1]}", server, thread)


def stop(live: LiveSite) -> None:
    live.server.should_exit = True
    live.thread.join(timeout=10)
    live.site.runtime.close()


@pytest.fixture
def live(e2e_template, tmp_path) -> Iterator[LiveSite]:
    running = serve(open_site(e2e_template, tmp_path / "site"))
    yield running
    stop(running)


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs it (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        yield chromium
        chromium.close()


@pytest.fixture
def requests_made() -> RequestLog:
    return RequestLog()


def guarded_context(browser, log: RequestLog, base_url: str, locale: str = "en-GB"):
    """A browser context whose every request is logged; outside 127.0.0.1 is blocked."""
    ctx = browser.new_context(viewport=BENCH_SCREEN, locale=locale, base_url=base_url)
    requests_made = log

    def guard(route):
        url = route.request.url
        requests_made.seen.append(url)
        host = urlsplit(url).hostname
        if url.startswith(("data:", "blob:")) or host == "127.0.0.1":
            route.continue_()
        else:
            if url not in requests_made.outside:
                requests_made.outside.append(url)
            route.abort()

    ctx.route("**/*", guard)
    ctx.on("request", lambda request: _note_unrouted(request, requests_made))
    return ctx


@pytest.fixture
def context(browser, requests_made, live) -> Iterator:
    ctx = guarded_context(browser, requests_made, live.url)
    yield ctx
    ctx.close()
    assert requests_made.outside == [], f"requests left 127.0.0.1: {requests_made.outside}"


def _note_unrouted(request, log: RequestLog) -> None:
    host = urlsplit(request.url).hostname
    web = request.url.startswith(("http:", "https:", "ws:", "wss:"))
    if web and host != "127.0.0.1" and request.url not in log.outside:
        log.outside.append(request.url)


@pytest.fixture
def page(context):
    return context.new_page()


def sign_in(page, username: str, station: str = "", password: str = PASSWORD) -> None:
    page.goto("/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    if station:
        page.select_option("select[name=station]", station)
    page.click("button[type=submit]")
    page.wait_for_load_state()


def keep_screenshot(page, name: str) -> Path:
    """A picture of the screen for people: tests/artifacts/NAME.png (git-ignored)."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path))
    return path


def live_pictures(image) -> list:
    """A scene as a camera films it: frames differ a little (a fixed picture is what a
    frozen camera sends, and the camera driver reports that as a fault)."""
    import numpy as np

    rng = np.random.default_rng(7)
    frames = []
    for _ in range(4):
        noise = rng.integers(-3, 4, image.shape, dtype=np.int16)
        frames.append(np.clip(image.astype(np.int16) + noise, 0, 255).astype(np.uint8))
    return frames


@dataclass
class BenchDevices:
    scanner: object
    scale: object
    camera: object


@pytest.fixture
def bench_live(e2e_template, tmp_path) -> Iterator[tuple[LiveSite, BenchDevices]]:
    """The real server running station HZ1-B01 with a simulated serial scanner, an
    MT-SICS scale (both on pseudo-terminals) and an MJPEG camera on loopback."""
    import numpy as np

    from drivers.sim.camera import CameraSimulator
    from drivers.sim.scale import ScaleSimulator
    from drivers.sim.scanner import ScannerSimulator

    scanner = ScannerSimulator(tmp_path / "scanner", pace=False).start()
    scale = ScaleSimulator("mt-sics", tmp_path / "scale", seed=1).start()
    camera = CameraSimulator(live_pictures(np.full((480, 640, 3), 200, np.uint8)), fps=15).start()
    devices = tmp_path / "devices.toml"
    scanner_path, scale_path = tmp_path / "scanner", tmp_path / "scale"
    devices.write_text(
        '[devices.scanner]\nrole = "scanner"\nprotocol = "serial"\nexpect_aim = false\n'
        f'path = "{scanner_path}"\n'
        '[devices.scale]\nrole = "scale"\nprotocol = "mt-sics"\npoll_interval_s = 0.05\n'
        f'path = "{scale_path}"\n'
        f'[devices.camera]\nrole = "camera"\npath = "{camera.url}"\n'
    )
    site = open_site(
        e2e_template,
        tmp_path / "site",
        station_id="HZ1-B01",
        warehouse_id="WH-HZ1",
        devices={"file": str(devices)},
    )
    running = serve(site)
    yield running, BenchDevices(scanner, scale, camera)
    stop(running)
    for sim in (scanner, scale, camera):
        sim.stop()


@pytest.fixture
def site(tmp_path, pg_template):
    """A central (PostgreSQL) and a station (SQLite) of their own, for the sync tests; no
    process started yet (tests/e2e/sync_site.py)."""
    from tests.e2e.sync_site import SyncSite, build_templates
    from tests.support import postgres

    templates = build_templates(tmp_path / "templates", pg_template)
    running = SyncSite(tmp_path / "site", templates)
    yield running
    running.close()
    postgres.drop_database(templates.central)
