"""Visual checks against the reference data: listing match and brand mark."""

from __future__ import annotations

from collections.abc import Sequence

import cv2
import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from station.errors import NotFound
from station.evidence import EvidenceStore
from station.matching.limits import VisualLimits, load_limits
from station.matching.store import FeatureStore
from station.reference.models import Brand, Listing, ListingStatus
from vision.brand import BrandMarkDecision, brand_photo_features, check_mark
from vision.errors import VisionError
from vision.match import Features, MatchDecision, decide, photo_features, reference_features
from vision.quality import QualityReport, assess


class VisualChecks:
    """One per process: holds the feature store and the limits."""

    def __init__(self, evidence: EvidenceStore, store: FeatureStore, limits: VisualLimits) -> None:
        self.evidence = evidence
        self.store = store
        self.limits = limits

    @classmethod
    def from_runtime(cls, runtime) -> VisualChecks:
        settings = runtime.settings.matching
        store = FeatureStore(settings.feature_dir, settings.memory_mb * 1024 * 1024)
        return cls(runtime.evidence, store, load_limits(settings.thresholds or None))

    def photo_quality(self, photo_bgr: np.ndarray) -> QualityReport:
        return assess(photo_bgr, self.limits.quality)

    def photo_verdict(self, photo_bgr: np.ndarray) -> tuple[list[str], dict]:
        """The quality gate as the workflow takes it: problem codes and the
        measurements, plain data (station.workflow.evaluation.QualityCall)."""
        report = self.photo_quality(photo_bgr)
        measured = {
            "blur": report.blur,
            "laplacian_variance": report.laplacian_variance,
            "median_luma": report.median_luma,
            "clipped": report.clipped,
            "glare": report.glare,
            "item_area": report.item_area,
            **report.measurements,
        }
        return report.codes, {k: _plain(v) for k, v in measured.items()}

    def listing_match(
        self, session: Session, listing_id: str, photos: Sequence[np.ndarray]
    ) -> MatchDecision:
        """Does the item on the photos show this listing rather than one of its siblings?"""
        listing = session.get(Listing, listing_id, options=[selectinload(Listing.images)])
        if listing is None:
            raise NotFound(f"listing {listing_id} does not exist")
        views = [photo_features(_checked(p, i)) for i, p in enumerate(photos)]
        references = self.references(listing)
        if not references:
            return MatchDecision(
                "review", 0.0, None, 0, None, None, None, None,
                f"listing {listing_id} has no reference images to compare with",
            )  # fmt: skip
        rivals = {s.id: self.references(s) for s in siblings(session, listing)}
        return decide(references, views, self.limits.listing, rivals)

    def brand_mark(
        self, session: Session, brand_id: str, photos: Sequence[np.ndarray]
    ) -> BrandMarkDecision:
        """Is the brand's registered logo on the item?"""
        brand = session.get(Brand, brand_id, options=[selectinload(Brand.logos)])
        if brand is None:
            raise NotFound(f"brand {brand_id} does not exist")
        if not brand.logos:
            return BrandMarkDecision(
                "unsure", 0.0, None, f"brand {brand_id} has no registered logo to look for"
            )
        logos = [self.features(logo.sha256) for logo in brand.logos]
        views = [brand_photo_features(_checked(p, i)) for i, p in enumerate(photos)]
        return check_mark(logos, views, self.limits.brand)

    def match_evidence(
        self, session: Session, listing_id: str, brand_id: str, photos: dict[str, str]
    ) -> MatchDecision | None:
        """The workflow's call (station.workflow.evaluation.VisionCall): photos as
        {face: evidence sha256}; None when no photo was taken. A picture given for two
        faces is compared once (view indexes count distinct pictures)."""
        frames = [self._image(sha) for sha in dict.fromkeys(photos.values())]
        return self.listing_match(session, listing_id, frames) if frames else None

    def brand_mark_evidence(
        self, session: Session, listing_id: str, brand_id: str, photos: dict[str, str]
    ) -> BrandMarkDecision | None:
        """As `match_evidence`, for the brand mark."""
        frames = [self._image(sha) for sha in dict.fromkeys(photos.values())]
        return self.brand_mark(session, brand_id, frames) if frames else None

    def references(self, listing: Listing) -> list[Features]:
        return [self.features(image.sha256) for image in listing.images]

    def features(self, sha256: str) -> Features:
        """Reference features of an image in the evidence store (computed once)."""
        return self.store.get(sha256, lambda: reference_features(self._image(sha256)))

    def feature_file(self, sha256: str) -> bytes:
        """The stored form of a reference image's features (computed once), for a station."""
        return self.store.file(sha256, lambda: reference_features(self._image(sha256)))

    def _image(self, sha256: str) -> np.ndarray:
        data = np.frombuffer(self.evidence.read(sha256), np.uint8)
        image = cv2.imdecode(data, cv2.IMREAD_COLOR)
        if image is None:
            raise VisionError(f"evidence file {sha256} is not a readable image")
        return image


def siblings(session: Session, listing: Listing) -> list[Listing]:
    """Active listings of the same brand and category that are a different product:
    other merchants' offers of the same product (a shared GTIN, or the very same
    images) are not rivals."""
    candidates = session.scalars(
        select(Listing)
        .where(
            Listing.brand_id == listing.brand_id,
            Listing.category_id == listing.category_id,
            Listing.id != listing.id,
            Listing.status == ListingStatus.ACTIVE,
        )
        .options(selectinload(Listing.images), selectinload(Listing.gtins))
        .order_by(Listing.id)
    ).all()
    gtins = {g.gtin for g in listing.gtins}
    images = {i.sha256 for i in listing.images}
    return [
        other
        for other in candidates
        if not gtins & {g.gtin for g in other.gtins}
        and not (images and images == {i.sha256 for i in other.images})
    ]


def _plain(value):
    return None if value is None else round(float(value), 4)


def _checked(photo: np.ndarray, index: int) -> np.ndarray:
    if not isinstance(photo, np.ndarray) or photo.ndim != 3 or photo.shape[2] != 3:
        raise VisionError(f"bench photo {index + 1} is not a BGR colour image")
    return photo
