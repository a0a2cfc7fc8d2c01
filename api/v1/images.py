"""Reference images of a listing: PUT the bytes of face n, stored by content hash."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, Response
from sqlalchemy.orm import Session

from api.deps import RuntimeDep, SessionDep
from api.v1.problems import ProblemException, ProblemItem, not_found
from api.v1.reference import RecordId
from api.v1.reference_schemas import ListingImageOut
from api.v1.security import ReferenceReader, ReferenceWriter
from api.v1.tags import Tag
from api.v1.writes import WriteSession
from station.audit.models import record as audit
from station.errors import NotFound
from station.reference.images import decode_image
from station.reference.models import Listing, ListingImage

router = APIRouter(tags=[Tag.REFERENCE])
Position = Annotated[int, Path(ge=1, le=32, description="Image number, 1 to 32.")]
Face = Annotated[
    str, Query(pattern=r"^[a-z][a-z0-9_-]{0,31}$", description="Which face: front, back, ...")
]
IMAGE_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            media: {"schema": {"type": "string", "format": "binary"}}
            for media in ("image/png", "image/jpeg", "image/webp")
        },
    }
}


def _image_out(listing_id: str, image: ListingImage) -> ListingImageOut:
    return ListingImageOut(
        position=image.position,
        face=image.face,
        sha256=image.sha256,
        media_type=image.media_type,
        width=image.width,
        height=image.height,
        href=f"/v1/listings/{listing_id}/images/{image.position}",
    )


def _listing(session: Session, listing_id: str) -> Listing:
    listing = session.get(Listing, listing_id)
    if listing is None:
        raise not_found(f"listing {listing_id}")
    return listing


@router.put(
    "/listings/{record_id}/images/{position}",
    name="put_listing_image",
    summary="Upload reference image n of a listing (PNG, JPEG or WebP)",
    response_model=ListingImageOut,
    responses={201: {"description": "Created", "model": ListingImageOut}},
    openapi_extra=IMAGE_BODY,
)
async def put_listing_image(
    record_id: RecordId,
    position: Position,
    request: Request,
    response: Response,
    caller: ReferenceWriter,
    session: WriteSession,
    runtime: RuntimeDep,
    face: Face = "front",
) -> ListingImageOut:
    data = await request.body()
    try:
        image = decode_image(data, "the uploaded image")
    except ValueError as err:
        raise ProblemException(
            "validation", str(err), errors=[ProblemItem(detail=str(err), pointer="")]
        ) from None
    listing = _listing(session, record_id)
    runtime.evidence.put(image.data)  # first the file, then the row that names it
    row = session.get(ListingImage, (record_id, position))
    response.status_code = 200 if row else 201
    if row is None:
        row = ListingImage(listing_id=listing.id, position=position)
        session.add(row)
    row.face = face
    for name, value in image.columns().items():
        setattr(row, name, value)
    audit(
        session,
        actor=f"apikey:{caller.prefix}",
        action="api.put.image",
        subject_type="listings",
        subject_id=record_id,
        position=position,
        sha256=image.sha256,
    )
    session.flush()
    return _image_out(record_id, row)


@router.get(
    "/listings/{record_id}/images/{position}",
    name="get_listing_image",
    summary="Download reference image n of a listing",
    response_class=Response,
    responses={
        200: {
            "description": "The image bytes",
            "content": {
                m: {"schema": {"type": "string", "format": "binary"}}
                for m in ("image/png", "image/jpeg", "image/webp")
            },
        }
    },
)
def get_listing_image(
    record_id: RecordId,
    position: Position,
    caller: ReferenceReader,
    session: SessionDep,
    runtime: RuntimeDep,
) -> Response:
    row = session.get(ListingImage, (record_id, position))
    if row is None:
        raise not_found(f"image {position} of listing {record_id}")
    try:
        data = runtime.evidence.read(row.sha256)
    except NotFound:
        raise not_found(f"the stored file of image {position} of listing {record_id}") from None
    headers = {"ETag": f'"{row.sha256}"', "Cache-Control": "private, max-age=86400"}
    return Response(data, media_type=row.media_type, headers=headers)


@router.delete(
    "/listings/{record_id}/images/{position}",
    name="delete_listing_image",
    summary="Remove reference image n of a listing",
    status_code=204,
    response_class=Response,
)
def delete_listing_image(
    record_id: RecordId, position: Position, caller: ReferenceWriter, session: WriteSession
) -> Response:
    row = session.get(ListingImage, (record_id, position))
    if row is None:
        raise not_found(f"image {position} of listing {record_id}")
    session.delete(row)
    audit(
        session,
        actor=f"apikey:{caller.prefix}",
        action="api.delete.image",
        subject_type="listings",
        subject_id=record_id,
        position=position,
    )
    return Response(status_code=204)
