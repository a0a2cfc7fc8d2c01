"""Builds the sample reference data set (config/sample/) from the catalogue, deterministically.

`inbound-station sample generate --out config/sample` rewrites the committed files;
scenarios.json names which records exercise which check, for the autopilot and tests.
"""

from __future__ import annotations

import csv
import json
import random
from datetime import date
from pathlib import Path
from typing import Any

from station.identifiers import gs1_check_digit, s10_check_digit
from station.identifiers.enterprise import uscc_check_character
from station.sample.catalogue import BRANDS, COMPANY_WORDS, SCOPES, STATIONS, WAREHOUSES

SEED = 2026
OPEN_FROM = date(2024, 1, 1)
EXPIRED_UNTIL = date(2025, 6, 30)
SELLERS = [f"M{n:02d}" for n in range(1, 17)]
DISTRIBUTOR = "M17"
CHAIN_BRANDS = {"B08", "B09", "B13"}
# (brand, merchant) pairs whose authorisation ran out, and pairs authorised for one
# category of the brand only (their listings in the other category fail).
EXPIRED_PAIRS = {("B04", "M08"), ("B10", "M04")}
NARROW_PAIRS = {
    ("B12", "M08"): ["APPAREL-CLOTH"],
    ("B13", "M10"): ["TOOLS-HAND"],
    ("B14", "M12"): ["HEALTH-SUPP"],
}
# Third sellers of some products: who they are says what should go wrong.
EXTRA_SELLERS = [
    ("M19", "suspended_merchant"),
    ("M20", "suspended_merchant"),
    ("M21", "suspended_merchant"),
    ("M22", "closed_merchant"),
    ("M23", "not_an_enterprise"),
    ("M24", "not_an_enterprise"),
    ("M13", "unauthorised_brand"),
    ("M14", "unauthorised_brand"),
    ("M15", "unauthorised_brand"),
    ("M16", "unauthorised_brand"),
    ("M01", "outside_paid_category"),
    ("M02", "outside_paid_category"),
    ("M03", "outside_paid_category"),
    ("M05", "unauthorised_brand"),
    ("M06", "outside_paid_category"),
    ("M07", "unauthorised_brand"),
]


def build(rng: random.Random | None = None) -> dict[str, Any]:
    """Every sample record, plus the scenario index."""
    rng = rng or random.Random(SEED)
    categories = _categories()
    listings, pairs, scenarios = _listings(rng)
    merchants = _merchants(rng, listings, scenarios)
    data = {
        "warehouses": [
            dict(zip(("id", "name", "timezone", "address"), w, strict=True)) for w in WAREHOUSES
        ],
        "stations": [dict(zip(("id", "warehouse_id", "name"), s, strict=True)) for s in STATIONS],
        "categories": categories,
        "merchants": merchants,
        "brands": _brands(),
        "authorisations": _authorisations(pairs),
        "listings": listings,
    }
    data["shipments"] = _shipments(rng, listings, scenarios)
    data["scenarios"] = scenarios
    return data


def _categories() -> list[dict]:
    rows = []
    for scope, name, name_zh, rules, children in SCOPES:
        rows.append(
            {"id": scope, "parent_id": "", "name": name, "name_zh": name_zh, "rules": rules}
        )
        rows += [
            {"id": c, "parent_id": scope, "name": n, "name_zh": z, "rules": ""}
            for c, n, z in children
        ]
    return rows


def _gtin13(rng: random.Random) -> str:
    body = "69" + "".join(str(rng.randint(0, 9)) for _ in range(10))
    return body + str(gs1_check_digit(body))


def _case_gtin(gtin13: str) -> str:
    body = "1" + gtin13[:-1]
    return body + str(gs1_check_digit(body))


def _products() -> list[tuple]:
    """(brand id, brand name, category, product) for every product of the catalogue."""
    rows = []
    for brand, name, _o, _c, _col, _acc, cats, products in BRANDS:
        for p, product in enumerate(products):
            # A brand with two categories puts its last product in the second one.
            category = cats[1] if len(cats) > 1 and p == len(products) - 1 else cats[0]
            rows.append((brand, name, category, product))
    return rows


