"""In the browser: time from a scan on the simulated scanner to the updated bench screen.

    .venv/bin/python bench/scan_to_screen.py [--count 1000000] [--data-dir var/bench-screen]
                                            [--scans 60]

The real server runs station HZ1-B01 with a simulated serial scanner (9600 baud, so
each code also spends its wire time), an MT-SICS scale and an MJPEG camera, on a
database with COUNT inspections (built once, as bench/dashboard_pages.py does).
Debian's Chromium shows the bench screen; a unit is opened, then codes are scanned one
after another. Each figure is from the moment the scanner simulator starts sending
the code to the moment the page has swapped in the panel of the step it caused
(both clocks are this machine's wall clock). Baseline, same run: the page fetching
its panel from the server (/bench/panel) with no scan, i.e. a browser round trip
plus one panel render.
"""

from __future__ import annotations

import argparse
import csv
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.dashboard_pages import PASSWORD, prepare
from bench.web_server import percentile, running
from drivers.sim.camera import CameraSimulator
from drivers.sim.scale import ScaleSimulator
from drivers.sim.scanner import ScannerSimulator
from station.access.users import create_user
from station.paths import config_dir
from station.runtime import Runtime
from station.settings import load_settings

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]  # fmt: skip
WATCH = """() => { window.__panels = [];
  document.addEventListener('bench:panel', e => {
    const p = document.querySelector('#bench-live .panel');
    window.__panels.push([Number(p.dataset.steps), e.detail.at]); }); }"""


def first_parcel() -> str:
    with (config_dir() / "sample" / "shipments.csv").open() as fh:
        for row in csv.DictReader(fh):
            if row["warehouse_id"] == "WH-HZ1" and (row["tracking_number"] or row["s10_id"]):
                return row["tracking_number"] or row["s10_id"]
    raise SystemExit("no sample shipment to WH-HZ1")


def operator(runtime: Runtime) -> None:
    from sqlalchemy import select

    from station.access.models import User

    with runtime.db.transaction() as session:
        if session.scalar(select(User.id).where(User.username == "bench-olga")) is None:
            create_user(session, username="bench-olga", role="operator", password=PASSWORD,
                        station_id="HZ1-B01", actor="bench")  # fmt: skip


def devices_file(folder: Path, camera_url: str) -> Path:
    path = folder / "devices.toml"
    path.write_text(
        f'[devices.scanner]\nrole = "scanner"\nprotocol = "serial"\nexpect_aim = false\n'
        f'path = "{folder / "scanner"}"\n'
        f'[devices.scale]\nrole = "scale"\nprotocol = "mt-sics"\npath = "{folder / "scale"}"\n'
        f'[devices.camera]\nrole = "camera"\npath = "{camera_url}"\n'
    )
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1_000_000)
    parser.add_argument("--data-dir", type=Path, default=Path("var/bench-screen"))
    parser.add_argument("--scans", type=int, default=60)
    args = parser.parse_args()
    prepare(args.data_dir, args.count).close()
    folder = Path(tempfile.mkdtemp(prefix="scan-to-screen-"))
    scanner = ScannerSimulator(folder / "scanner", baudrate=9600).start()
    scale = ScaleSimulator("mt-sics", folder / "scale").start()
    frames = [np.full((480, 640, 3), 120 + i, np.uint8) for i in range(3)]
    camera = CameraSimulator(frames, fps=15).start()
    settings = load_settings(data_dir=str(args.data_dir), station_id="HZ1-B01",
                             warehouse_id="WH-HZ1",
                             devices={"file": str(devices_file(folder, camera.url))})  # fmt: skip
    runtime = Runtime.from_settings(settings)
    operator(runtime)
    try:
        measure(runtime, scanner, args.scans)
    finally:
        for sim in (scanner, scale, camera):
            sim.stop()
        runtime.close()


def measure(runtime: Runtime, scanner: ScannerSimulator, scans: int) -> None:
    from playwright.sync_api import sync_playwright

    with running(runtime) as url, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=FLAGS)
        page = browser.new_page(viewport={"width": 1366, "height": 768}, base_url=url)
        page.goto("/login")
        page.fill("input[name=username]", "bench-olga")
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_selector(".device[data-kind=scanner][data-state=ready]", timeout=20000)
        page.evaluate(WATCH)
        # A shipment opened and counted, so scans land on a unit being inspected.
        scan_and_wait(page, scanner, first_parcel())
        page.fill("input[name=quantity]", "1")
        page.press("input[name=quantity]", "Enter")
        page.wait_for_selector("[data-phase=inspecting]", timeout=20000)
        latencies = [scan_and_wait(page, scanner, f"NOT-A-CODE-{i:04d}") for i in range(scans)]
        baseline = [fetch_panel(page) for _ in range(scans)]
        browser.close()
    report(latencies, baseline)


def scan_and_wait(page, scanner: ScannerSimulator, text: str) -> float:
    seen = page.evaluate("window.__panels.length ? window.__panels.at(-1)[0] : -1")
    started = time.time() * 1000
    scanner.scan(text, aim="]C0")
    page.wait_for_function(f"window.__panels.some(p => p[0] > {seen})", timeout=20000)
    shown = page.evaluate(f"window.__panels.find(p => p[0] > {seen})[1]")
    return shown - started


def fetch_panel(page) -> float:
    return page.evaluate(
        "async () => { const t = performance.now(); const r = await fetch('/bench/panel');"
        " await r.text(); return performance.now() - t; }"
    )


def report(latencies: list[float], baseline: list[float]) -> None:
    print(f"{len(latencies)} scans, 9600-baud simulated scanner, Chromium {1366}x{768}")
    print(f"{'':34} {'p50':>7} {'p95':>7} {'max':>7}  (ms)")
    for name, values in (("scan -> bench screen updated", latencies),
                         ("baseline: page fetches its panel", baseline)):  # fmt: skip
        print(f"{name:34} {statistics.median(values):7.1f} {percentile(values, 95):7.1f}"
              f" {max(values):7.1f}")  # fmt: skip
    ratio = percentile(latencies, 95) / percentile(baseline, 95)
    print(f"p95 scan-to-screen {percentile(latencies, 95):.1f} ms (goal < 200 ms), "
          f"{ratio:.1f} x the baseline p95")  # fmt: skip


if __name__ == "__main__":
    main()
