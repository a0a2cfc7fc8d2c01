"""GET /v1/feed: every event in order; a reader keeping only its cursor never
skips or repeats one, even with writers racing it on PostgreSQL."""

from __future__ import annotations

import random
import threading
import time
import uuid

import pytest

from station.inspection.events import EventKind, publish


def read_all(api, headers, after: str | None = None, limit: int = 4):
    """Follow the feed to its current end; returns (events, last cursor)."""
    events = []
    while True:
        url = f"/v1/feed?limit={limit}" + (f"&after={after}" if after else "")
        page = api.client.get(url, headers=headers)
        assert page.status_code == 200, page.text
        body = page.json()
        events += body["items"]
        assert body["next"]  # always given, even at the end: the client stores it
        if not body["items"]:
            return events, body["next"]
        after = body["next"]


def test_feed_in_order_and_resumable(results, world):
    api = world
    reader = api.auth("results:read")
    events, cursor = read_all(api, reader)
    assert len(events) == 11  # ten inspections, one lot decision
    assert events[-1]["kind"] == "lot.decided"
    kinds = [e["kind"] for e in events[:-1]]
    assert kinds == ["inspection.completed"] * 10
    assert [e["subject_id"] for e in events[:-1]][:2] == [
        str(results.inspections["WH1"][0]),
        str(results.inspections["WH2"][0]),
    ]
    with api.db.transaction() as session:
        publish(
            session,
            kind=EventKind.INSPECTION_OVERRIDDEN,
            subject_id=uuid.uuid4(),
            payload={"to": "pass"},
            warehouse_id="WH2",
        )
    more, _ = read_all(api, reader, after=cursor)
    assert [e["kind"] for e in more] == ["inspection.overridden"]
    middle = events[4]["cursor"]
    resumed, _ = read_all(api, reader, after=middle)
    assert [e["id"] for e in resumed] == [e["id"] for e in events[5:] + more]


def test_feed_shows_only_the_keys_warehouses(results, world):
    api = world
    events, _ = read_all(api, api.auth("results:read", warehouses=["WH2"]))
    assert len(events) == 5 and {e["warehouse_id"] for e in events} == {"WH2"}


def test_feed_refuses_a_foreign_cursor(world):
    api = world
    response = api.client.get("/v1/feed?after=eyJrIjpbMV19", headers=api.auth("results:read"))
    assert response.status_code == 400 and response.json()["type"] == "/problems/invalid-cursor"


def test_a_waiting_writer_cannot_overtake_an_open_one(world):
    """Writer A holds position n open; writer B must wait, so a reader can never
    see n+1 without n."""
    api = world
    reader = api.auth("results:read")
    _, start = read_all(api, reader)
    a = api.db.write_session()
    a_event = publish(a, kind=EventKind.INSPECTION_COMPLETED, subject_id=uuid.uuid4(), payload={})
    b_done = threading.Event()

    def writer_b():
        with api.db.transaction() as session:
            publish(
                session, kind=EventKind.INSPECTION_COMPLETED, subject_id=uuid.uuid4(), payload={}
            )
        b_done.set()

    thread = threading.Thread(target=writer_b)
    thread.start()
    try:
        assert not b_done.wait(0.5)  # B is held back while A is open
        assert read_all(api, reader, after=start)[0] == []
        a.commit()
    finally:
        a.close()
    thread.join(10)
    assert b_done.is_set()
    seen, _ = read_all(api, reader, after=start)
    assert [e["id"] for e in seen][0] == str(a_event.id) and len(seen) == 2


@pytest.mark.parametrize("backend", [pytest.param("postgres", marks=pytest.mark.postgres)])
def test_no_gap_no_duplicate_under_concurrent_writers(world):
    """Four writers publish 200 events, pausing randomly between publish and
    COMMIT, while a reader follows the feed with its cursor alone."""
    api = world
    reader = api.auth("results:read")
    writers, per_writer = 4, 50
    committed: list[str] = []
    lock = threading.Lock()

    def writer(seed: int) -> None:
        rng = random.Random(seed)
        for _ in range(per_writer):
            with api.db.transaction() as session:
                event = publish(
                    session,
                    kind=EventKind.INSPECTION_COMPLETED,
                    subject_id=uuid.uuid4(),
                    payload={"seed": seed},
                )
                time.sleep(rng.random() * 0.004)  # commit late, after others queued up
            with lock:
                committed.append(str(event.id))

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(writers)]
    for thread in threads:
        thread.start()
    seen: list[dict] = []
    cursor = None
    deadline = time.monotonic() + 60
    while len(seen) < writers * per_writer and time.monotonic() < deadline:
        url = "/v1/feed?limit=7" + (f"&after={cursor}" if cursor else "")
        body = api.client.get(url, headers=reader).json()
        seen += body["items"]
        cursor = body["next"]
    for thread in threads:
        thread.join()
    ids = [e["id"] for e in seen]
    assert len(ids) == len(set(ids)), "an event was read twice"
    assert sorted(ids) == sorted(committed), "an event was skipped"
    positions = [e["cursor"] for e in seen]
    assert len(positions) == writers * per_writer
