"""`score_pair(catalog_bgr, photo_bgr) -> float`: the evaluation entry point.

Reference features are computed once per distinct catalog image (keyed by a
hash of its pixels) and kept in a small least-recently-used cache, as the
station keeps them in its feature store.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict

import numpy as np

from vision.match.features import Features, check_image, photo_features, reference_features
from vision.match.verify import compare

_CACHE_SIZE = 64
_references: OrderedDict[bytes, Features] = OrderedDict()


def score_pair(catalog_bgr: np.ndarray, photo_bgr: np.ndarray) -> float:
    """How surely the photo shows the catalog image's product (higher = same product)."""
    check_image(photo_bgr, "photo")
    reference = cached_reference(catalog_bgr)
    return compare(reference, photo_features(photo_bgr)).score


def cached_reference(image_bgr: np.ndarray) -> Features:
    check_image(image_bgr, "catalog image")
    key = hashlib.blake2b(np.ascontiguousarray(image_bgr).data, digest_size=16).digest()
    key += repr(image_bgr.shape).encode()
    features = _references.get(key)
    if features is None:
        features = reference_features(image_bgr)
        _references[key] = features
        if len(_references) > _CACHE_SIZE:
            _references.popitem(last=False)
    else:
        _references.move_to_end(key)
    return features
