"""Script files for `inbound-station inspect --script FILE`: one JSON event per line.

Blank lines and lines starting with # are skipped. A photo event may name an image
file ("file", relative to the script) or ask for a rendered sample photo
("render": {"listing": "L001", "face": "front"}) instead of giving its sha256.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

import cv2
import numpy as np
from pydantic import ValidationError

from station.errors import StationError
from station.evidence import EvidenceStore
from station.sample.artwork import photograph, render_face
from station.sample.load import design_for, sample_file
from station.workflow.events import EXTERNAL_TYPES, Event, event_adapter


class ScriptError(StationError):
    """A script line that is not a valid event; says which line and why."""


def read_script(path: Path, evidence: EvidenceStore) -> list[Event]:
    try:
        lines = path.read_text("utf-8").splitlines()
    except OSError as err:
        raise ScriptError(f"cannot read script {path}: {err.strerror}") from None
    events = []
    for number, line in enumerate(lines, start=1):
        text = line.strip()
        if not text or text.startswith("#"):
            continue
        where = f"{path}, line {number}"
        events.append(_event(text, where, path.parent, evidence))
    return events


def _event(text: str, where: str, base: Path, evidence: EvidenceStore) -> Event:
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as err:
        raise ScriptError(f"{where}: not JSON ({err.msg} at column {err.colno})") from None
    if not isinstance(raw, dict) or raw.get("type") not in EXTERNAL_TYPES:
        kinds = ", ".join(sorted(EXTERNAL_TYPES))
        raise ScriptError(f'{where}: needs a "type", one of {kinds}')
    if raw["type"] == "photo" and ("file" in raw or "render" in raw):
        raw = _stored_photo(raw, where, base, evidence)
    try:
        return event_adapter.validate_python(raw)
    except ValidationError as err:
        problems = "; ".join(
            f"{'.'.join(map(str, e['loc'][1:])) or 'event'}: {e['msg']}"
            for e in err.errors(include_url=False)
        )
        raise ScriptError(f"{where}: {problems}") from None


def _stored_photo(raw: dict, where: str, base: Path, evidence: EvidenceStore) -> dict:
    raw = dict(raw)
    if "file" in raw:
        path = base / raw.pop("file")
        try:
            data = path.read_bytes()
        except OSError as err:
            raise ScriptError(f"{where}: photo file {path}: {err.strerror}") from None
        image = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR)
        if image is None:
            raise ScriptError(f"{where}: {path} is not an image OpenCV can read")
    else:
        spec = raw.pop("render")
        image = _render(spec, where)
        ok, encoded = cv2.imencode(".jpg", image)
        data = encoded.tobytes()
        raw.setdefault("media_type", "image/jpeg")
    raw.update(
        sha256=evidence.put(data).sha256, width=int(image.shape[1]), height=int(image.shape[0])
    )
    return raw


def _render(spec: dict, where: str) -> np.ndarray:
    listings = {x["id"]: x for x in json.loads(sample_file("listings").read_text("utf-8"))}
    listing = listings.get(spec.get("listing", "")) if isinstance(spec, dict) else None
    if listing is None:
        raise ScriptError(f'{where}: render needs a sample listing id, e.g. {{"listing": "L001"}}')
    face = spec.get("face", "front")
    drawn = face if face in ("front", "back") else "back"
    seed = spec.get("seed", 0)
    return photograph(render_face(design_for(listing), drawn), random.Random(seed), (640, 480))
