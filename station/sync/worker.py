"""The station's pusher: outbox records (and their photos) to central, in order.

Each round takes the lease (one pusher at a time, whichever process), reads the
oldest pending records, uploads the photos central lacks, pushes the records and
marks those central stored (or had stored: a replay) as sent. A crash anywhere
in between only causes a re-send, which central answers as a duplicate. While
central cannot be reached, rounds back off exponentially with jitter, and the
state row says since when the station is offline.
"""

from __future__ import annotations

import logging
import os
import random
import socket
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import timedelta
from time import monotonic
from typing import Any

from station.db.engine import Database
from station.errors import StationError
from station.evidence import EvidenceStore
from station.settings import Settings, SyncSettings
from station.sync import outbox, state
from station.sync.client import CentralClient, CentralRefused
from station.sync.models import OutboxRecord
from station.sync.pull import features_for, pull_reference

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Round:
    sent: int  # records central stored or already had
    pending: bool  # more may be waiting right now


def backoff(failures: int, sync: SyncSettings, rng: random.Random) -> float:
    """Seconds to wait after the n-th failure in a row: exponential, capped, jittered."""
    ceiling = min(
        sync.max_retry_seconds, sync.first_retry_seconds * sync.backoff_factor ** (failures - 1)
    )
    return rng.uniform(ceiling / 2, ceiling)


class SyncWorker:
    def __init__(self, db: Database, evidence: EvidenceStore, settings: Settings,
                 client: CentralClient | None = None) -> None:  # fmt: skip
        if not settings.station_id:
            raise StationError("station_id is not set: central needs to know which bench this is")
        self.db, self.evidence, self.sync = db, evidence, settings.sync
        self.station_id = settings.station_id
        self.client = client or CentralClient(
            settings.sync.central_url,
            settings.sync.station_key.get_secret_value(),
            settings.sync.timeout_seconds,
        )
        self.owner = f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident()}"
        self.rng = random.Random()
        self.features = features_for(settings)
        self.last_pull: float | None = None

    def run(self, stop: threading.Event, *, once: bool = False) -> None:
        """Push until `stop` is set (or, with once, until the outbox is empty)."""
        failures = 0
        while not stop.is_set():
            try:
                result = self.push_round()
            except Exception as err:  # the pusher must outlive anything one round meets
                failures += 1
                self._failed(str(err) or type(err).__name__)
                wait = backoff(failures, self.sync, self.rng)
                if isinstance(err, StationError):
                    log.warning("sync: %s; next try in %.1f s", err, wait)
                else:
                    log.exception("sync: unexpected failure; next try in %.1f s", wait)
                if once:
                    raise
                stop.wait(wait)
                continue
            failures = 0
            if not result.pending and self._pull_due():
                self._housekeeping()
            if once and not result.pending:
                return
            if not result.pending:
                stop.wait(self.sync.poll_seconds)
        with self.db.transaction() as session:
            state.release_lease(session, self.owner)

    def push_round(self) -> Round:
        lease_seconds = self.sync.timeout_seconds * 4 + 30
        with self.db.transaction() as session:
            if not state.take_lease(session, self.owner, lease_seconds):
                return Round(0, False)  # another process pushes; look again later
            records = outbox.pending(session, self.sync.batch)
            batch = [wire(r) for r in records]
        self._upload_photos(sorted({h for r in records for h in r.photos}))
        answers = self.client.push(self.station_id, batch)
        done = [a["seq"] for a in answers if a["status"] in ("stored", "duplicate")]
        refused = [a for a in answers if a["status"] == "refused"]
        with self.db.transaction() as session:
            outbox.mark_sent(session, done)
            for answer in refused:
                outbox.mark_failed(session, answer["seq"], answer.get("error") or "refused")
            if not refused:
                state.record_success(session)
        if refused:
            raise CentralRefused(
                f"central refused record {refused[0]['seq']}: {refused[0].get('error')}"
            )
        return Round(len(done), pending=len(records) == self.sync.batch)

    def _pull_due(self) -> bool:
        if not self.sync.pull_seconds:
            return False
        return self.last_pull is None or monotonic() - self.last_pull >= self.sync.pull_seconds

    def _housekeeping(self) -> None:
        """Central's reference changes and overrides, then old outbox rows; a failure
        waits for the next time."""
        self.last_pull = monotonic()
        try:
            report = pull_reference(self.db, self.evidence, self.client, self.features)
            with self.db.transaction() as session:
                gone = outbox.prune(session, timedelta(days=self.sync.keep_sent_days))
        except StationError as err:
            log.warning("sync: reference pull failed: %s", err)
            return
        except Exception:
            log.exception("sync: reference pull or outbox clean-up failed")
            return
        if report.rows:
            log.info("sync: %s", report.summary())
        if gone:
            log.info("sync: %d outbox rows central stored long ago were deleted", gone)

    def _upload_photos(self, hashes: list[str]) -> None:
        if not hashes:
            return
        missing = self.client.missing(hashes)
        if not missing:
            return
        with ThreadPoolExecutor(self.sync.upload_parallel, "sync-upload") as pool:
            # list(): the first failure is raised here, after the others finished
            list(pool.map(self._upload_one, missing.items()))

    def _upload_one(self, photo: tuple[str, int]) -> None:
        sha256, start = photo
        self.client.upload(sha256, self.evidence.read(sha256), self.sync.chunk_bytes, start)

    def _failed(self, error: str) -> None:
        try:
            with self.db.transaction() as session:
                state.record_failure(session, error)
        except Exception:  # the state row is a nicety; never let it stop the pusher
            log.exception("sync: could not record the failure")


def wire(record: OutboxRecord) -> dict[str, Any]:
    return {
        "record_id": str(record.record_id),
        "seq": record.seq,
        "kind": record.kind,
        "photos": record.photos,
        "body": record.body,
    }
