"""Listing match on synthetic packaging scenes (no shared data)."""

from dataclasses import replace

import cv2
import numpy as np
import pytest

from station.sample.artwork import render_face
from tests.vision.packaging import (
    OTHER_BRAND,
    SIBLING,
    TEA,
    TEXT_SIBLING,
    mat,
    photo,
    relit,
    tilted,
)
from vision.errors import VisionError
from vision.match import (
    MatchThresholds,
    compare,
    decide,
    from_bytes,
    photo_features,
    reference_features,
    score_pair,
    to_bytes,
)

LIMITS = MatchThresholds(match=1.0, mismatch=0.2, margin=0.3)


@pytest.fixture(scope="module")
def refs():
    """Reference features of each listing's front and back images."""
    designs = {"tea": TEA, "sibling": SIBLING, "text": TEXT_SIBLING, "other": OTHER_BRAND}
    return {
        name: [reference_features(render_face(d, face)) for face in ("front", "back")]
        for name, d in designs.items()
    }


@pytest.fixture(scope="module")
def views():
    return {
        "tea": photo_features(photo(TEA)),
        "sibling": photo_features(photo(SIBLING)),
        "text": photo_features(photo(TEXT_SIBLING)),
        "other": photo_features(photo(OTHER_BRAND)),
    }


def test_the_listed_product_matches_with_evidence_for_a_reviewer(refs, views):
    decision = decide(refs["tea"], [views["tea"]], LIMITS, {"L-OOLONG": refs["sibling"]})
    assert decision.outcome == "match", decision.reason
    assert decision.reference_index == 0  # the front image
    assert decision.inliers >= 50
    assert decision.colour_agreement > 0.9
    assert decision.closest_sibling == "L-OOLONG"
    assert decision.margin >= LIMITS.margin
    overlay = cv2.imdecode(np.frombuffer(decision.overlay_png, np.uint8), cv2.IMREAD_COLOR)
    assert overlay is not None and overlay.shape[0] == 360


def test_a_sibling_with_another_colour_band_is_called_a_mismatch(refs, views):
    """Same brand template, other band colour and variant text: the hard case."""
    decision = decide(refs["tea"], [views["sibling"]], LIMITS, {"L-OOLONG": refs["sibling"]})
    assert decision.outcome == "mismatch"
    assert "L-OOLONG" in decision.reason
    assert decision.margin < 0


def test_colour_band_lowers_the_score_of_a_sibling_without_siblings_known(refs, views):
    same = compare(refs["tea"][0], views["tea"])
    sibling = compare(refs["tea"][0], views["sibling"])
    assert sibling.inliers > 50  # the shared template verifies geometrically ...
    assert sibling.colour < same.colour - 0.1  # ... the aligned colours tell them apart
    assert sibling.score < same.score


def test_a_sibling_differing_only_in_text_is_never_accepted(refs, views):
    rivals = {"L-STRONG": refs["text"]}
    substitute = decide(refs["tea"], [views["text"]], LIMITS, rivals)
    genuine = decide(refs["tea"], [views["tea"]], LIMITS, rivals)
    assert substitute.outcome != "match"
    assert genuine.outcome != "mismatch"
    assert genuine.score > substitute.score


def test_another_brand_is_a_mismatch(refs, views):
    decision = decide(refs["tea"], [views["other"]], LIMITS)
    assert decision.outcome == "mismatch"
    assert decision.score < LIMITS.mismatch
    assert "not found" in decision.reason


def test_the_best_of_several_views_and_references_decides(refs, views):
    empty = photo_features(mat())
    decision = decide(refs["tea"], [empty, views["other"], views["tea"]], LIMITS)
    assert decision.outcome == "match"
    back_only = decide(refs["tea"], [photo_features(photo(TEA, face="back"))], LIMITS)
    assert back_only.outcome == "match" and back_only.reference_index == 1


@pytest.mark.parametrize("change", ["darker light", "strong perspective", "other placement"])
def test_light_and_pose_do_not_break_the_match(refs, change):
    image = {
        "darker light": lambda: relit(photo(TEA), 0.55),
        "strong perspective": lambda: tilted(photo(TEA)),
        "other placement": lambda: photo(TEA, seed=11),
    }[change]()
    decision = decide(refs["tea"], [photo_features(image)], LIMITS)
    assert decision.outcome == "match", decision.reason


def test_a_weak_match_goes_to_review():
    limits = replace(LIMITS, match=100.0)
    decision = decide([reference_features(render_face(TEA))], [photo_features(photo(TEA))], limits)
    assert decision.outcome == "review"
    assert "weak match" in decision.reason


def test_stored_features_are_compact_and_give_the_same_answer(refs, views):
    reference = refs["tea"][0]
    data = to_bytes(reference)
    assert len(data) < 140 * len(reference.points) + 60_000
    again = from_bytes(data)
    assert compare(again, views["tea"]).inliers == pytest.approx(
        compare(reference, views["tea"]).inliers, abs=3
    )
    with pytest.raises(VisionError, match="damaged"):
        from_bytes(data[: len(data) // 2])


def test_score_pair_ranks_same_above_sibling_above_other_brand():
    face = render_face(TEA)
    same = score_pair(face, photo(TEA))
    sibling = score_pair(face, photo(SIBLING))
    other = score_pair(face, photo(OTHER_BRAND))
    assert same > sibling > other


def test_bad_input_is_refused_with_a_reason():
    with pytest.raises(VisionError, match="BGR colour"):
        score_pair(np.zeros((100, 100), np.uint8), photo(TEA))
    with pytest.raises(VisionError, match="too small"):
        score_pair(render_face(TEA), np.zeros((10, 10, 3), np.uint8))
    with pytest.raises(VisionError, match="no reference images"):
        decide([], [photo_features(photo(TEA))], LIMITS)
