"""Brand mark: the registered logo on a synthetic package photo."""

import numpy as np
import pytest

from tests.vision.packaging import OTHER_BRAND, SIBLING, TEA, logo, photo
from vision.brand import BrandMarkLimits, brand_photo_features, check_mark
from vision.errors import VisionError
from vision.match import reference_features


@pytest.fixture(scope="module")
def logos():
    return {"tea": reference_features(logo(TEA)), "other": reference_features(logo(OTHER_BRAND))}


def test_the_brands_logo_is_present_and_located(logos):
    image = photo(TEA, 3)
    decision = check_mark([logos["tea"]], [brand_photo_features(image)])
    assert decision.outcome == "present", decision.reason
    corners = np.float32(decision.region)
    centre = corners.mean(axis=0)
    # The mark sits in the top half of the package, which stands in the middle of the frame.
    assert 200 < centre[0] < 1100 and 50 < centre[1] < 700
    width = np.linalg.norm(corners[1] - corners[0])
    assert width >= 80


def test_siblings_carry_the_same_logo(logos):
    decision = check_mark([logos["tea"]], [brand_photo_features(photo(SIBLING, 4))])
    assert decision.outcome == "present"


def test_another_brands_logo_is_absent(logos):
    decision = check_mark([logos["other"]], [brand_photo_features(photo(TEA, 3))])
    assert decision.outcome == "absent"
    assert decision.region is None
    assert "not found" in decision.reason


def test_a_weak_finding_is_unsure(logos):
    limits = BrandMarkLimits(present=50.0, absent=0.01)
    decision = check_mark([logos["tea"]], [brand_photo_features(photo(TEA, 3))], limits)
    assert decision.outcome == "unsure"
    assert "closer" in decision.reason


def test_nothing_to_look_for_is_an_error():
    with pytest.raises(VisionError, match="no registered logo"):
        check_mark([], [brand_photo_features(photo(TEA, 3))])
