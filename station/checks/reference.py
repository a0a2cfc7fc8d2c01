"""Checks against the reference data: traceability, merchant, category scope, brand."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from station.checks.facts import (
    AuthorisationFacts,
    BrandFacts,
    MerchantFacts,
    PaidCategory,
    ParcelFacts,
)
from station.checks.findings import Finding, failed, passed, unsure
from station.identifiers.enterprise import validate_uscc
from station.identifiers.errors import InvalidIdentifier


def check_traceability(parcel: ParcelFacts) -> Finding:
    """The parcel carries a valid tracking id that leads to an ASN with a tracking or S10 id."""
    name = "traceability"
    if not parcel.valid:
        why = parcel.invalid_reason or "not a tracking number, S10 id or shipment code"
        return failed(
            name,
            "untraceable_parcel",
            f"Parcel label {parcel.scanned!r} cannot be read as a tracking id: {why}",
            f"包裹标签 {parcel.scanned!r} 无法识别为运单号：{why}",
            measured=parcel.scanned,
        )
    if parcel.shipment_id is None:
        return failed(
            name,
            "unknown_parcel",
            f"No advance shipping notice has {parcel.scanned}",
            f"没有任何预先发货通知包含 {parcel.scanned}",
            measured=parcel.scanned,
        )
    trace = parcel.tracking_number or parcel.s10_id
    if not trace:
        return failed(
            name,
            "untraceable_parcel",
            f"ASN {parcel.shipment_id} has no tracking number or S10 id: parcel untraceable",
            f"预先发货通知 {parcel.shipment_id} 没有运单号或S10编号：包裹无法追溯",
            measured=parcel.scanned,
            expected="tracking number or S10 id on the ASN",
        )
    return passed(
        name,
        f"Parcel {parcel.scanned} traced to ASN {parcel.shipment_id} ({trace})",
        f"包裹 {parcel.scanned} 已追溯到预先发货通知 {parcel.shipment_id}（{trace}）",
        measured=parcel.scanned,
        expected=trace,
    )


def check_merchant(merchant: MerchantFacts) -> Finding:
    """The merchant is a registered enterprise and active."""
    name = "merchant"
    if merchant.kind != "enterprise" or not merchant.enterprise_id:
        return failed(
            name,
            "merchant_not_enterprise",
            f"Merchant {merchant.id} ({merchant.legal_name}) is not a registered enterprise",
            f"商家 {merchant.id}（{merchant.legal_name}）不是注册企业",
            measured=merchant.kind,
            expected="enterprise",
        )
    if merchant.country == "CN":
        try:
            validate_uscc(merchant.enterprise_id)
        except InvalidIdentifier as err:
            return failed(
                name,
                "merchant_not_enterprise",
                f"Merchant {merchant.id}: enterprise id is not valid ({err})",
                f"商家 {merchant.id}：统一社会信用代码无效（{err}）",
                measured=merchant.enterprise_id,
            )
    if merchant.status != "active":
        code = "merchant_closed" if merchant.status == "closed" else "merchant_suspended"
        zh_status = "已关闭" if merchant.status == "closed" else "已被暂停"
        return failed(
            name,
            code,
            f"Merchant {merchant.id} ({merchant.legal_name}) is {merchant.status}",
            f"商家 {merchant.id}（{merchant.legal_name}）{zh_status}",
            measured=merchant.status,
            expected="active",
        )
    return passed(
        name,
        f"Merchant {merchant.id} is an active enterprise ({merchant.enterprise_id})",
        f"商家 {merchant.id} 为正常经营的企业（{merchant.enterprise_id}）",
        measured=merchant.status,
        expected="active",
    )


def _covers(entry_from: date, entry_until: date | None, on: date) -> bool:
    return entry_from <= on and (entry_until is None or on <= entry_until)


def _period(start: date, end: date | None) -> str:
    return f"{start.isoformat()} to {end.isoformat() if end else 'open end'}"


@dataclass(frozen=True)
class ScopeInput:
    merchant: MerchantFacts
    category_path: tuple[str, ...]  # the listing's category, then its ancestors
    on: date


def check_category_scope(scope: ScopeInput) -> Finding:
    """The merchant paid for the listing's category (or a parent of it) on the inspection date."""
    name = "category_scope"
    category = scope.category_path[0]
    relevant: list[PaidCategory] = [
        p for p in scope.merchant.paid if p.category_id in scope.category_path
    ]
    for paid in relevant:
        if _covers(paid.paid_from, paid.paid_until, scope.on):
            return passed(
                name,
                f"Paid for {paid.category_id} ({_period(paid.paid_from, paid.paid_until)})",
                f"已缴纳类目 {paid.category_id} 费用（{_period(paid.paid_from, paid.paid_until)}）",
                measured=paid.category_id,
                expected=category,
            )
    if relevant:
        periods = ", ".join(
            f"{p.category_id} {_period(p.paid_from, p.paid_until)}" for p in relevant
        )
        return failed(
            name,
            "category_not_paid",
            f"Merchant {scope.merchant.id} paid for {periods}; not on {scope.on.isoformat()}",
            f"商家 {scope.merchant.id} 的类目缴费期为 {periods}，不包含 {scope.on.isoformat()}",
            measured=periods,
            expected=f"{category} on {scope.on.isoformat()}",
        )
    paid_ids = ", ".join(p.category_id for p in scope.merchant.paid) or "none"
    return failed(
        name,
        "category_not_paid",
        f"Merchant {scope.merchant.id} has not paid for {category} (paid: {paid_ids})",
        f"商家 {scope.merchant.id} 未缴纳类目 {category} 的费用（已缴：{paid_ids}）",
        measured=paid_ids,
        expected=category,
    )


