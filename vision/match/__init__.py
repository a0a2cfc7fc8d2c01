"""Listing match: is the item on the bench the product the listing shows?

    references = [reference_features(img) for img in listing_images]   # once, then stored
    views = [photo_features(frame) for frame in bench_photos]
    decision = decide(references, views, MatchThresholds(...), siblings={"L002": [...]})

`score_pair(catalog_bgr, photo_bgr)` scores one pair (the evaluation entry point).
"""

from vision.match.decision import BestMatch, MatchDecision, MatchThresholds, best_match, decide
from vision.match.features import (
    Features,
    from_bytes,
    photo_features,
    reference_features,
    to_bytes,
)
from vision.match.overlay import overlay_png
from vision.match.pair import score_pair
from vision.match.verify import Comparison, compare

__all__ = [
    "BestMatch",
    "Comparison",
    "Features",
    "MatchDecision",
    "MatchThresholds",
    "best_match",
    "compare",
    "decide",
    "from_bytes",
    "overlay_png",
    "photo_features",
    "reference_features",
    "score_pair",
    "to_bytes",
]
