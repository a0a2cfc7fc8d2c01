"""Table tests: traceability, merchant, category scope, brand and authorisation chains."""

from __future__ import annotations

from datetime import date

import pytest

from station.checks.facts import (
    AuthorisationFacts,
    BrandFacts,
    MerchantFacts,
    PaidCategory,
    ParcelFacts,
)
from station.checks.reference import (
    BrandInput,
    ScopeInput,
    check_brand,
    check_category_scope,
    check_merchant,
    check_traceability,
)

ON = date(2026, 6, 1)
USCC = "91330100TB2B96H4KG"  # valid sample code


@pytest.mark.parametrize(
    ("parcel", "outcome", "code"),
    [
        (
            ParcelFacts("EE858176250CN", "s10", True, shipment_id="A", s10_id="EE858176250CN"),
            "pass",
            None,
        ),
        (
            ParcelFacts("SF1", "tracking", True, shipment_id="A", tracking_number="SF1"),
            "pass",
            None,
        ),
        (
            ParcelFacts("ASN-9", "shipment_qr", True, shipment_id="ASN-9"),
            "fail",
            "untraceable_parcel",
        ),
        (
            ParcelFacts("EE858176251CN", "s10", False, "check digit 0 expected, got 1"),
            "fail",
            "untraceable_parcel",
        ),
        (ParcelFacts("SF404", "tracking", True), "fail", "unknown_parcel"),
    ],
)
def test_traceability(parcel, outcome, code):
    finding = check_traceability(parcel)
    assert finding.outcome.value == outcome
    assert (finding.defect.code if finding.defect else None) == code
    assert finding.reason.en and finding.reason.zh


def merchant(**changes) -> MerchantFacts:
    base = dict(
        id="M1",
        kind="enterprise",
        enterprise_id=USCC,
        status="active",
        country="CN",
        legal_name="Jade River Trading",
        paid=(),
    )
    return MerchantFacts(**{**base, **changes})


@pytest.mark.parametrize(
    ("facts", "outcome", "code"),
    [
        (merchant(), "pass", None),
        (merchant(kind="individual", enterprise_id=None), "fail", "merchant_not_enterprise"),
        (merchant(enterprise_id="91330100TB2B96H4KX"), "fail", "merchant_not_enterprise"),
        (merchant(status="suspended"), "fail", "merchant_suspended"),
        (merchant(status="closed"), "fail", "merchant_closed"),
        (merchant(country="DE", enterprise_id="HRB 12345"), "pass", None),
    ],
)
def test_merchant(facts, outcome, code):
    finding = check_merchant(facts)
    assert finding.outcome.value == outcome
    assert (finding.defect.code if finding.defect else None) == code


PATH = ("FOOD-TEA", "FOOD")


@pytest.mark.parametrize(
    ("paid", "on", "outcome"),
    [
        ((PaidCategory("FOOD-TEA", date(2026, 1, 1), date(2026, 12, 31)),), ON, "pass"),
        ((PaidCategory("FOOD", date(2026, 1, 1), None),), ON, "pass"),  # the scope covers children
        (
            (PaidCategory("FOOD-TEA", date(2026, 1, 1), date(2026, 12, 31)),),
            date(2026, 12, 31),
            "pass",
        ),
        (
            (PaidCategory("FOOD-TEA", date(2026, 1, 1), date(2026, 12, 31)),),
            date(2027, 1, 1),
            "fail",
        ),
        ((PaidCategory("FOOD-TEA", date(2026, 7, 1), None),), ON, "fail"),  # not yet paid
        ((PaidCategory("FOOD-SNACK", date(2026, 1, 1), None),), ON, "fail"),  # a sibling
        ((), ON, "fail"),
    ],
)
def test_category_scope_with_dates(paid, on, outcome):
    finding = check_category_scope(ScopeInput(merchant(paid=paid), PATH, on))
    assert finding.outcome.value == outcome
    if outcome == "fail":
        assert (
            finding.defect.code == "category_not_paid" and finding.defect.defect_class == "critical"
        )


BRAND = BrandFacts("B1", "Lumora Tea", "registered", date(2033, 12, 31))


def auth(
    id_,
    merchant_id,
    parent=None,
    start=date(2024, 1, 1),
    end=date(2028, 12, 31),
    status="active",
    categories=("FOOD-TEA",),
    brand="B1",
) -> AuthorisationFacts:
    return AuthorisationFacts(id_, brand, merchant_id, parent, start, end, status, categories)


def brand_input(*auths, brand=BRAND, on=ON) -> BrandInput:
    return BrandInput(brand, "M1", PATH, on, {a.id: a for a in auths})


@pytest.mark.parametrize(
    ("given", "outcome", "code"),
    [
        (brand_input(auth("A1", "M1")), "pass", None),
        (brand_input(auth("A1", "M1", categories=("FOOD",))), "pass", None),
        (brand_input(), "fail", "brand_not_authorised"),
        (brand_input(auth("A9", "M9")), "fail", "brand_not_authorised"),  # someone else's
        (brand_input(auth("A1", "M1", end=date(2025, 6, 30))), "fail", "authorisation_expired"),
        (brand_input(auth("A1", "M1", start=date(2026, 7, 1))), "fail", "authorisation_expired"),
        (
            brand_input(auth("A1", "M1", categories=("FOOD-SNACK",))),
            "fail",
            "authorisation_wrong_category",
        ),
        (brand_input(auth("A1", "M1", status="revoked")), "fail", "brand_not_authorised"),
        # owner -> distributor D -> merchant: the chain holds
        (brand_input(auth("A1", "M1", parent="AD"), auth("AD", "D")), "pass", None),
        # the distributor's own authorisation ran out: the merchant's falls with it
        (
            brand_input(auth("A1", "M1", parent="AD"), auth("AD", "D", end=date(2026, 1, 1))),
            "fail",
            "authorisation_expired",
        ),
        # the distributor may not sell this category
        (
            brand_input(auth("A1", "M1", parent="AD"), auth("AD", "D", categories=("FOOD-SNACK",))),
            "fail",
            "authorisation_wrong_category",
        ),
        # a chain naming a parent that does not exist
        (brand_input(auth("A1", "M1", parent="GONE")), "fail", "brand_not_authorised"),
        # a chain that loops
        (
            brand_input(auth("A1", "M1", parent="A2"), auth("A2", "D", parent="A1")),
            "fail",
            "brand_not_authorised",
        ),
        # one bad and one good authorisation: the good one counts
        (brand_input(auth("A0", "M1", end=date(2025, 1, 1)), auth("A1", "M1")), "pass", None),
        (
            brand_input(auth("A1", "M1"), brand=BrandFacts("B1", "X", "revoked", None)),
            "fail",
            "brand_unregistered",
        ),
        (
            brand_input(
                auth("A1", "M1"), brand=BrandFacts("B1", "X", "registered", date(2026, 1, 1))
            ),
            "fail",
            "brand_unregistered",
        ),
        (
            brand_input(auth("A1", "M1"), brand=BrandFacts("B1", "X", "pending", None)),
            "review",
            "brand_unregistered",
        ),
    ],
)
def test_brand_and_authorisation_chain(given, outcome, code):
    finding = check_brand(given)
    assert finding.outcome.value == outcome, finding.reason.en
    assert (finding.defect.code if finding.defect else None) == code
