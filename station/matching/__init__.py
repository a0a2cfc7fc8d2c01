"""Visual checks at the bench: photo quality, listing match, brand mark.

The workflow's checks call one object, built once per process:

    checks = VisualChecks.from_runtime(runtime)
    report = checks.photo_quality(frame)             # QualityReport: ok, problems [(code, message)]
    decision = checks.listing_match(session, "L001", [frame, ...])   # MatchDecision
    mark = checks.brand_mark(session, "B01", [frame, ...])            # BrandMarkDecision

* `listing_match` compares every reference image of the listing (from the
  evidence store) with every bench photo, and does the same for the listing's
  siblings: active listings of the same brand and category that are a
  different product (another merchant's offer of the same GTIN, or of the very
  same images, is not a sibling). Outcome match / mismatch / review, with the
  score, the matched reference, inlier count, colour agreement, the margin over
  the closest sibling and an overlay PNG for the reviewer (vision.match.decision).
* `brand_mark` looks for the brand's registered logos: present / absent / unsure
  with the logo's outline on the photo.
* Reference features are computed once per image and kept in the feature store
  (settings `matching.feature_dir`, `matching.memory_mb`; see store.py).
* Limits come from config/vision/match.toml (setting `matching.thresholds`);
  `inbound-station vision calibrate --pairs FILE` recomputes the listing limits.

Benches get them through `station.matching.bench.vision_for(runtime)` (one VisualChecks
per process; setting `matching.enabled`). For the workflow
(station.workflow.evaluation.Vision), `checks.match_evidence` and
`checks.brand_mark_evidence` take (session, listing id, brand id, {face: sha256})
and read the photos from the evidence store.

Bad photos raise vision.errors.VisionError; unknown listings or brands NotFound.
"""

from station.matching.checks import VisualChecks, siblings
from station.matching.limits import VisualLimits, load_limits
from station.matching.store import FeatureStore

__all__ = ["FeatureStore", "VisualChecks", "VisualLimits", "load_limits", "siblings"]
