"""GET /v1/feed: every verdict, override and lot decision, in order.

A client keeps only the last `next` it received and sends it as `after`. The
feed never skips an event, even one that commits late under concurrent writers
on PostgreSQL: see station/inspection/feed.py for how positions are assigned
so that they become visible strictly in order.
"""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from api.deps import SessionDep
from api.v1 import paging
from api.v1.problems import ProblemException
from api.v1.results_schemas import FeedEvent, FeedPage
from api.v1.security import ResultsReader
from api.v1.tags import Tag
from station.inspection.feed import InvalidCursor, decode_cursor, encode_cursor, read_feed

router = APIRouter(tags=[Tag.FEED])


@router.get(
    "/feed",
    name="read_feed",
    summary="Result events after a cursor, oldest first",
    response_model=FeedPage,
)
def feed(
    request: Request,
    response: Response,
    caller: ResultsReader,
    session: SessionDep,
    after: paging.After = None,
    limit: paging.Limit = paging.DEFAULT_LIMIT,
):
    try:
        position = decode_cursor(after)
    except InvalidCursor as err:
        raise ProblemException("invalid-cursor", str(err)) from None
    events = read_feed(session, after=position, limit=limit, warehouses=caller.warehouse_list)
    items = [
        FeedEvent.model_validate(
            {
                **{c.key: getattr(e, c.key) for c in e.__table__.columns},
                "cursor": encode_cursor(e.position),
            }
        )
        for e in events
    ]
    next_cursor = items[-1].cursor if items else (after or encode_cursor(0))
    if len(items) == limit:  # there may be more right now: point at the next page
        paging.link_next(request, response, next_cursor)
    return FeedPage(items=items, next=next_cursor)
