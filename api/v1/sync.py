"""Station ingest: a station pushes its outbox and photos here (scope station:sync).

POST /sync/batches stores records once, in order, and answers each with
stored / duplicate / refused. Photos go by content hash: POST /sync/photos/missing
says which of a list central lacks, PUT /sync/photos/{sha256} uploads one (whole,
or in pieces with Content-Range; GET .../upload tells how much of an unfinished one
arrived, to resume there).
"""

from __future__ import annotations

import re
import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Header, Query, Request, Response
from pydantic import BaseModel, Field

from api.deps import RuntimeDep
from api.v1.problems import ProblemException
from api.v1.security import Caller, require
from api.v1.tags import Tag
from station.access.keys import Scope
from station.errors import NotFound
from station.fleet.stations import STATION_ID
from station.sync.ingest import ingest_batch
from station.sync.photos import PhotoReceiver, UploadRefused
from station.sync.reference import Cursor, InvalidCursor, reference_page

router = APIRouter(tags=[Tag.SYNC])
StationSync = Annotated[Caller, require(Scope.STATION_SYNC)]
Sha256 = Annotated[str, Field(pattern="^[0-9a-f]{64}$")]
_RANGE = re.compile(r"^bytes (\d+)-(\d+)/(\d+)$")


class OutboxRecord(BaseModel):
    record_id: uuid.UUID
    seq: int = Field(ge=0, le=2**62)
    kind: str = Field(pattern="^event$")
    photos: list[Sha256] = Field(default=[], max_length=1000)
    body: dict[str, Any]


class Batch(BaseModel):
    station_id: str = Field(pattern=STATION_ID.pattern)
    records: list[OutboxRecord] = Field(max_length=1000)


class RecordAnswer(BaseModel):
    record_id: str
    seq: int
    status: str = Field(description="stored, duplicate (stored before) or refused")
    position: int | None = Field(None, description="the event's place in central's feed")
    error: str | None = None


class BatchAnswer(BaseModel):
    answers: list[RecordAnswer]


class PhotoList(BaseModel):
    hashes: list[Sha256] = Field(max_length=5000)


class MissingPhotos(BaseModel):
    missing: list[str]
    partial: dict[str, int] = Field(
        default_factory=dict,
        description="of the missing, those with an unfinished upload: bytes received so far "
        "(resume there)",
    )


class Received(BaseModel):
    received: int = Field(description="bytes of the photo central holds")
    complete: bool


def _station_of(caller: StationSync, station_id: str) -> str:
    if caller.station_id is not None and caller.station_id != station_id:
        raise ProblemException(
            "forbidden", f"this key belongs to station {caller.station_id}, not {station_id}"
        )
    return station_id


@router.post("/sync/batches", name="push_batch", response_model=BatchAnswer,
             summary="Store a station's outbox records, in order")  # fmt: skip
def push_batch(batch: Batch, caller: StationSync, runtime: RuntimeDep) -> BatchAnswer:
    station_id = _station_of(caller, batch.station_id)
    records = [r.model_dump(mode="json") for r in batch.records]
    with runtime.db.transaction() as session:
        answers = ingest_batch(session, station_id, records, runtime.evidence)
    return BatchAnswer(answers=[RecordAnswer(**a.as_json()) for a in answers])


@router.post("/sync/photos/missing", name="missing_photos", response_model=MissingPhotos,
             summary="Which of these photos central does not have yet")  # fmt: skip
def missing_photos(photos: PhotoList, caller: StationSync, runtime: RuntimeDep) -> MissingPhotos:
    receiver = PhotoReceiver(runtime.evidence)
    missing = receiver.missing(photos.hashes)
    partial = {h: n for h in missing if (n := receiver.offset(h))}
    return MissingPhotos(missing=missing, partial=partial)


class ReferencePage(BaseModel):
    items: list[dict[str, Any]] = Field(description="{table, row, children} per changed row")
    next: str = Field(description="send as `after` next time")
    done: bool = Field(description="this pass is complete; `next` starts the next one")


