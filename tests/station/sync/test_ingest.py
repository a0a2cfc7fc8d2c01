"""Central's ingest: each station record stored once, in order; a replay changes nothing."""

from __future__ import annotations

import hashlib
import uuid

import pytest
from sqlalchemy import func, select

from station.evidence import EvidenceStore
from station.inspection.events import EventKind, publish
from station.inspection.models import Inspection, PhotoEvidence, ResultEvent
from station.review.service import decide_unit
from station.sync.ingest import ingest_batch
from station.sync.models import OutboxRecord
from station.sync.photos import PhotoReceiver, UploadRefused
from station.webhooks.models import WebhookDelivery
from station.webhooks.subscriptions import create_subscription


def _count(db, model) -> int:
    with db.session() as session:
        return session.scalar(select(func.count()).select_from(model))


def _upload_all(station, central_evidence: EvidenceStore) -> None:
    receiver = PhotoReceiver(central_evidence)
    for record in station.wire():
        for sha in record["photos"]:
            data = station.evidence.read(sha)
            receiver.receive(sha, 0, len(data), data)


def _ingest(central, records, evidence):
    with central.transaction() as session:
        return ingest_batch(session, "HZ1-B01", records, evidence)


def test_every_station_event_has_its_outbox_row_and_a_rollback_leaves_none(station):
    assert _count(station.db, OutboxRecord) == _count(station.db, ResultEvent) > 20
    before = _count(station.db, OutboxRecord)
    with pytest.raises(RuntimeError), station.db.transaction() as session:
        publish(session, kind=EventKind.LOT_DECIDED, subject_id=uuid.uuid4(), payload={})
        raise RuntimeError("the bench failed before COMMIT")
    assert _count(station.db, OutboxRecord) == before


def test_records_are_stored_once_and_a_replay_changes_nothing(station, sample, tmp_path):
    central_evidence = EvidenceStore(tmp_path / "central-evidence")
    _upload_all(station, central_evidence)
    records = station.wire()
    with sample.transaction() as session:
        create_subscription(session, url="http://127.0.0.1:9/hook", allow_private=True,
                            event_types=["inspection.completed", "lot.decided"])  # fmt: skip
    first = _ingest(sample, records, central_evidence)
    assert [a.status for a in first] == ["stored"] * len(records)
    with sample.session() as session:
        ids = set(session.scalars(select(ResultEvent.id)))
        assert {uuid.UUID(r["record_id"]) for r in records} <= ids
        photos = session.scalar(select(func.count()).select_from(PhotoEvidence))
    assert photos == sum(len(r["photos"]) for r in records)
    events, inspections = _count(sample, ResultEvent), _count(sample, Inspection)

    again = _ingest(sample, records, central_evidence)  # e.g. the answer was lost on the way
    assert [a.status for a in again] == ["duplicate"] * len(records)
    assert [a.position for a in again] == [a.position for a in first]
    assert (_count(sample, ResultEvent), _count(sample, Inspection)) == (events, inspections)
    assert _count(sample, WebhookDelivery) == len(records)  # one webhook per event, once


def test_a_record_whose_photos_are_missing_is_refused_and_stops_the_batch(
    station, sample, tmp_path
):
    records = [r for r in station.wire() if r["photos"]][:3]
    answers = _ingest(sample, records, EvidenceStore(tmp_path / "empty"))
    assert len(answers) == 1 and answers[0].status == "refused"
    assert "photos not uploaded" in answers[0].error
    assert _count(sample, PhotoEvidence) == 0


def test_a_central_override_is_kept_when_the_station_sends_its_own_later(station, sample, tmp_path):
    """Conflict rule: central owns overrides; a station's later change does not undo one."""
    central_evidence = EvidenceStore(tmp_path / "central-evidence")
    _upload_all(station, central_evidence)
    records = station.wire()
    completed = next(r for r in records if r["body"]["event"]["kind"] == "inspection.completed"
                     and r["body"]["inspection"]["final_verdict"] == "pass")  # fmt: skip
    _ingest(sample, [completed], central_evidence)
    inspection_id = uuid.UUID(completed["body"]["inspection"]["id"])
    with sample.transaction() as session:
        decide_unit(session, inspection_id, verdict="fail", reason="seal broken", actor="hq")
    with station.db.transaction() as session:  # the bench's own supervisor, offline meanwhile
        decide_unit(session, inspection_id, verdict="fail", reason="dented", actor="floor")
    with station.db.transaction() as session:
        decide_unit(
            session, inspection_id, verdict="pass", reason="dent is cosmetic", actor="floor"
        )
    later = [r for r in station.wire() if r["body"]["event"]["kind"] == "inspection.overridden"]
    assert [a.status for a in _ingest(sample, later, central_evidence)] == ["stored"] * 2
    with sample.session() as session:
        assert session.get(Inspection, inspection_id).final_verdict.value == "fail"


def test_a_photo_upload_resumes_where_it_stopped_and_its_hash_is_checked(tmp_path):
    receiver = PhotoReceiver(EvidenceStore(tmp_path / "evidence"))
    data = bytes(range(256)) * 1000
    sha = hashlib.sha256(data).hexdigest()
    assert receiver.receive(sha, 0, len(data), data[:100_000]) == 100_000
    assert receiver.offset(sha) == 100_000  # the link broke here; the station asks
    with pytest.raises(UploadRefused) as refused:
        receiver.receive(sha, 0, len(data), data[:10])
    assert refused.value.offset == 100_000
    assert receiver.receive(sha, 100_000, len(data), data[100_000:]) == len(data)
    assert receiver.has(sha) and receiver.store.read(sha) == data

    wrong = hashlib.sha256(b"other").hexdigest()
    with pytest.raises(UploadRefused, match="hash"):
        receiver.receive(wrong, 0, 5, b"bytes")
    assert not receiver.has(wrong) and receiver.offset(wrong) == 0


def test_rows_central_stored_long_ago_are_pruned_and_pending_ones_kept(station, clock):
    from datetime import timedelta

    from station.sync import outbox

    with station.db.transaction() as session:
        rows = outbox.pending(session, 1000)
        outbox.mark_sent(session, [r.seq for r in rows[:-3]])
    clock.advance(15 * 86400)
    with station.db.transaction() as session:
        assert outbox.prune(session, timedelta(days=14)) == len(rows) - 3
    with station.db.session() as session:
        assert outbox.depth(session)[0] == 3 == _count(station.db, OutboxRecord)
