"""`inbound-station sample load`: render the sample artwork, then import every sample file."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import cv2

from station.db.engine import Database
from station.evidence import EvidenceStore
from station.paths import config_dir
from station.reference.importer import KINDS, ImportReport, import_file
from station.sample.artwork import ARTWORK_VERSION, PackageDesign, render_face, render_logo
from station.sample.catalogue import BAND_COLOURS, BRANDS


def sample_dir() -> Path:
    return config_dir() / "sample"


def sample_file(kind: str) -> Path:
    for suffix in (".json", ".csv"):
        path = sample_dir() / f"{kind}{suffix}"
        if path.exists():
            return path
    raise FileNotFoundError(f"no sample file for {kind} in {sample_dir()}")


def design_for(listing: dict) -> PackageDesign:
    """The package design of a sample listing, from its brand and attributes."""
    brand = next(b for b in BRANDS if b[0] == listing["brand_id"])
    attributes = listing.get("attributes", {})
    return PackageDesign(
        brand=brand[1],
        brand_colour=brand[4],
        accent_colour=brand[5],
        title=listing["title"].removeprefix(brand[1]).strip(),
        variant=attributes.get("variant", ""),
        band_colour=BAND_COLOURS.get(attributes.get("colour", ""), (90, 90, 90)),
        seed=sum(map(ord, listing["title"])),
        gtin=listing["gtins"][0],
    )


def render_images(out: Path) -> Path:
    """Render every listing face and brand logo the sample files name (once)."""
    listings = json.loads(sample_file("listings").read_text("utf-8"))
    stamp = out / ".artwork"
    # Images of an older artwork are drawn again, so references and photos agree.
    fresh = stamp.exists() and stamp.read_text().strip() == ARTWORK_VERSION
    for listing in listings:
        for image in listing["images"]:
            target = out / image["file"]
            if not (fresh and target.exists()):
                _write(target, render_face(design_for(listing), image["face"]))
    for bid, name, _owner, _classes, colour, accent, *_rest in BRANDS:
        target = out / "logos" / f"{bid}.png"
        if not (fresh and target.exists()):
            _write(target, render_logo(name, colour, accent))
    stamp.write_text(ARTWORK_VERSION + "\n")
    return out


def _write(path: Path, image) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    ok, data = cv2.imencode(".png", image)
    if not ok:
        raise RuntimeError(f"could not encode {path}")
    # A name of its own: two processes (the demo and an autopilot, test workers) may
    # draw the same image at once; each rename then puts a whole, identical file.
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}-", suffix=".tmp")
    with os.fdopen(fd, "wb") as fh:
        fh.write(data.tobytes())
    os.replace(tmp, path)


def load_sample(db: Database, store: EvidenceStore, images_dir: Path) -> list[ImportReport]:
    """Import all sample kinds in dependency order; a second run changes nothing."""
    render_images(images_dir)
    return [
        import_file(db, store, kind, sample_file(kind), images_dir=images_dir, actor="sample")
        for kind in KINDS
    ]