@router.get("/sync/reference", name="pull_reference", response_model=ReferencePage,
            summary="Reference data changed for the key's station, after a cursor")  # fmt: skip
def pull_reference(
    caller: StationSync,
    runtime: RuntimeDep,
    after: Annotated[str | None, Query(max_length=2000)] = None,
    limit: Annotated[int, Query(ge=1, le=2000)] = 500,
) -> ReferencePage:
    if caller.station_id is None:
        raise ProblemException("forbidden", "only a station's own key pulls reference data")
    try:
        cursor = Cursor.decode(after)
        with runtime.db.session() as session:
            page = reference_page(session, caller.station_id, cursor, limit)
    except InvalidCursor as err:
        raise ProblemException("invalid-cursor", str(err)) from None
    return ReferencePage(**page)


@router.get("/sync/photos/{sha256}", name="download_photo", response_class=Response,
            responses={200: {"content": {"application/octet-stream": {}}}},
            summary="A photo or reference image by its SHA-256")  # fmt: skip
def download_photo(sha256: Sha256, caller: StationSync, runtime: RuntimeDep) -> Response:
    try:
        data = runtime.evidence.read(sha256)
    except NotFound:
        raise ProblemException("not-found", f"no file {sha256} here") from None
    return Response(data, media_type="application/octet-stream")


@router.get("/sync/features/{sha256}", name="download_features", response_class=Response,
            responses={200: {"content": {"application/octet-stream": {}}}},
            summary="Listing-match features of a reference image (computed once here)")  # fmt: skip
def download_features(sha256: Sha256, caller: StationSync, runtime: RuntimeDep) -> Response:
    """So a new bench does not spend seconds per listing image computing them itself.
    The `Feature-Format` header names the stored layout's version."""
    from station.matching.bench import visual_checks
    from vision.errors import VisionError
    from vision.match.features import FORMAT_VERSION

    if not runtime.evidence.has(sha256):
        raise ProblemException("not-found", f"no image {sha256} here")
    try:
        data = visual_checks(runtime).feature_file(sha256)
    except VisionError as err:
        raise ProblemException("not-found", f"no features for {sha256}: {err}") from None
    headers = {"Feature-Format": str(FORMAT_VERSION)}
    return Response(data, media_type="application/octet-stream", headers=headers)


@router.get("/sync/photos/{sha256}/upload", name="upload_state", response_model=Received,
            summary="How much of a photo central holds (resume an upload there)")  # fmt: skip
def upload_state(sha256: Sha256, caller: StationSync, runtime: RuntimeDep) -> Received:
    receiver = PhotoReceiver(runtime.evidence)
    if receiver.has(sha256):
        return Received(received=runtime.evidence.path_for(sha256).stat().st_size, complete=True)
    return Received(received=receiver.offset(sha256), complete=False)


@router.put("/sync/photos/{sha256}", name="upload_photo", response_model=Received,
            responses={409: {"description": "Piece refused: resume at Upload-Offset"}},
            openapi_extra={"requestBody": {"required": True, "content": {
                "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}}},
            summary="Upload a photo, whole or a piece (Content-Range: bytes a-b/N)")  # fmt: skip
async def upload_photo(
    sha256: Sha256,
    request: Request,
    caller: StationSync,
    runtime: RuntimeDep,
    content_range: Annotated[str | None, Header()] = None,
) -> Received:
    data = await request.body()
    if not data:
        raise ProblemException("malformed-request", "the body is empty: send the photo's bytes")
    start, total = 0, len(data)
    if content_range is not None:
        match = _RANGE.match(content_range)
        if match is None or int(match[2]) - int(match[1]) + 1 != len(data):
            raise ProblemException(
                "malformed-request", "Content-Range must be 'bytes FIRST-LAST/TOTAL' for this body"
            )
        start, total = int(match[1]), int(match[3])
    try:
        received = PhotoReceiver(runtime.evidence).receive(sha256, start, total, data)
    except UploadRefused as err:
        raise ProblemException(
            "upload-refused", str(err), headers={"Upload-Offset": str(err.offset)}
        ) from None
    return Received(received=received, complete=received == total)
