"""Listing match: is the item on the bench the product the listing shows?"""

from vision.match.features import Features, from_bytes, photo_features, reference_features, to_bytes
from vision.match.pair import score_pair
from vision.match.verify import Comparison, compare

__all__ = [
    "Comparison",
    "Features",
    "compare",
    "from_bytes",
    "photo_features",
    "reference_features",
    "score_pair",
    "to_bytes",
]
