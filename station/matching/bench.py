"""The station's visual checks as the bench workflow uses them.

    shell = BenchShell(..., vision=vision_for(runtime))

Every bench of a process shares one VisualChecks (per feature folder, limits file
and evidence store): its feature store holds reference features within one memory
bound, so two benches must not each keep their own. `matching.enabled = false`
gives the workflow no vision at all (no quality gate, "listing match not installed").
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections import OrderedDict
from concurrent.futures import Future, ThreadPoolExecutor

from sqlalchemy.orm import Session

from station.db.engine import Database
from station.inspection.models import Inspection
from station.matching.checks import VisualChecks
from station.reference.models import Listing
from station.workflow.evaluation import Vision

log = logging.getLogger(__name__)

_shared: dict[tuple, VisualChecks] = {}
_lock = threading.Lock()


def visual_checks(runtime) -> VisualChecks:
    """This process's VisualChecks for the runtime's settings (built on first use)."""
    settings = runtime.settings.matching
    key = (
        str(settings.feature_dir),
        settings.memory_mb,
        settings.thresholds,
        str(runtime.evidence.root),
    )
    with _lock:
        checks = _shared.get(key)
        if checks is None:
            checks = _shared[key] = VisualChecks.from_runtime(runtime)
        return checks


def vision_for(runtime) -> Vision:
    """What a BenchShell of this process runs: quality gate, listing match, brand mark."""
    if not runtime.settings.matching.enabled:
        return Vision()
    checks = visual_checks(runtime)
    early = _early_checks(checks, runtime.db)
    return Vision(
        match=early.match,
        brand_mark=early.brand_mark,
        photo_quality=checks.photo_verdict,
        prefetch=early.prefetch,
    )


_early: dict[tuple[int, str], EarlyChecks] = {}


def _early_checks(checks: VisualChecks, db: Database) -> EarlyChecks:
    key = (id(checks), str(db.engine.url))
    with _lock:
        early = _early.get(key)
        if early is None:
            early = _early[key] = EarlyChecks(checks, db)
        return early


# A unit's photos, as the memo's key: (face, sha256) in the order taken.
PhotoKey = tuple[tuple[str, str], ...]


class EarlyChecks:
    """Listing match and brand mark of a unit's photos, started in the background as
    soon as they are taken and kept until the verdict asks (a few units' worth).
    One worker thread: image work is CPU-bound and the bench PC has few cores; it also
    keeps the feature store to one user at a time."""

    KEEP = 32

    def __init__(self, checks: VisualChecks, db: Database) -> None:
        self.checks, self.db = checks, db
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="visual-checks")
        self._work = threading.Lock()
        self._memo: OrderedDict[PhotoKey, Future] = OrderedDict()
        self._memo_lock = threading.Lock()

    def prefetch(self, inspection_id: uuid.UUID, photos: dict[str, str]) -> Future:
        key = tuple(photos.items())
        with self._memo_lock:
            found = self._memo.get(key)
            if found is None:
                found = self._memo[key] = self._pool.submit(self._both, inspection_id, photos)
                while len(self._memo) > self.KEEP:
                    self._memo.popitem(last=False)
            return found

    def match(self, session: Session, listing_id: str, brand_id: str, photos: dict[str, str]):
        early = self._ready(listing_id, photos)
        if early is not None:
            return early[1]
        with self._work:
            return self.checks.match_evidence(session, listing_id, brand_id, photos)

    def brand_mark(self, session: Session, listing_id: str, brand_id: str, photos: dict[str, str]):
        early = self._ready(listing_id, photos)
        if early is not None:
            return early[2]
        with self._work:
            return self.checks.brand_mark_evidence(session, listing_id, brand_id, photos)

    def _both(self, inspection_id: uuid.UUID, photos: dict[str, str]) -> tuple:
        with self.db.session() as session, self._work:
            inspection = session.get(Inspection, inspection_id)
            listing = session.get(Listing, inspection.listing_id) if inspection else None
            if listing is None:
                return (None, None, None)
            match = self.checks.match_evidence(session, listing.id, listing.brand_id, photos)
            mark = self.checks.brand_mark_evidence(session, listing.id, listing.brand_id, photos)
            return (listing.id, match, mark)

    def _ready(self, listing_id: str, photos: dict[str, str]) -> tuple | None:
        """The early result for exactly these photos of this listing, waiting for it
        if it is under way; None when there is none (it is then computed in place)."""
        with self._memo_lock:
            found = self._memo.get(tuple(photos.items()))
        if found is None:
            return None
        try:
            result = found.result()
        except Exception:  # computed again in place, where errors are handled
            log.warning("early visual checks failed; checking again", exc_info=True)
            return None
        return result if result[0] == listing_id else None
