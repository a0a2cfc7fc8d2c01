"""The station's pull of central's reference data (and central's overrides), by cursor.

Run by `inbound-station sync pull` (a new bench PC is ready after one run) and
now and then by the sync worker. Each page is applied in one transaction together
with the cursor after it, so an interrupted pull resumes where it stopped. Image
files are fetched before the rows that name them are committed.
"""

from __future__ import annotations

import hashlib
import logging
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, insert, text
from sqlalchemy.orm import Session

from station.clock import utcnow
from station.db.engine import Database
from station.errors import StationError
from station.evidence import EvidenceStore
from station.inspection.models import Disposition, Inspection, Lot, LotDecision, Override, Verdict
from station.matching.store import FeatureStore
from station.reference.models import BrandAuthorisation, authorisation_categories
from station.settings import Settings
from station.sync import state
from station.sync.client import CentralClient
from station.sync.models import SyncState
from station.sync.reference import BY_NAME
from station.sync.rows import row_from_dict
from vision.errors import VisionError
from vision.match.features import FORMAT_VERSION

log = logging.getLogger(__name__)

PAGE = 500


@dataclass
class PullReport:
    rows: Counter = field(default_factory=Counter)
    images: int = 0
    features: int = 0  # listing images whose match features came from central
    features_left: int = 0  # central had none to give: computed here on first use

    def summary(self) -> str:
        if not self.rows:
            return "reference data up to date (nothing changed at central)"
        counts = ", ".join(f"{n} {name}" for name, n in sorted(self.rows.items()))
        text = f"pulled {counts}; {self.images} image files fetched"
        if self.features or self.features_left:
            text += f"; match features of {self.features} listing images fetched"
        if self.features_left:
            text += f" ({self.features_left} left to compute on first use)"
        return text


def client_for(settings: Settings) -> CentralClient:
    sync = settings.sync
    return CentralClient(
        sync.central_url, sync.station_key.get_secret_value(), sync.timeout_seconds
    )


def features_for(settings: Settings) -> FeatureStore | None:
    """The station's feature store, when its benches run the visual checks."""
    matching = settings.matching
    if not matching.enabled:
        return None
    return FeatureStore(matching.feature_dir, matching.memory_mb * 1024 * 1024)


def pull_reference(
    db: Database,
    evidence: EvidenceStore,
    client: CentralClient,
    features: FeatureStore | None = None,
) -> PullReport:
    """Pull every page after the station's cursor; with `features`, also the listing
    images' match features central computed, so no bench computes them itself."""
    report = PullReport()
    with db.session() as session:
        row = session.get(SyncState, 1)
        cursor = row.pull_cursor if row else None
    while True:
        page = client.reference(cursor, PAGE)
        report.images += _fetch_images(client, evidence, page["items"])
        if features is not None:
            _fetch_features(client, features, page["items"], report)
        with db.transaction() as session:
            report.rows.update(apply_page(session, page["items"]))
            row = state.state_row(session)
            row.pull_cursor = page["next"]
            if page["done"]:
                row.pulled_at = utcnow()
        cursor = page["next"]
        if page["done"]:
            return report


def apply_page(session: Session, items: list[dict[str, Any]]) -> Counter:
    """Upsert the rows (children replaced) and apply central's overrides."""
    if session.get_bind().dialect.name == "sqlite":
        # Categories and authorisations name parents that may come later in the page.
        session.execute(text("PRAGMA defer_foreign_keys = ON"))
    counts: Counter = Counter()
    for item in items:
        table = BY_NAME[item["table"]]
        counts[table.name] += 1
        if table.model is Override:
            _apply_override(session, item["row"])
            continue
        session.merge(row_from_dict(table.model, item["row"]))
        session.flush()
        parent_id = item["row"]["id"]
        for name, model, column in table.children:
            session.execute(delete(model).where(getattr(model, column) == parent_id))
            session.add_all(row_from_dict(model, child) for child in item["children"][name])
        if table.model is BrandAuthorisation:
            _authorisation_categories(session, parent_id, item["children"]["category_ids"])
        session.flush()
    return counts


def _authorisation_categories(session: Session, authorisation_id: str, categories: list) -> None:
    column = authorisation_categories.c.authorisation_id
    session.execute(delete(authorisation_categories).where(column == authorisation_id))
    if categories:
        rows = [{"authorisation_id": authorisation_id, "category_id": c} for c in categories]
        session.execute(insert(authorisation_categories), rows)


def _apply_override(session: Session, data: dict[str, Any]) -> None:
    """Central's override of this station's verdict or lot decision (it wins)."""
    override = row_from_dict(Override, {**data, "user_id": None})
    if session.get(Override, override.id) is not None:
        return  # made here, or pulled before
    if override.inspection_id is not None:
        inspection = session.get(Inspection, override.inspection_id)
        if inspection is None:
            return
        inspection.final_verdict = Verdict(override.to_value)
    elif override.lot_id is not None:
        lot = session.get(Lot, override.lot_id)
        if lot is None:
            return
        decision, disposition = override.to_value.split("/")
        lot.decision = LotDecision(decision)
        lot.disposition = None if disposition == "-" else Disposition(disposition)
    session.add(override)


def _fetch_images(client: CentralClient, store: EvidenceStore, items: list[dict]) -> int:
    hashes = {
        child["sha256"]
        for item in items
        for name in ("logos", "images")
        for child in item["children"].get(name, [])
    }
    fetched = 0
    for sha256 in sorted(h for h in hashes if not store.has(h)):
        data = client.photo(sha256)
        if hashlib.sha256(data).hexdigest() != sha256:
            raise StationError(f"image {sha256} from central does not match its hash")
        store.put(data)
        fetched += 1
    return fetched


def _fetch_features(
    client: CentralClient, store: FeatureStore, items: list[dict], report: PullReport
) -> None:
    """A failure here costs only time later (the bench computes them on first use), so it
    never stops the pull."""
    hashes = {
        child["sha256"]
        for item in items
        if item["table"] == "listings"
        for child in item["children"].get("images", [])
    }
    for sha256 in sorted(h for h in hashes if not store.has(h)):
        try:
            layout, data = client.features(sha256)
            if layout != FORMAT_VERSION:
                raise VisionError(f"central stores format {layout}, this bench {FORMAT_VERSION}")
            store.accept(sha256, data)
            report.features += 1
        except (StationError, VisionError) as err:
            log.warning("features of listing image %s not fetched: %s", sha256, err)
            report.features_left += 1
