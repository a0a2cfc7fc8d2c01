import time
from datetime import UTC, datetime

import pytest

from station.clock import FixedClock, get_clock, set_clock, utcnow
from station.ids import uuid7, uuid7_time_ms


def test_uuid7_layout_time_and_order():
    before = time.time_ns() // 1_000_000
    ids = [uuid7() for _ in range(5000)]
    after = time.time_ns() // 1_000_000
    assert all(i.version == 7 and i.variant == "specified in RFC 4122" for i in ids)
    assert ids == sorted(ids), "ids made one after another must sort in creation order"
    assert len(set(ids)) == len(ids)
    assert before <= uuid7_time_ms(ids[0]) <= uuid7_time_ms(ids[-1]) <= after + 1


def test_uuid7_time_of_other_versions_is_refused():
    import uuid

    with pytest.raises(ValueError, match="not a UUIDv7"):
        uuid7_time_ms(uuid.uuid4())


def test_clock_is_replaceable_and_aware():
    fixed = FixedClock(datetime(2026, 5, 1, 8, 0, tzinfo=UTC))
    previous = set_clock(fixed)
    try:
        assert utcnow() == datetime(2026, 5, 1, 8, 0, tzinfo=UTC)
        fixed.advance(90)
        assert utcnow().minute == 1 and get_clock().monotonic() == 90
    finally:
        set_clock(previous)
    assert utcnow().tzinfo is not None


def test_fixed_clock_refuses_naive_start():
    with pytest.raises(ValueError):
        FixedClock(datetime(2026, 1, 1))
