"""Checks of one unit: identity, serial and expiry, weight, checklist; and the lot's quantity."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from station.checks.defects import defect, most_serious
from station.checks.findings import Finding, Text, failed, not_applicable, passed, unsure
from station.checks.rules import Question
from station.identifiers import InvalidIdentifier, normalise_gtin
from station.inspection.models import Outcome


@dataclass(frozen=True)
class IdentityInput:
    scanned_gtin: str | None
    listing_id: str
    listing_gtins: frozenset[str]  # GTIN-14
    skipped_reason: str | None = None


def check_identity(given: IdentityInput) -> Finding:
    """The unit's GTIN is valid and one of the listing's."""
    name = "identity"
    expected = ", ".join(sorted(given.listing_gtins)) or "none"
    if given.scanned_gtin is None:
        why = given.skipped_reason or "no product code was scanned"
        return unsure(
            name,
            "gtin_not_on_listing",
            f"Product code not scanned ({why}): check the unit by eye",
            f"未扫描商品条码（{why}）：请人工核对",
            expected=expected,
        )
    try:
        gtin = normalise_gtin(given.scanned_gtin)
    except InvalidIdentifier as err:
        return failed(
            name,
            "gtin_invalid",
            f"Barcode {given.scanned_gtin} is not a valid GTIN: {err}",
            f"条码 {given.scanned_gtin} 不是有效的GTIN：{err}",
            measured=given.scanned_gtin,
            expected=expected,
        )
    if gtin not in given.listing_gtins:
        return failed(
            name,
            "gtin_not_on_listing",
            f"GTIN {gtin} is not a code of listing {given.listing_id} ({expected})",
            f"GTIN {gtin} 不属于商品 {given.listing_id}（{expected}）",
            measured=gtin,
            expected=expected,
        )
    return passed(
        name,
        f"GTIN {gtin} belongs to listing {given.listing_id}",
        f"GTIN {gtin} 属于商品 {given.listing_id}",
        measured=gtin,
        expected=expected,
    )


@dataclass(frozen=True)
class SerialExpiryInput:
    requires_serial: bool
    requires_expiry: bool
    serial: str | None
    expiry: date | None
    on: date
    min_shelf_life_days: int
    # Earlier inspections (ids) of the same GTIN that carried the same serial.
    earlier_with_serial: tuple[str, ...] = ()
    skipped_reason: str | None = None


def check_serial_expiry(given: SerialExpiryInput) -> Finding:
    """No duplicate serial, not expired, enough shelf life left, codes present when required."""
    name = "serial_expiry"
    problems = _serial_problems(given) + _expiry_problems(given)
    measured = f"serial {given.serial or '-'}, expiry {given.expiry or '-'}"
    expected = _expected_text(given)
    if not problems:
        if not (given.requires_serial or given.requires_expiry or given.serial or given.expiry):
            return not_applicable(
                name,
                "Listing needs no serial or expiry date and none was scanned",
                "该商品无需序列号或有效期，且未扫描到",
            )
        return passed(
            name,
            f"Serial and expiry in order ({measured})",
            f"序列号和有效期正常（{measured}）",
            measured=measured,
            expected=expected,
        )
    fails = [p for p in problems if p[0] == Outcome.FAIL]
    chosen = fails or problems
    worst = most_serious([defect(code) for _, code, _, _ in chosen])
    outcome, code, en, zh = next(p for p in chosen if p[1] == worst.code)
    return Finding(
        name,
        outcome,
        Text("; ".join(p[2] for p in problems), "；".join(p[3] for p in problems)),
        measured=measured,
        expected=expected,
        defect=worst,
        details={"problems": [p[1] for p in problems]},
    )


Problem = tuple[Outcome, str, str, str]


def _serial_problems(given: SerialExpiryInput) -> list[Problem]:
    if given.serial and given.earlier_with_serial:
        seen = ", ".join(given.earlier_with_serial[:3])
        return [
            (
                Outcome.FAIL,
                "serial_duplicate",
                f"Serial {given.serial} was already seen on inspection {seen}",
                f"序列号 {given.serial} 已在检验 {seen} 中出现过",
            )
        ]
    if given.requires_serial and not given.serial:
        if given.skipped_reason:
            return [
                (
                    Outcome.REVIEW,
                    "serial_missing",
                    f"Serial not scanned ({given.skipped_reason})",
                    f"未扫描序列号（{given.skipped_reason}）",
                )
            ]
        return [(Outcome.FAIL, "serial_missing", "No serial number on the unit", "商品没有序列号")]
    return []


def _expiry_problems(given: SerialExpiryInput) -> list[Problem]:
    if given.expiry is None:
        if given.requires_expiry:
            why = given.skipped_reason or "no dated code scanned"
            return [
                (
                    Outcome.REVIEW,
                    "expiry_missing",
                    f"Expiry date not read ({why}): check the printed date",
                    f"未读取到有效期（{why}）：请核对印刷日期",
                )
            ]
        return []
    left = (given.expiry - given.on).days
    if left < 0:
        return [
            (
                Outcome.FAIL,
                "expired",
                f"Expired on {given.expiry.isoformat()} ({-left} days ago)",
                f"已于 {given.expiry.isoformat()} 过期（{-left} 天前）",
            )
        ]
    if left < given.min_shelf_life_days:
        return [
            (
                Outcome.FAIL,
                "shelf_life_short",
                f"Only {left} days of shelf life left; the category needs "
                f"{given.min_shelf_life_days}",
                f"剩余保质期仅 {left} 天；类目要求至少 {given.min_shelf_life_days} 天",
            )
        ]
    return []


def _expected_text(given: SerialExpiryInput) -> str:
    parts = []
    if given.requires_serial:
        parts.append("a serial never seen before")
    parts.append(f"at least {given.min_shelf_life_days} days before expiry")
    return ", ".join(parts)


@dataclass(frozen=True)
class QuantityInput:
    expected: int
    counted: int
    short_tolerance_pct: float
    over_tolerance_pct: float


def check_quantity(given: QuantityInput) -> Finding:
    """The counted quantity of a lot against its ASN line, with the category's tolerance."""
    name = "quantity"
    diff = given.counted - given.expected
    measured, expected = str(given.counted), str(given.expected)
    limit_pct = given.over_tolerance_pct if diff > 0 else given.short_tolerance_pct
    allowed = given.expected * limit_pct / 100
    if abs(diff) <= allowed:
        return passed(
            name,
            f"Counted {given.counted} of {given.expected} announced",
            f"清点 {given.counted} 件，预报 {given.expected} 件",
            measured=measured,
            expected=expected,
        )
    if diff < 0:
        return failed(
            name,
            "quantity_short",
            f"Short by {-diff}: counted {given.counted}, ASN says {given.expected}",
            f"短少 {-diff} 件：清点 {given.counted} 件，预报 {given.expected} 件",
            measured=measured,
            expected=expected,
        )
    return failed(
        name,
        "quantity_over",
        f"Over by {diff}: counted {given.counted}, ASN says {given.expected}",
        f"多出 {diff} 件：清点 {given.counted} 件，预报 {given.expected} 件",
        measured=measured,
        expected=expected,
    )


