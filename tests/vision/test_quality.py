"""Photo quality gate on synthetic bench photos: each fault names what to fix."""

import cv2
import numpy as np
import pytest

from tests.vision.packaging import OTHER_BRAND, TEA, mat, photo, relit
from vision.backdrop import find_item
from vision.errors import VisionError
from vision.quality import MESSAGES, Problem, QualityLimits, assess


def cut_off(image):
    """The item slid over the right edge of the frame."""
    shift = np.float32([[1, 0, image.shape[1] * 0.45], [0, 1, 0]])
    return cv2.warpAffine(image, shift, image.shape[1::-1], borderMode=cv2.BORDER_REPLICATE)


def far_away(image):
    """The same scene with the camera much further away."""
    wide = cv2.copyMakeBorder(image, 1000, 1000, 1300, 1300, cv2.BORDER_REPLICATE)
    return cv2.resize(wide, image.shape[1::-1], interpolation=cv2.INTER_AREA)


def with_glare(design, seed):
    """A highlight on the coloured print near the package's top right corner."""
    import random

    from station.sample.artwork import photograph, render_face

    marker = np.full_like(render_face(design), 120)  # a mid-grey pack: the usual mat
    cv2.circle(marker, (410, 60), 6, (255, 255, 255), -1)
    image = photograph(render_face(design), random.Random(seed))
    spot = photograph(marker, random.Random(seed))  # same pose: same random draws
    ys, xs = np.nonzero(spot.max(axis=2) > 150)
    yy, xx = np.mgrid[0 : image.shape[0], 0 : image.shape[1]]
    bump = 400 * np.exp(-(((xx - xs.mean()) / 30) ** 2 + ((yy - ys.mean()) / 22) ** 2))
    return np.clip(image + bump[..., None], 0, 255).astype(np.uint8)


@pytest.mark.parametrize("seed", [3, 4, 8])
@pytest.mark.parametrize("design", [TEA, OTHER_BRAND], ids=["tea", "box"])
def test_a_good_bench_photo_passes(design, seed):
    report = assess(photo(design, seed))
    assert report.ok, report.problems
    assert 0.05 < report.item_area < 0.5


@pytest.mark.parametrize(
    ("fault", "code"),
    [
        (lambda img: cv2.GaussianBlur(img, (0, 0), 4), "blurry"),
        (lambda img: cv2.GaussianBlur(img, (0, 0), 2.5), "blurry"),
        (lambda img: relit(img, 0.15), "too_dark"),
        (lambda img: relit(img, 3.0), "too_bright"),
        (cut_off, "item_cut_off"),
        (far_away, "item_too_small"),
    ],
    ids=["blurred", "slightly blurred", "dark", "overexposed", "cut off", "too small"],
)
def test_each_fault_is_named_with_what_to_do(fault, code):
    report = assess(fault(photo(TEA, 3)))
    assert not report.ok
    assert code in report.codes
    message = dict(report.problems)[code]
    assert message == MESSAGES[Problem(code)] and ": " in message  # what, then what to do


@pytest.mark.parametrize("seed", [6, 9, 12])
def test_glare_on_the_print_is_found(seed):
    report = assess(with_glare(TEA, seed))
    assert report.codes == ["glare"]
    assert "tilt" in report.problems[0][1]


def test_an_empty_mat_has_no_item():
    report = assess(mat())
    assert report.codes == ["no_item"]


def test_blur_measure_separates_sharp_from_blurred_whatever_the_print():
    for design in (TEA, OTHER_BRAND):
        sharp, blurred = photo(design, 5), cv2.GaussianBlur(photo(design, 5), (0, 0), 3)
        assert assess(sharp).blur < 0.25 < assess(blurred).blur


def test_codes_are_stable():
    assert [p.value for p in Problem] == [
        "no_item",
        "blurry",
        "too_dark",
        "too_bright",
        "glare",
        "item_too_small",
        "item_cut_off",
    ]


def test_limits_are_plain_values_the_station_passes_in():
    image = cv2.GaussianBlur(photo(TEA, 3), (0, 0), 2.5)
    assert not assess(image).ok
    assert assess(image, QualityLimits(max_blur=0.99)).ok


def test_backdrop_segmentation_finds_the_item_only_on_a_plain_backdrop():
    item = find_item(photo(TEA, 3))
    assert item is not None and item.border_contact == 0
    x, y, w, h = item.bbox
    assert 200 < w < 900 and 300 < h < 900
    rng = np.random.default_rng(1)
    cluttered = rng.integers(0, 255, (480, 640, 3), dtype=np.uint8)
    assert find_item(cluttered) is None


def test_not_an_image_is_refused():
    with pytest.raises(VisionError, match="BGR colour image"):
        assess(np.zeros((50, 50), np.uint8))
