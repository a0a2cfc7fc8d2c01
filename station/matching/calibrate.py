"""Calibrate the listing-match limits on labelled (listing image, photo) pairs.

Input: a pairs CSV with columns catalog, photo, label (1 same product, 0 not),
kind (pos, easy, or hard_*: a sibling of the same brand), catalog_class,
photo_class; paths relative to the CSV's folder (the format of
shared/tools/match_eval.py).

* match: the lowest score that keeps false accepts at or below `false_accept`
  over all negative pairs;
* mismatch: the score below which at most `false_reject` of the positive
  pairs fall (capped at `match`);
* margin: how far a sibling substitute's photo may lead its true product on
  the wrong listing. For each hard negative (listing A, photo of B) the lead is
  score(A) - score(B's own image); the margin is that lead's 1 - false_accept
  quantile, so a substitute rarely beats its own listing by more.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import cv2
import numpy as np

from station.errors import StationError
from vision.match import Features, compare, photo_features, reference_features


class CalibrationError(StationError):
    """The pairs file cannot be used for calibration."""


@dataclass(frozen=True)
class Calibration:
    match: float
    mismatch: float
    margin: float
    pairs: int
    positives: int
    false_accept: float  # measured at `match`
    true_accept: float  # measured at `match`
    below_mismatch: float  # share of positives under `mismatch`

    def toml(self, source: str) -> str:
        return (
            "[listing]\n"
            f"match = {self.match:.4f}\n"
            f"mismatch = {self.mismatch:.4f}\n"
            f"margin = {self.margin:.4f}\n"
            f'calibrated_on = "{date.today().isoformat()}"\n'
            f'calibrated_from = "{source}"\n'
            f"pairs = {self.pairs}\n"
            f"true_accept_at_match = {self.true_accept:.4f}\n"
            f"false_accept_at_match = {self.false_accept:.4f}\n"
            f"positives_below_mismatch = {self.below_mismatch:.4f}\n"
        )


def calibrate(pairs_csv: Path, false_accept=0.01, false_reject=0.05, progress=None) -> Calibration:
    rows = _read(pairs_csv)
    images = _Images(pairs_csv.parent)
    scores = np.array([images.score(r["catalog"], r["photo"]) for r in _each(rows, progress)])
    labels = np.array([int(r["label"]) for r in rows])
    negatives, positives = np.sort(scores[labels == 0])[::-1], scores[labels == 1]
    if len(negatives) == 0 or len(positives) == 0:
        raise CalibrationError(f"{pairs_csv} needs both positive and negative pairs")
    allowed = int(np.floor(false_accept * len(negatives)))
    match = float(np.nextafter(negatives[allowed], np.inf)) if allowed < len(negatives) else 0.0
    mismatch = min(match, float(np.quantile(positives, false_reject)))
    leads = _substitute_leads(rows, scores, images)
    margin = max(0.0, float(np.quantile(leads, 1 - false_accept))) if leads else 0.0
    return Calibration(
        match=match,
        mismatch=mismatch,
        margin=margin,
        pairs=len(rows),
        positives=len(positives),
        false_accept=float((negatives >= match).mean()),
        true_accept=float((positives >= match).mean()),
        below_mismatch=float((positives < mismatch).mean()),
    )


def write_listing_limits(target: Path, calibration: Calibration, source: str) -> None:
    """Replace the [listing] section of the limits file, keeping the rest as it is."""
    text = target.read_text("utf-8") if target.exists() else ""
    lines, skipping, out = text.splitlines(), False, []
    for line in lines:
        if line.strip().startswith("["):
            skipping = line.strip() == "[listing]"
            if skipping:
                out.append(calibration.toml(source).rstrip("\n"))
                continue
        if not skipping or not line.strip() or line.lstrip().startswith("#"):
            out.append(line)  # comments belong to the file (and to the next section)
    if "[listing]" not in text:
        out += ["", calibration.toml(source).rstrip("\n")]
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(".tmp")
    tmp.write_text("\n".join(out) + "\n", "utf-8")
    tmp.replace(target)


def _read(pairs_csv: Path) -> list[dict]:
    try:
        with pairs_csv.open(newline="", encoding="utf-8") as fh:
            rows = list(csv.DictReader(fh))
    except FileNotFoundError:
        raise CalibrationError(f"pairs file {pairs_csv} does not exist") from None
    need = {"catalog", "photo", "label", "kind", "catalog_class", "photo_class"}
    if not rows or not need <= set(rows[0]):
        raise CalibrationError(f"{pairs_csv} needs the columns {', '.join(sorted(need))}")
    for n, row in enumerate(rows, start=2):
        if row["label"] not in ("0", "1"):
            raise CalibrationError(f"{pairs_csv} line {n}: label must be 0 or 1")
    return rows


def _each(rows, progress):
    for n, row in enumerate(rows, start=1):
        if progress and n % 100 == 0:
            progress(n, len(rows))
        yield row


def _substitute_leads(rows, scores, images) -> list[float]:
    """score(listing A) - score(B's own image) for photos of sibling B shown as A."""
    own_image = {r["catalog_class"]: r["catalog"] for r in rows if r["label"] == "1"}
    leads = []
    for row, score in zip(rows, scores, strict=True):
        if row["kind"].startswith("hard") and row["photo_class"] in own_image:
            own = images.score(own_image[row["photo_class"]], row["photo"])
            leads.append(float(score) - own)
    return leads


class _Images:
    """Images and their features, each computed once for the whole calibration."""

    def __init__(self, base: Path) -> None:
        self.base = base
        self.references: dict[str, Features] = {}
        self.photos: dict[str, Features] = {}
        self.scores: dict[tuple[str, str], float] = {}

    def score(self, catalog: str, photo: str) -> float:
        key = (catalog, photo)
        if key not in self.scores:
            if catalog not in self.references:
                self.references[catalog] = reference_features(self._load(catalog))
            if photo not in self.photos:
                self.photos[photo] = photo_features(self._load(photo))
            self.scores[key] = compare(self.references[catalog], self.photos[photo]).score
        return self.scores[key]

    def _load(self, rel: str) -> np.ndarray:
        image = cv2.imread(str(self.base / rel), cv2.IMREAD_COLOR)
        if image is None:
            raise CalibrationError(f"cannot read image {self.base / rel}")
        return image
