"""The bench screen's "simulated devices" panel: what it offers at each moment (the
parcels waiting at the bench's warehouse, the items of the shipment in hand and a wrong
one, the weight the listing expects or one out of tolerance, a photo of the right or a
wrong item) and what pressing a button does: an order to the SIMULATED device, whose
bytes then reach the bench through the real drivers like any scan or weighing."""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from station.benchrun import BenchRunner
from station.clock import utcnow
from station.demo.devices import order
from station.errors import StationError
from station.identifiers import shipment_qr_payload
from station.reference.models import Listing, Shipment, ShipmentStatus
from station.workflow.operator import UnitPlan, unit_code
from station.workflow.state import BenchState

UNKNOWN_PARCEL = "SF999999999999"  # a parcel nobody announced
MAX_PARCELS = 6
CAMERA_SETTLE_S = 0.6  # the new picture reaches the bench's camera reader
ACTIONS = ("scan", "place", "remove", "photo")
WAIT_S = 10.0  # longest a button waits for the bench to take the reading
EMPTY_G = 2.0


@dataclass(frozen=True)
class Button:
    action: str  # scan, place, remove, photo
    value: str  # the code, the grams, the listing shown to the camera
    label: str  # what is on it (codes and titles are data, not words to translate)
    note: str = ""  # "expected", "out_of_tolerance", "wrong", "unknown"


@dataclass
class Offers:
    parcels: list[Button] = field(default_factory=list)
    items: list[Button] = field(default_factory=list)
    scale: list[Button] = field(default_factory=list)
    camera: list[Button] = field(default_factory=list)


def offers(session: Session, state: BenchState, warehouse_id: str | None, qr_key: str) -> Offers:
    """The buttons for the bench as it is now."""
    found = Offers(parcels=_parcels(session, warehouse_id, qr_key))
    line = state.current_line()
    if state.shipment is None or line is None:
        return found
    listing = session.get(Listing, line.listing_id)
    if listing is None:
        return found
    found.items = [_item(session, state, x) for x in state.shipment.lines if not x.done]
    other = _other_listing(session, listing)
    if other is not None:
        found.items.append(Button("scan", _plain_code(other), other.title, "wrong"))
    grams, tolerance = listing.unit_weight_mg / 1000, listing.weight_tolerance_mg / 1000
    found.scale = [
        Button("place", f"{grams:g}", f"{grams:g} g", "expected"),
        Button(
            "place",
            f"{grams + 3 * tolerance:g}",
            f"{grams + 3 * tolerance:g} g",
            "out_of_tolerance",
        ),  # fmt: skip
        Button("remove", "", "", "remove"),
    ]
    found.camera = [Button("photo", listing.id, listing.title, "right")]
    if other is not None:
        found.camera.append(Button("photo", other.id, other.title, "wrong"))
    return found


def _parcels(session: Session, warehouse_id: str | None, qr_key: str) -> list[Button]:
    query = select(Shipment).where(Shipment.status == ShipmentStatus.ANNOUNCED)
    if warehouse_id:
        query = query.where(Shipment.warehouse_id == warehouse_id)
    # The smallest lots first: they are the quickest to walk through.
    shipments = sorted(
        session.scalars(query), key=lambda x: (sum(y.quantity for y in x.lines), x.id)
    )
    buttons = []
    for shipment in shipments[:MAX_PARCELS]:
        units = sum(x.quantity for x in shipment.lines)
        label = f"{shipment.id} · {shipment.merchant_id} · {units}"
        code = shipment.tracking_number or shipment.s10_id
        if code is None:  # no carrier label: the marketplace's own QR is on the parcel
            code = shipment_qr_payload(shipment.id, qr_key) if qr_key else shipment.id
        buttons.append(Button("scan", code, label, "" if shipment.traceable else "untraceable"))
    buttons.append(Button("scan", UNKNOWN_PARCEL, UNKNOWN_PARCEL, "unknown"))
    return buttons