@dataclass(frozen=True)
class WeightInput:
    measured_mg: int | None
    expected_mg: int
    tolerance_mg: int  # the listing's; 0 = use the category's percentage
    default_tolerance_pct: float
    waived_by: str | None = None
    skipped_reason: str | None = None


def grams(mg: int) -> str:
    return f"{mg / 1000:.1f} g"


def check_weight(given: WeightInput) -> Finding:
    """The stable weight lies within the listing's weight plus or minus its tolerance."""
    name = "weight"
    tolerance = given.tolerance_mg or round(given.expected_mg * given.default_tolerance_pct / 100)
    expected = f"{grams(given.expected_mg)} ± {grams(tolerance)}"
    if given.measured_mg is None:
        why = (
            f"scale down, supervisor {given.waived_by} allowed going on"
            if given.waived_by
            else given.skipped_reason or "no stable weight"
        )
        return unsure(
            name,
            "weight_out_of_tolerance",
            f"Not weighed ({why})",
            f"未称重（{why}）",
            expected=expected,
        )
    measured = grams(given.measured_mg)
    off = given.measured_mg - given.expected_mg
    if abs(off) <= tolerance:
        return passed(
            name,
            f"Weighs {measured}, within {expected}",
            f"重量 {measured}，在 {expected} 之内",
            measured=measured,
            expected=expected,
        )
    word, word_zh = ("heavy", "超重") if off > 0 else ("light", "不足")
    return failed(
        name,
        "weight_out_of_tolerance",
        f"Weighs {measured}: {grams(abs(off))} too {word} (listing {expected})",
        f"重量 {measured}：{word_zh} {grams(abs(off))}（商品要求 {expected}）",
        measured=measured,
        expected=expected,
        details={"off_mg": off},
    )


@dataclass(frozen=True)
class ChecklistInput:
    questions: tuple[Question, ...]
    answers: dict[str, str]
    skipped: dict[str, str] = field(default_factory=dict)  # question id -> reason
    damaged: bool = False


def check_checklist(given: ChecklistInput) -> Finding:
    """Every checklist answer is the good one; the operator's DAMAGED command counts too."""
    name = "checklist"
    failing = [q for q in given.questions if given.answers.get(q.id) == q.fail_on]
    defects = [defect(q.defect) for q in failing]
    if given.damaged:
        defects.append(defect("product_damaged"))
    open_ = [q for q in given.questions if q.id not in given.answers]
    answered = f"{len(given.questions) - len(open_)} of {len(given.questions)} answered"
    if defects:
        worst = most_serious(defects)
        en = "; ".join(d.en for d in defects)
        zh = "；".join(d.zh for d in defects)
        return Finding(
            name,
            Outcome.FAIL,
            Text(en, zh),
            measured=answered,
            defect=worst,
            details={"failing": [q.id for q in failing], "damaged": given.damaged},
        )
    if open_:
        reasons = ", ".join(f"{q.id} ({given.skipped.get(q.id, 'no answer')})" for q in open_)
        return unsure(
            name, None, f"Not answered: {reasons}", f"未回答：{reasons}", measured=answered
        )
    if not given.questions:
        return not_applicable(name, "No checklist for this category", "该类目无检查清单")
    return passed(name, f"All {answered}, no defect", f"全部 {answered}，无缺陷", measured=answered)
