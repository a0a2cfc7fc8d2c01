"""Playing the operator in browser tests: the simulated devices do what hands do."""

from __future__ import annotations

import json
import random
from functools import cache

from station.sample.artwork import photograph, render_face
from station.sample.load import design_for, sample_file
from tests.e2e.conftest import live_pictures

WAIT_MS = 20_000
# Devices open their ports in their own threads; on a machine busy with other tests
# that can take a while, and it is not what these tests measure.
DEVICES_MS = 60_000


@cache
def listing(listing_id: str) -> dict:
    listings = json.loads(sample_file("listings").read_text("utf-8"))
    return next(item for item in listings if item["id"] == listing_id)


def devices_ready(page) -> None:
    for kind in ("scanner", "scale", "camera"):
        try:
            page.wait_for_selector(
                f".device[data-kind={kind}][data-state=ready]", timeout=DEVICES_MS
            )
        except Exception:
            strip = page.eval_on_selector_all(
                ".device", "els => els.map(e => [e.dataset.kind, e.dataset.state, e.innerText])"
            )
            raise AssertionError(f"{kind} not ready; device strip: {strip}") from None


def wait_step(page, step: str, status: str = "done") -> None:
    page.wait_for_selector(f'[data-step="{step}"][data-status="{status}"]', timeout=WAIT_MS)


def current_steps(page) -> list[str]:
    return page.eval_on_selector_all("[data-step]", "els => els.map(e => e.dataset.step)")


def unit_by_scanner(page, devices, listing_id: str, serial: str | None = None) -> None:
    """One unit with the scanner alone: product code, serial, scale, photos with NEXT
    cards, checklist with YES cards; the unit is lifted off the scale at the end."""
    item = listing(listing_id)
    devices.scanner.scan(item["gtins"][0], aim="]E0")
    wait_step(page, "scan")
    if serial:
        devices.scanner.scan(serial, aim="]C0")
        wait_step(page, "serial")
    devices.scale.place(item["unit_weight_g"])
    wait_step(page, "weight")
    for step in current_steps(page):
        if step.startswith("photo:"):
            face = step.split(":", 1)[1]
            design = design_for(item)
            image = render_face(design, face if face in ("front", "back") else "back")
            devices.camera.show(live_pictures(photograph(image, random.Random(len(face)))))
            page.wait_for_timeout(250)  # the camera's next frames show the new face
            devices.scanner.scan("ISCMD:NEXT")
            wait_step(page, step)
    questions = [s for s in current_steps(page) if s.startswith("question:")]
    for step in questions:
        devices.scanner.scan("ISCMD:YES")
        if step != questions[-1]:
            wait_step(page, step)
    devices.scale.remove()


def shipments() -> dict[str, list[dict]]:
    """Sample shipments by id, each as its lines (CSV rows)."""
    import csv

    found: dict[str, list[dict]] = {}
    with sample_file("shipments").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            found.setdefault(row["id"], []).append(row)
    return found


def scenario(name: str) -> set[str]:
    return set(json.loads((sample_file("listings").parent / "scenarios.json").read_text())[name])


def parcel_for(warehouse: str, first_line: set[str], serial: bool | None = None) -> tuple[str, str]:
    """(parcel label, listing of line 1) of a sample shipment to `warehouse` whose first
    line's listing is one of `first_line` (and needs a serial, or not, when asked)."""
    for lines in shipments().values():
        head = lines[0]
        label = head["tracking_number"] or head["s10_id"]
        if head["warehouse_id"] != warehouse or not label or head["listing_id"] not in first_line:
            continue
        if (
            serial is not None
            and bool(listing(head["listing_id"]).get("requires_serial")) != serial
        ):
            continue
        return label, head["listing_id"]
    raise LookupError(f"no sample shipment to {warehouse} starting with {sorted(first_line)}")