def _item(session: Session, state: BenchState, line) -> Button:
    """The code printed on the next unit of a line: a GS1 DataMatrix with a fresh serial
    and a good expiry date when the listing asks for them, else its GTIN."""
    listing = session.get(Listing, line.listing_id)
    gtin = _plain_code(listing) if listing is not None else line.gtins[0]
    plan = UnitPlan(
        listing={"gtins": [gtin]},
        weight_mg=0,
        serial=f"SN{uuid.uuid4().hex[:10].upper()}" if line.requires_serial else None,
        expiry=utcnow().date() + timedelta(days=730) if line.requires_expiry else None,
    )
    return Button("scan", unit_code(plan), line.title)


def _plain_code(listing: Listing) -> str:
    gtin = listing.gtins[0].gtin if listing.gtins else ""
    return gtin[1:] if len(gtin) == 14 and gtin.startswith("0") else gtin


def _other_listing(session: Session, listing: Listing) -> Listing | None:
    """Another product of the same brand (the likeliest mix-up), else any other."""
    for same_brand in (True, False):
        query = select(Listing).where(Listing.id != listing.id).order_by(Listing.id)
        if same_brand:
            query = query.where(Listing.brand_id == listing.brand_id)
        for other in session.scalars(query.limit(20)):
            mine = {g.gtin for g in listing.gtins}
            if other.gtins and not mine & {g.gtin for g in other.gtins}:
                return other
    return None


def press(data_dir: Path, runner: BenchRunner, action: str, value: str) -> None:
    """One button of the panel: an order to a simulated device (and for a photo, the
    bench's own shutter once the camera shows the item). Returns once the bench has
    taken what the device did, so the screen answers with the step after it."""
    steps = runner.state().steps
    if action == "scan":
        if not value.strip():
            raise StationError("scan: nothing to scan")
        text, aim = _with_aim(value)
        order(data_dir, "scanner", {"do": "scan", "text": text, "aim": aim})
        _wait(lambda: runner.state().steps > steps)
    elif action == "place":
        grams = _grams(value)
        if _on_scale(runner):
            order(data_dir, "scale", {"do": "remove", "settle": 0.1})
            _wait(lambda: not _on_scale(runner))  # lifted first: a new placement, as by hand
        order(data_dir, "scale", {"do": "place", "grams": grams, "settle": 0.6})
        _wait(lambda: _on_scale(runner, grams) and runner.state().steps > steps)
    elif action == "remove":
        order(data_dir, "scale", {"do": "remove", "settle": 0.3})
        _wait(lambda: not _on_scale(runner))
    elif action == "photo":
        face = runner.photo_wanted()
        order(data_dir, "camera", {"do": "show", "listing": value, "face": face or "front"})
        time.sleep(CAMERA_SETTLE_S)
        if face is not None:
            runner.take_photo(face)
    else:
        raise StationError(f"unknown simulated-device action {action!r}; known: {ACTIONS}")


def _on_scale(runner: BenchRunner, grams: float | None = None) -> bool:
    """Something (weighing `grams`, if given) lies settled on the bench's scale."""
    for weight in list(runner.weights.values()):
        if weight.get("grams") is None or not weight.get("stable"):
            continue
        if grams is None and weight["grams"] >= EMPTY_G:
            return True
        if grams is not None and abs(weight["grams"] - grams) < 0.5:
            return True
    return False


def _wait(done, timeout: float = WAIT_S) -> None:
    """Until the bench took the device's reading; a slow machine only makes it later."""
    deadline = time.monotonic() + timeout
    while not done() and time.monotonic() < deadline:
        time.sleep(0.05)


def _with_aim(text: str) -> tuple[str, str]:
    """The AIM symbology identifier a scanner would put before this code."""
    if text.startswith("]"):
        return text[3:], text[:3]
    if text.isdigit() and len(text) in (8, 12, 13):
        return text, "]E0"
    if text.startswith("ISSHP"):
        return text, "]Q1"
    return text, "]C0"


def _grams(value: str) -> float:
    try:
        grams = float(value)
    except ValueError:
        raise StationError(f"place: {value!r} is not a weight in grams") from None
    if not 0 < grams <= 6000:
        raise StationError(f"place: {grams:g} g is outside the simulated scale's 0-6000 g")
    return grams
