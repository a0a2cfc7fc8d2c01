import uuid

from sqlalchemy import select

from station.inspection.events import EventKind, publish
from station.inspection.models import ResultEvent


def test_positions_follow_commit_order(db):
    subject = uuid.uuid4()
    for n in range(3):
        with db.transaction() as session:
            publish(
                session, kind=EventKind.INSPECTION_COMPLETED, subject_id=subject, payload={"n": n}
            )
    with db.session() as session:
        events = session.scalars(select(ResultEvent).order_by(ResultEvent.position)).all()
    assert [e.position for e in events] == [1, 2, 3]
    assert [e.payload["n"] for e in events] == [0, 1, 2]
    assert all(e.occurred_at.tzinfo for e in events)