@dataclass(frozen=True)
class BrandInput:
    brand: BrandFacts
    merchant_id: str
    category_path: tuple[str, ...]
    on: date
    # The merchant's authorisations for this brand and every parent they name.
    authorisations: dict[str, AuthorisationFacts]


def check_brand(given: BrandInput) -> Finding:
    """The brand is registered and the merchant authorised for it, for this category, today."""
    registration = _brand_registration(given.brand, given.on)
    if registration is not None:
        return registration
    own = [
        a
        for a in given.authorisations.values()
        if a.merchant_id == given.merchant_id and a.brand_id == given.brand.id
    ]
    if not own:
        return failed(
            "brand",
            "brand_not_authorised",
            f"Merchant {given.merchant_id} holds no authorisation for brand {given.brand.name}",
            f"商家 {given.merchant_id} 没有品牌 {given.brand.name} 的授权",
            measured="none",
            expected=f"authorisation for {given.brand.id}",
        )
    problems = [(auth, _chain_problem(auth, given)) for auth in sorted(own, key=lambda a: a.id)]
    for auth, problem in problems:
        if problem is None:
            via = _chain_text(auth, given.authorisations)
            return passed(
                "brand",
                f"Brand {given.brand.name} registered; merchant authorised by {via}",
                f"品牌 {given.brand.name} 已注册；商家授权链：{via}",
                measured=auth.id,
                expected=f"valid authorisation on {given.on.isoformat()}",
            )
    auth, (code, en, zh) = min(problems, key=lambda p: _PROBLEM_ORDER.index(p[1][0]))
    return failed("brand", code, en, zh, measured=auth.id, expected=given.on.isoformat())


_PROBLEM_ORDER = ("authorisation_expired", "authorisation_wrong_category", "brand_not_authorised")


def _brand_registration(brand: BrandFacts, on: date) -> Finding | None:
    if brand.status == "pending":
        return unsure(
            "brand",
            "brand_unregistered",
            f"Trademark of {brand.name} is still pending: a supervisor decides",
            f"品牌 {brand.name} 的商标仍在申请中：需主管判定",
            measured=brand.status,
            expected="registered",
        )
    expired = brand.registered_until is not None and brand.registered_until < on
    if brand.status != "registered" or expired:
        state = f"registered until {brand.registered_until}" if expired else brand.status
        return failed(
            "brand",
            "brand_unregistered",
            f"Brand {brand.name} is not a registered trademark ({state})",
            f"品牌 {brand.name} 不是有效注册商标（{state}）",
            measured=state,
            expected="registered",
        )
    return None


def _chain_problem(auth: AuthorisationFacts, given: BrandInput) -> tuple[str, str, str] | None:
    """Why this authorisation (or a link above it) does not hold, or None when it does."""
    seen: set[str] = set()
    link: AuthorisationFacts | None = auth
    while link is not None:
        if link.id in seen:
            return ("brand_not_authorised", f"Authorisation chain {auth.id} loops", "授权链循环")
        seen.add(link.id)
        problem = _link_problem(link, given)
        if problem:
            return problem
        if link.parent_id is None:
            return None
        parent = given.authorisations.get(link.parent_id)
        if parent is None:
            return (
                "brand_not_authorised",
                f"Authorisation {link.id} names {link.parent_id}, which does not exist",
                f"授权 {link.id} 的上级授权 {link.parent_id} 不存在",
            )
        link = parent
    return None


def _link_problem(link: AuthorisationFacts, given: BrandInput) -> tuple[str, str, str] | None:
    if link.status != "active" or link.brand_id != given.brand.id:
        return (
            "brand_not_authorised",
            f"Authorisation {link.id} is {link.status}",
            f"授权 {link.id} 状态为 {link.status}",
        )
    if not _covers(link.valid_from, link.valid_until, given.on):
        period = _period(link.valid_from, link.valid_until)
        return (
            "authorisation_expired",
            f"Authorisation {link.id} is valid {period}, not on {given.on.isoformat()}",
            f"授权 {link.id} 的有效期为 {period}，不包含 {given.on.isoformat()}",
        )
    if not set(link.categories) & set(given.category_path):
        cats = ", ".join(link.categories) or "none"
        return (
            "authorisation_wrong_category",
            f"Authorisation {link.id} covers {cats}, not {given.category_path[0]}",
            f"授权 {link.id} 仅覆盖 {cats}，不含 {given.category_path[0]}",
        )
    return None


def _chain_text(auth: AuthorisationFacts, everything: dict[str, AuthorisationFacts]) -> str:
    names = [auth.id]
    link = auth
    while link.parent_id and link.parent_id in everything and len(names) < 10:
        link = everything[link.parent_id]
        names.append(link.id)
    return " <- ".join(reversed(names))
