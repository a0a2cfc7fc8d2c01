"""Write transactions, and POSTs made safe to retry with an Idempotency-Key.

Every write runs in one transaction that commits before the response leaves
(so a client never sees success for something not stored). A POST sent with an
Idempotency-Key goes further: the key is claimed in a short transaction first
(a second request with the key meanwhile gets 409); then the operation's writes
and its stored response commit together in one transaction, so a retry either
finds the response (replayed for `api.idempotency_hours`) or finds nothing was
done. The same key with a different method, path or body gets 422. Error
responses are not stored: the key is released, and a corrected retry may use it.
A claim whose process died lapses after CLAIM_LEASE, and a retry then runs.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Iterator
from datetime import timedelta
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.deps import get_runtime
from api.v1.problems import problem_response
from station.access.keys import authenticate
from station.access.models import IdempotentRequest
from station.clock import utcnow
from station.runtime import Runtime

log = logging.getLogger(__name__)
CLAIM_LEASE = timedelta(minutes=15)
_KEY_FORM = re.compile(r"^[\x21-\x7e]{1,255}$")  # visible ASCII, as a UUID or ULID is
HELD = "held_session"  # request state: the write session the Idempotency-Key layer commits
CLAIM = "idempotency_claim"


def write_session(
    request: Request, runtime: Annotated[Runtime, Depends(get_runtime)]
) -> Iterator[Session]:
    session = runtime.db.write_session()
    try:
        yield session
    except BaseException:
        session.rollback()
        session.close()
        raise
    if request.scope.get("state", {}).get(CLAIM) is not None:
        request.scope["state"][HELD] = session  # committed with the stored response
        return
    try:
        session.commit()
    finally:
        session.close()


WriteSession = Annotated[Session, Depends(write_session, scope="function")]


class IdempotencyKeys:
    def __init__(self, app: ASGIApp, runtime: Runtime) -> None:
        self.app, self.runtime = app, runtime
        self.retention = timedelta(hours=runtime.settings.api.idempotency_hours)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "POST":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        key = headers.get("idempotency-key")
        token = headers.get("authorization", "").removeprefix("Bearer ").strip()
        if key is None:
            await self.app(scope, receive, send)
            return
        if not _KEY_FORM.match(key):
            await _send(
                scope,
                receive,
                send,
                problem_response(
                    "malformed-request",
                    "Idempotency-Key must be 1 to 255 visible ASCII characters",
                    instance=scope["path"],
                ),
            )
            return
        with self.runtime.db.session() as session:
            api_key = authenticate(session, token)
        if api_key is None:  # the operation itself will answer 401
            await self.app(scope, receive, send)
            return
        body = scope.get("state", {}).get("body", b"")
        fingerprint = hashlib.sha256(
            b"\0".join(
                [
                    scope["method"].encode(),
                    scope["path"].encode(),
                    scope.get("query_string", b""),
                    body,
                ]
            )
        ).hexdigest()
        outcome = self._claim(api_key.id, key, fingerprint)
        if not isinstance(outcome, IdempotentRequest):
            await _send(scope, receive, send, outcome)
            return
        await self._run(scope, receive, send, outcome)

    def _claim(self, api_key_id, key: str, fingerprint: str):
        """The claimed row, or the response to give instead (replay, 409, 422)."""
        try:
            with self.runtime.db.transaction() as session:
                return self._claim_in(session, api_key_id, key, fingerprint)
        except IntegrityError:  # another process claimed the same key this instant
            return _in_flight()

    def _claim_in(self, session: Session, api_key_id, key: str, fingerprint: str):
        now = utcnow()
        session.execute(delete(IdempotentRequest).where(IdempotentRequest.expires_at < now))
        row = session.scalar(
            select(IdempotentRequest).where(
                IdempotentRequest.api_key_id == api_key_id, IdempotentRequest.key == key
            )
        )
        if row is not None and row.fingerprint != fingerprint:
            return problem_response(
                "idempotency-key-reused", "this Idempotency-Key was used with a different request"
            )
        if row is not None and row.done:
            return _replay(row)
        if row is not None and row.lease_until > now:
            return _in_flight()
        if row is None:
            row = IdempotentRequest(api_key_id=api_key_id, key=key, fingerprint=fingerprint)
            session.add(row)
        row.lease_until, row.expires_at = now + CLAIM_LEASE, now + self.retention
        session.flush()
        session.expunge(row)
        return row

    async def _run(self, scope: Scope, receive: Receive, send: Send, claim) -> None:
        state = scope.setdefault("state", {})
        state[CLAIM] = claim
        started: dict = {}
        chunks: list[bytes] = []

        async def capture(message: Message) -> None:
            if message["type"] == "http.response.start":
                started.update(message)
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))

        try:
            await self.app(scope, receive, capture)
        except BaseException:
            self._abandon(state.pop(HELD, None), claim)
            raise
        held: Session | None = state.pop(HELD, None)
        status = started.get("status", 500)
        body = b"".join(chunks)
        headers = [(k, v) for k, v in started.get("headers", []) if k.lower() != b"content-length"]
        if held is None or status >= 400:
            self._abandon(held, claim)
        elif not self._store(held, claim, status, headers, body):
            response = problem_response(
                "unavailable",
                "the result could not be stored; nothing was changed",
                instance=scope["path"],
            )
            await response(scope, receive, send)
            return
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [*headers, (b"content-length", str(len(body)).encode())],
            }
        )
        await send({"type": "http.response.body", "body": body})

    def _store(self, session: Session, claim, status: int, headers, body: bytes) -> bool:
        """Commit the operation's writes together with its response."""
        try:
            row = session.get(IdempotentRequest, claim.id)
            row.done, row.status_code, row.body = True, status, body
            row.headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in headers}
            row.media_type = row.headers.get("content-type")
            session.commit()
            return True
        except Exception:
            log.exception("could not store the response of an idempotent request")
            session.rollback()
            self._release(claim)
            return False
        finally:
            session.close()

    def _abandon(self, held: Session | None, claim) -> None:
        if held is not None:
            held.rollback()
            held.close()
        self._release(claim)

    def _release(self, claim) -> None:
        with self.runtime.db.transaction() as session:
            session.execute(delete(IdempotentRequest).where(IdempotentRequest.id == claim.id))


def _in_flight():
    return problem_response(
        "idempotency-key-in-flight",
        "a request with this Idempotency-Key is still running",
        headers={"Retry-After": "1"},
    )


def _replay(row: IdempotentRequest):
    from starlette.responses import Response

    headers = {k: v for k, v in row.headers.items() if k.lower() != "content-type"}
    headers["Idempotent-Replayed"] = "true"
    return Response(
        row.body or b"", status_code=row.status_code, headers=headers, media_type=row.media_type
    )


async def _send(scope: Scope, receive: Receive, send: Send, response) -> None:
    await response(scope, receive, send)