def _listings(rng: random.Random):
    """Two ordinary sellers per product (84 listings), then 16 third sellers chosen so
    that each one's listing trips one check (see EXTRA_SELLERS): 100 listings."""
    products = _products()
    gtins = {i: _gtin13(rng) for i in range(len(products))}
    listings, pairs, scenarios = [], set(), {}
    sold: dict[str, set[tuple[str, str]]] = {}  # merchant -> {(brand, category)}
    brand_index = {b[0]: k for k, b in enumerate(BRANDS)}
    for i, (brand, _name, category, _product) in enumerate(products):
        k = brand_index[brand]
        for merchant in (SELLERS[(2 * k) % 16], SELLERS[(2 * k + 1) % 16]):
            case = _pair_case(brand, merchant, category)
            listings.append(_listing(len(listings) + 1, merchant, products[i], gtins[i], rng))
            pairs.add((brand, merchant))
            sold.setdefault(merchant, set()).add((brand, category))
            scenarios.setdefault(case, []).append(listings[-1]["id"])
    for n, (merchant, case) in enumerate(EXTRA_SELLERS):
        i = _pick_product(products, sold.get(merchant, set()), case, start=(n * 11) % len(products))
        listings.append(_listing(len(listings) + 1, merchant, products[i], gtins[i], rng))
        if case != "unauthorised_brand":
            pairs.add((products[i][0], merchant))
        scenarios.setdefault(case, []).append(listings[-1]["id"])
    return listings, pairs, scenarios


def _pick_product(products, sold: set[tuple[str, str]], case: str, start: int) -> int:
    brands = {b for b, _ in sold}
    categories = {c for _, c in sold}
    for step in range(len(products)):
        i = (start + step) % len(products)
        brand, _name, category, _product = products[i]
        if case == "unauthorised_brand" and brand in brands:
            continue
        if case == "outside_paid_category" and category in categories:
            continue
        return i
    raise ValueError(f"no product fits {case}")


def _listing(number: int, merchant: str, product: tuple, gtin: str, rng: random.Random) -> dict:
    brand, name, category, (title, variant, colour, grams, tol, serial, expiry) = product
    listing_id = f"L{number:03d}"
    return {
        "id": listing_id,
        "merchant_id": merchant,
        "brand_id": brand,
        "category_id": category,
        "title": f"{name} {title}",
        "gtins": [gtin, _case_gtin(gtin)] if grams > 1000 else [gtin],
        "attributes": {"variant": variant, "colour": colour},
        "unit_weight_g": grams,
        "weight_tolerance_g": tol,
        "requires_serial": serial,
        "requires_expiry": expiry,
        "price_minor": rng.randint(9, 400) * 100,
        "currency": "CNY",
        "images": [
            {"face": f, "file": f"listings/{listing_id}-{f}.png"} for f in ("front", "back")
        ],
    }


def _pair_case(brand: str, merchant: str, category: str) -> str:
    if (brand, merchant) in EXPIRED_PAIRS:
        return "expired_authorisation"
    narrow = NARROW_PAIRS.get((brand, merchant))
    if narrow and category not in narrow:
        return "authorisation_wrong_category"
    return "pass"


def _uscc(rng: random.Random) -> str:
    charset = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    body = "91" + "330100" + "".join(rng.choice(charset) for _ in range(9))
    return body + uscc_check_character(body)


def _merchants(rng: random.Random, listings: list[dict], scenarios: dict) -> list[dict]:
    outside = set(scenarios.get("outside_paid_category", []))
    paid: dict[str, set[str]] = {}
    for listing in listings:
        if listing["id"] not in outside:
            paid.setdefault(listing["merchant_id"], set()).add(listing["category_id"])
    rows = []
    for n in range(1, 25):
        mid = f"M{n:02d}"
        status = {19: "suspended", 20: "suspended", 21: "suspended", 22: "closed"}.get(n, "active")
        individual = n in (23, 24)
        rows.append(
            {
                "id": mid,
                "kind": "individual" if individual else "enterprise",
                "enterprise_id": "" if individual else _uscc(rng),
                "legal_name": f"{COMPANY_WORDS[n - 1]} "
                + ("Store" if individual else "Trading Co., Ltd."),
                "status": status,
                "country": "CN",
                "service_indicators": {
                    "rating": round(rng.uniform(3.8, 5.0), 1),
                    "dispute_rate": round(rng.uniform(0.0, 0.04), 3),
                    "on_time_rate": round(rng.uniform(0.85, 1.0), 2),
                },
                "paid_categories": [
                    {
                        "category_id": c,
                        "paid_from": "2026-01-01",
                        "paid_until": "2030-12-31",
                        "fee_minor": 1_000_000,
                        "currency": "CNY",
                    }
                    for c in sorted(paid.get(mid, set()))
                ],
            }
        )
    return rows


def _brands() -> list[dict]:
    return [
        {
            "id": bid,
            "name": name,
            "trademark_number": f"TM{30_000_000 + 7919 * i}",
            "trademark_office": "CNIPA",
            "owner_name": owner,
            "nice_classes": classes,
            "status": "registered",
            "registered_until": "2033-12-31",
            "logos": [f"logos/{bid}.png"],
        }
        for i, (bid, name, owner, classes, *_rest) in enumerate(BRANDS, start=1)
    ]


