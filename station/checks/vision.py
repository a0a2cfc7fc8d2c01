"""Checks that consume the vision area's decisions: listing match and brand mark.

The decisions are the vision area's `MatchDecision` and `BrandMarkDecision`; the checks
only read their documented fields (outcome, score, reason, ...), so any object with
those fields will do. None means no decision could be made, and the input says why.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from station.checks.findings import Finding, failed, not_applicable, passed, unsure

UNREADABLE = "unreadable"  # the bench's own code: the stored bytes are no picture
# vision.quality problem code -> what the operator should do (English, Chinese)
PROBLEM_TEXT = {
    UNREADABLE: ("the picture cannot be read: take it again", "照片无法读取：请重拍"),
    "no_item": ("no item on the mat: place it under the camera", "垫上没有商品：请放在相机下"),
    "blurry": ("too blurry: hold still", "照片模糊：请保持稳定"),
    "too_dark": ("too dark: switch on the bench light", "照片太暗：请打开工位灯"),
    "too_bright": ("too bright, washed out: dim the light", "照片过亮：请调暗灯光"),
    "glare": ("glare on the item: tilt it away from the light", "商品反光：请将商品偏离光源"),
    "item_too_small": (
        "item too small in the picture: move it closer to the camera",
        "商品在画面中太小：请靠近相机",
    ),
    "item_cut_off": (
        "item cut off at the edge: move it to the middle of the mat",
        "商品超出画面：请移到垫子中央",
    ),
}


def problem_text(codes: list[str]) -> tuple[str, str]:
    """The problems in words, English and Chinese; an unknown code stands as it is."""
    en = "; ".join(PROBLEM_TEXT.get(c, (c, c))[0] for c in codes)
    zh = "；".join(PROBLEM_TEXT.get(c, (c, c))[1] for c in codes)
    return en, zh


class MatchLike(Protocol):
    outcome: str  # match | mismatch | review
    score: float
    closest_sibling: str | None
    reason: str


class BrandMarkLike(Protocol):
    outcome: str  # present | absent | unsure
    score: float
    reason: str


@dataclass(frozen=True)
class VisualInput:
    listing_id: str
    decision: MatchLike | None
    # Why there is no decision: "not installed", "camera down ...", "skipped ..."
    missing_because: str | None = None
    photos_waived: bool = False
    # face -> quality problems of a photo taken at the retake limit
    photo_problems: dict[str, tuple[str, ...]] = field(default_factory=dict)


def check_visual_match(given: VisualInput) -> Finding:
    """The photos show the listed product: fail when confidently another, review when unsure
    (or when a photo had to be taken with quality problems)."""
    name = "visual_match"
    if given.photo_problems:
        return _poor_photos(given)
    if given.decision is None:
        why = given.missing_because or "no decision"
        if given.photos_waived or "skipped" in why:
            return unsure(
                name,
                "visual_mismatch",
                f"Not compared with the listing photos ({why})",
                f"未与商品图片比对（{why}）",
            )
        return not_applicable(
            name,
            f"No listing comparison at this station ({why})",
            f"本工位未做商品图片比对（{why}）",
        )
    d = given.decision
    score = f"score {d.score:.2f}"
    if d.outcome == "match":
        return passed(
            name,
            f"Photos match listing {given.listing_id} ({score})",
            f"照片与商品 {given.listing_id} 相符（{score}）",
            measured=score,
            expected=given.listing_id,
        )
    if d.outcome == "mismatch":
        other = f"; looks like {d.closest_sibling}" if d.closest_sibling else ""
        return failed(
            name,
            "visual_mismatch",
            f"Photos do not show listing {given.listing_id} ({score}{other}): {d.reason}",
            f"照片与商品 {given.listing_id} 不符（{score}{other}）：{d.reason}",
            measured=score,
            expected=given.listing_id,
            details={"closest_sibling": d.closest_sibling},
        )
    return unsure(
        name,
        "visual_mismatch",
        f"Not sure the photos show listing {given.listing_id} ({score}): {d.reason}",
        f"无法确定照片是否为商品 {given.listing_id}（{score}）：{d.reason}",
        measured=score,
        expected=given.listing_id,
    )


def _poor_photos(given: VisualInput) -> Finding:
    """A comparison on a photo the quality gate turned down is not trusted either way."""
    texts = {face: problem_text(list(codes)) for face, codes in given.photo_problems.items()}
    en = "; ".join(f"{face}: {t[0]}" for face, t in texts.items())
    zh = "；".join(f"{face}：{t[1]}" for face, t in texts.items())
    d = given.decision
    seen_en = f"; listing match {d.outcome}, score {d.score:.2f}" if d else ""
    seen_zh = f"；图片比对 {d.outcome}，得分 {d.score:.2f}" if d else ""
    return unsure(
        "visual_match",
        "visual_mismatch",
        f"Photo taken after the last retake still has problems ({en}){seen_en}",
        f"重拍次数已用完，照片仍有问题（{zh}）{seen_zh}",
        measured=f"score {d.score:.2f}" if d else None,
        expected=given.listing_id,
        details={
            "photo_problems": {f: list(c) for f, c in given.photo_problems.items()},
            "match": d.outcome if d else None,
        },
    )


@dataclass(frozen=True)
class BrandMarkInput:
    brand_name: str
    required: bool
    decision: BrandMarkLike | None
    missing_because: str | None = None
    photos_waived: bool = False


def check_brand_mark(given: BrandMarkInput) -> Finding:
    """The brand's registered mark is on the unit, where the category requires it."""
    name = "brand_mark"
    if not given.required:
        return not_applicable(
            name, "Category does not require a brand mark check", "该类目不要求核对品牌标识"
        )
    if given.decision is None:
        why = given.missing_because or "no decision"
        if given.photos_waived or "skipped" in why:
            return unsure(
                name,
                "brand_mark_absent",
                f"Brand mark not checked ({why})",
                f"未核对品牌标识（{why}）",
            )
        return not_applicable(
            name,
            f"No brand mark detection at this station ({why})",
            f"本工位未做品牌标识识别（{why}）",
        )
    d = given.decision
    score = f"score {d.score:.2f}"
    if d.outcome == "present":
        return passed(
            name,
            f"{given.brand_name} mark found ({score})",
            f"已识别 {given.brand_name} 标识（{score}）",
            measured=score,
        )
    if d.outcome == "absent":
        return failed(
            name,
            "brand_mark_absent",
            f"{given.brand_name} mark not found ({score}): {d.reason}",
            f"未找到 {given.brand_name} 标识（{score}）：{d.reason}",
            measured=score,
        )
    return unsure(
        name,
        "brand_mark_absent",
        f"Unsure about the {given.brand_name} mark ({score}): {d.reason}",
        f"无法确定 {given.brand_name} 标识（{score}）：{d.reason}",
        measured=score,
    )
