"""All checks of one unit, in the rule set's order. Pure: facts in, findings out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from station.checks.facts import (
    AuthorisationFacts,
    BrandFacts,
    ListingFacts,
    MerchantFacts,
    ParcelFacts,
    UnitFacts,
)
from station.checks.findings import Finding, not_applicable
from station.checks.reference import (
    BrandInput,
    ScopeInput,
    check_brand,
    check_category_scope,
    check_merchant,
    check_traceability,
)
from station.checks.rules import CHECK_NAMES, RuleSet
from station.checks.unit import (
    ChecklistInput,
    IdentityInput,
    SerialExpiryInput,
    WeightInput,
    check_checklist,
    check_identity,
    check_serial_expiry,
    check_weight,
)
from station.checks.vision import (
    BrandMarkInput,
    BrandMarkLike,
    MatchLike,
    VisualInput,
    check_brand_mark,
    check_visual_match,
)

# Quantity is a check of the lot (counted vs ASN), made when the lot is counted.
LOT_CHECKS = ("quantity",)
UNIT_CHECKS = tuple(c for c in CHECK_NAMES if c not in LOT_CHECKS)


@dataclass(frozen=True)
class UnitContext:
    on: date  # the inspection date at the warehouse
    parcel: ParcelFacts
    merchant: MerchantFacts
    listing: ListingFacts
    brand: BrandFacts
    authorisations: dict[str, AuthorisationFacts]
    unit: UnitFacts
    earlier_with_serial: tuple[str, ...] = ()
    match: MatchLike | None = None
    match_missing: str | None = "listing match not installed"
    brand_mark: BrandMarkLike | None = None
    brand_mark_missing: str | None = "brand mark detection not installed"


def evaluate_unit(ctx: UnitContext, rules: RuleSet) -> list[Finding]:
    """One finding per unit check; checks the rule set leaves out are not applicable."""
    findings = []
    for name in UNIT_CHECKS:
        if rules.applies(name):
            findings.append(_RUNNERS[name](ctx, rules))
        else:
            findings.append(
                not_applicable(
                    name,
                    f"Not part of the {rules.name} rule set",
                    f"不属于 {rules.name} 规则集",
                )
            )
    return findings


def _skip(ctx: UnitContext, step: str) -> str | None:
    return ctx.unit.skipped.get(step)


def _photo_skip(ctx: UnitContext) -> str | None:
    reasons = [f"{k}: {v}" for k, v in ctx.unit.skipped.items() if k.startswith("photo:")]
    return "skipped " + ", ".join(reasons) if reasons else None


def _traceability(ctx: UnitContext, _rules: RuleSet) -> Finding:
    return check_traceability(ctx.parcel)


def _merchant(ctx: UnitContext, _rules: RuleSet) -> Finding:
    return check_merchant(ctx.merchant)


def _category(ctx: UnitContext, _rules: RuleSet) -> Finding:
    return check_category_scope(ScopeInput(ctx.merchant, ctx.listing.category_path, ctx.on))


def _brand(ctx: UnitContext, _rules: RuleSet) -> Finding:
    return check_brand(
        BrandInput(
            brand=ctx.brand,
            merchant_id=ctx.merchant.id,
            category_path=ctx.listing.category_path,
            on=ctx.on,
            authorisations=ctx.authorisations,
        )
    )


def _identity(ctx: UnitContext, _rules: RuleSet) -> Finding:
    return check_identity(
        IdentityInput(ctx.unit.gtin, ctx.listing.id, ctx.listing.gtins, _skip(ctx, "scan"))
    )


def _serial_expiry(ctx: UnitContext, rules: RuleSet) -> Finding:
    return check_serial_expiry(
        SerialExpiryInput(
            requires_serial=ctx.listing.requires_serial,
            requires_expiry=ctx.listing.requires_expiry,
            serial=ctx.unit.serial,
            expiry=ctx.unit.expiry,
            on=ctx.on,
            min_shelf_life_days=rules.shelf_life.min_days,
            earlier_with_serial=ctx.earlier_with_serial,
            skipped_reason=_skip(ctx, "serial") or _skip(ctx, "expiry"),
        )
    )


def _weight(ctx: UnitContext, rules: RuleSet) -> Finding:
    return check_weight(
        WeightInput(
            measured_mg=ctx.unit.weight_mg,
            expected_mg=ctx.listing.unit_weight_mg,
            tolerance_mg=ctx.listing.weight_tolerance_mg,
            default_tolerance_pct=rules.weight.default_tolerance_pct,
            waived_by=ctx.unit.waived.get("scale"),
            skipped_reason=_skip(ctx, "weight"),
        )
    )


def _visual(ctx: UnitContext, _rules: RuleSet) -> Finding:
    waived = ctx.unit.waived.get("camera")
    missing = _photo_skip(ctx) or (f"camera down, allowed by {waived}" if waived else None)
    return check_visual_match(
        VisualInput(
            listing_id=ctx.listing.id,
            decision=ctx.match,
            missing_because=missing or ctx.match_missing,
            photos_waived=waived is not None,
            photo_problems=ctx.unit.photo_problems,
        )
    )


def _brand_mark(ctx: UnitContext, rules: RuleSet) -> Finding:
    waived = ctx.unit.waived.get("camera")
    missing = _photo_skip(ctx) or (f"camera down, allowed by {waived}" if waived else None)
    return check_brand_mark(
        BrandMarkInput(
            brand_name=ctx.brand.name,
            required=rules.brand_mark.required,
            decision=ctx.brand_mark,
            missing_because=missing or ctx.brand_mark_missing,
            photos_waived=waived is not None,
        )
    )


def _checklist(ctx: UnitContext, rules: RuleSet) -> Finding:
    skipped = {k.removeprefix("question:"): v for k, v in ctx.unit.skipped.items()}
    return check_checklist(
        ChecklistInput(rules.questions, ctx.unit.answers, skipped, ctx.unit.damaged)
    )


_RUNNERS = {
    "traceability": _traceability,
    "merchant": _merchant,
    "category_scope": _category,
    "brand": _brand,
    "identity": _identity,
    "serial_expiry": _serial_expiry,
    "weight": _weight,
    "visual_match": _visual,
    "brand_mark": _brand_mark,
    "checklist": _checklist,
}
