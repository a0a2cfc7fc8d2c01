"""The station's pusher against central's real API (in-process): offline, back online,
replay; every record arrives once and the status says what happened."""

from __future__ import annotations

import random
import threading
import uuid

import pytest
from sqlalchemy import func, select, update

from station.inspection.models import ResultEvent
from station.sync.client import CentralClient, CentralUnavailable
from station.sync.models import OutboxRecord
from station.sync.status import sync_status
from station.sync.worker import SyncWorker, backoff
from tests.station.sync.conftest import station_settings


def _event_ids(db) -> set[uuid.UUID]:
    with db.session() as session:
        return set(session.scalars(select(ResultEvent.id)))


def test_offline_then_back_then_replayed_every_record_arrives_once(station, central, tmp_path):
    runtime, client, token = central
    settings = station_settings(tmp_path)
    before = _event_ids(runtime.db)
    down = CentralClient("http://127.0.0.1:9", token, timeout=2)  # nothing listens there
    with pytest.raises(CentralUnavailable):
        SyncWorker(station.db, station.evidence, settings, client=down).run(
            threading.Event(), once=True
        )
    offline = sync_status(station.db, settings)
    assert offline.offline_since is not None and offline.outbox_depth > 20
    assert "offline since" in offline.summary()

    up = CentralClient("", token, timeout=30, http=client)
    SyncWorker(station.db, station.evidence, settings, client=up).run(threading.Event(), once=True)
    online = sync_status(station.db, settings)
    assert (online.outbox_depth, online.offline_since, online.lag_seconds) == (0, None, 0.0)
    arrived = _event_ids(runtime.db) - before
    assert arrived == _event_ids(station.db)
    assert all(runtime.evidence.has(h) for r in station.wire() for h in r["photos"])

    with station.db.transaction() as session:  # as if every "stored" answer had been lost
        session.execute(update(OutboxRecord).values(sent_at=None))
    SyncWorker(station.db, station.evidence, settings, client=up).run(threading.Event(), once=True)
    with runtime.db.session() as session:
        assert session.scalar(select(func.count()).select_from(ResultEvent)) == len(
            before | arrived
        )


def test_a_photo_cut_off_mid_upload_resumes_where_central_stands(station, central, tmp_path):
    runtime, client, token = central
    settings = station_settings(tmp_path, chunk_bytes=1024)
    sha = next(h for r in station.wire() for h in r["photos"])
    data = station.evidence.read(sha)
    auth = {"Authorization": f"Bearer {token}"}
    piece = {**auth, "Content-Type": "application/octet-stream",
             "Content-Range": f"bytes 0-1023/{len(data)}"}  # fmt: skip
    assert client.put(f"/sync/photos/{sha}", content=data[:1024], headers=piece).status_code == 200
    # The link broke there. One question for the batch tells what is missing and how far
    # each unfinished upload got: no question per photo.
    answer = client.post("/sync/photos/missing", json={"hashes": [sha]}, headers=auth).json()
    assert answer == {"missing": [sha], "partial": {sha: 1024}}

    seen: list[tuple[str, str]] = []
    up = CentralClient("", token, timeout=30, http=client)
    client.event_hooks["request"] = [lambda r: seen.append((r.method, r.url.path))]
    try:
        SyncWorker(station.db, station.evidence, settings, client=up).run(
            threading.Event(), once=True
        )
    finally:
        client.event_hooks["request"] = []
    assert runtime.evidence.read(sha) == data
    mine = [(method, path) for method, path in seen if sha in path]
    assert not [m for m in mine if m[0] == "GET"], "asked for each photo's upload state"
    pieces = -(-len(data) // 1024)
    assert len(mine) == pieces - 1, "a piece central already had was sent again"


def test_a_key_of_another_station_is_refused(station, central, tmp_path):
    runtime, client, token = central
    answer = client.post(
        "/sync/batches",
        json={"station_id": "HZ1-B02", "records": []},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert answer.status_code == 403 and "HZ1-B01" in answer.json()["detail"]


def test_back_off_grows_to_its_cap_with_jitter(tmp_path):
    sync = station_settings(tmp_path, first_retry_seconds=1.0).sync
    rng = random.Random(5)
    waits = [backoff(n, sync, rng) for n in range(1, 12)]
    assert 0.5 <= waits[0] <= 1.0 and 1.0 <= waits[1] <= 2.0
    assert all(sync.max_retry_seconds / 2 <= w <= sync.max_retry_seconds for w in waits[8:])