def _authorisations(pairs: set[tuple[str, str]]) -> list[dict]:
    cats = {b[0]: b[6] for b in BRANDS}
    rows = []
    for brand in sorted(CHAIN_BRANDS):
        rows.append(_auth(f"A-{brand}-{DISTRIBUTOR}", brand, DISTRIBUTOR, None, cats[brand]))
    for brand, merchant in sorted(pairs):
        parent = f"A-{brand}-{DISTRIBUTOR}" if brand in CHAIN_BRANDS else None
        categories = NARROW_PAIRS.get((brand, merchant), cats[brand])
        row = _auth(f"A-{brand}-{merchant}", brand, merchant, parent, categories)
        if (brand, merchant) in EXPIRED_PAIRS:
            row["valid_from"], row["valid_until"] = "2023-07-01", EXPIRED_UNTIL.isoformat()
        rows.append(row)
    return rows


def _auth(aid, brand, merchant, parent, categories) -> dict:
    return {
        "id": aid,
        "brand_id": brand,
        "merchant_id": merchant,
        "parent_id": parent or "",
        "valid_from": OPEN_FROM.isoformat(),
        "valid_until": "2030-12-31",
        "status": "active",
        "document_ref": f"DOC-{aid}",
        "categories": categories,
    }


def _tracking(rng: random.Random, n: int) -> dict[str, str]:
    if n % 3 == 0:
        serial = "".join(str(rng.randint(0, 9)) for _ in range(8))
        return {"carrier": "China Post EMS", "s10_id": f"EE{serial}{s10_check_digit(serial)}CN"}
    carrier, prefix, digits = [
        ("SF Express", "SF", 13),
        ("YTO Express", "YT", 13),
        ("JD Logistics", "JDV", 12),
    ][(n % 3 + n // 3) % 3]  # all three carriers occur
    number = prefix + "".join(str(rng.randint(0, 9)) for _ in range(digits))
    return {"carrier": carrier, "tracking_number": number}


def _shipments(rng: random.Random, listings: list[dict], scenarios: dict) -> list[dict]:
    by_merchant: dict[str, list[str]] = {}
    for listing in listings:
        by_merchant.setdefault(listing["merchant_id"], []).append(listing["id"])
    merchants = sorted(by_merchant)
    rows = []
    for n in range(1, 35):
        merchant = merchants[(n * 7) % len(merchants)]
        chosen = rng.sample(
            by_merchant[merchant], min(len(by_merchant[merchant]), rng.randint(1, 3))
        )
        traceable = n <= 30
        rows.append(
            {
                "id": f"ASN-{2026_1100 + n}",
                "merchant_id": merchant,
                "warehouse_id": WAREHOUSES[n % 2][0],
                "status": "announced",
                "expected_at": f"2026-12-{1 + n % 20:02d}T09:00:00+08:00",
                **(_tracking(rng, n) if traceable else {"carrier": ""}),
                "lines": [
                    {"line_no": i, "listing_id": lid, "quantity": rng.choice((8, 20, 50, 120, 300))}
                    for i, lid in enumerate(sorted(chosen), start=1)
                ],
            }
        )
        if not traceable:
            scenarios.setdefault("untraceable_parcel", []).append(rows[-1]["id"])
    return rows


def write(data: dict[str, Any], out: Path) -> list[Path]:
    """The sample files: categories and shipments as CSV (to show that form), the rest JSON."""
    out.mkdir(parents=True, exist_ok=True)
    written = [
        _write_csv(
            out / "categories.csv",
            data["categories"],
            ["id", "parent_id", "name", "name_zh", "rules"],
        ),
        _write_shipments_csv(out / "shipments.csv", data["shipments"]),
    ]
    for kind in (
        "warehouses",
        "stations",
        "merchants",
        "brands",
        "authorisations",
        "listings",
        "scenarios",
    ):
        path = out / f"{kind}.json"
        path.write_text(json.dumps(data[kind], ensure_ascii=False, indent=1) + "\n", "utf-8")
        written.append(path)
    return written


def _write_csv(path: Path, rows: list[dict], columns: list[str]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return path


def _write_shipments_csv(path: Path, shipments: list[dict]) -> Path:
    head = [
        "id",
        "merchant_id",
        "warehouse_id",
        "carrier",
        "tracking_number",
        "s10_id",
        "status",
        "expected_at",
    ]
    rows = [{**{k: s.get(k, "") for k in head}, **line} for s in shipments for line in s["lines"]]
    return _write_csv(path, rows, [*head, "line_no", "listing_id", "quantity"])
