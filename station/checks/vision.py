"""Checks that consume the vision area's decisions: listing match and brand mark.

The decisions are the vision area's `MatchDecision` and `BrandMarkDecision`; the checks
only read their documented fields (outcome, score, reason, ...), so any object with
those fields will do. None means no decision could be made, and the input says why.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from station.checks.findings import Finding, failed, not_applicable, passed, unsure


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


def check_visual_match(given: VisualInput) -> Finding:
    """The photos show the listed product: fail when confidently another, review when unsure."""
    name = "visual_match"
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
