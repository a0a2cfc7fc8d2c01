"""Small reference files written by the tests themselves."""

import csv
import json
from pathlib import Path

import cv2
import numpy as np
import pytest

from station.identifiers import gs1_check_digit, s10_check_digit
from station.identifiers.enterprise import uscc_check_character


def gtin13(body12: str) -> str:
    return body12 + str(gs1_check_digit(body12))


def uscc(body17: str = "91330100MA2XY0123") -> str:
    return body17 + uscc_check_character(body17)


def s10(serial: str = "12345678", country: str = "CN") -> str:
    return f"EE{serial}{s10_check_digit(serial)}{country}"


def write_json(path: Path, rows) -> Path:
    path.write_text(json.dumps(rows, ensure_ascii=False, indent=1), "utf-8")
    return path


def write_csv(path: Path, rows: list[dict]) -> Path:
    columns = list(dict.fromkeys(k for row in rows for k in row))
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, columns)
        writer.writeheader()
        writer.writerows(rows)
    return path


def png(path: Path, colour=(40, 120, 200), size=(64, 48)) -> Path:
    image = np.full((size[1], size[0], 3), colour, np.uint8)
    cv2.rectangle(image, (5, 5), (20, 20), (255, 255, 255), -1)
    path.parent.mkdir(parents=True, exist_ok=True)
    cv2.imwrite(str(path), image)
    return path


@pytest.fixture
def world(tmp_path: Path):
    """A consistent little reference data set, one file per kind."""
    d = tmp_path / "ref"
    d.mkdir()
    png(d / "img" / "front.png")
    png(d / "img" / "back.png", colour=(10, 200, 30))
    png(d / "img" / "logo.png", colour=(0, 0, 0))
    return {
        "dir": d,
        "warehouses": write_json(
            d / "warehouses.json", [{"id": "WH1", "name": "Hub 1", "timezone": "Asia/Shanghai"}]
        ),
        "stations": write_json(
            d / "stations.json", [{"id": "S1", "warehouse_id": "WH1", "name": "Bench 1"}]
        ),
        "categories": write_csv(
            d / "categories.csv",
            [
                {"id": "FOOD-TEA", "parent_id": "FOOD", "name": "Tea", "name_zh": "茶叶"},
                {"id": "FOOD", "parent_id": "", "name": "Food", "name_zh": "食品"},
            ],
        ),
        "merchants": write_csv(
            d / "merchants.csv",
            [
                {
                    "id": "M1",
                    "kind": "enterprise",
                    "enterprise_id": uscc(),
                    "legal_name": "Jade River",
                    "status": "active",
                    "paid_categories": "FOOD-TEA",
                    "paid_from": "2026-01-01",
                    "indicator.rating": "4.8",
                },
                {
                    "id": "M2",
                    "kind": "individual",
                    "enterprise_id": "",
                    "legal_name": "Kite Store",
                    "status": "active",
                    "paid_categories": "",
                    "paid_from": "",
                    "indicator.rating": "",
                },
            ],
        ),
        "brands": write_json(
            d / "brands.json",
            [
                {
                    "id": "B1",
                    "name": "Lumora Tea",
                    "owner_name": "Lumora Tea Co.",
                    "nice_classes": [30],
                    "logos": ["img/logo.png"],
                }
            ],
        ),
        "authorisations": write_json(
            d / "authorisations.json",
            [
                {
                    "id": "A0",
                    "brand_id": "B1",
                    "merchant_id": "M2",
                    "valid_from": "2026-01-01",
                    "categories": ["FOOD-TEA"],
                },
                {
                    "id": "A1",
                    "brand_id": "B1",
                    "merchant_id": "M1",
                    "parent_id": "A0",
                    "valid_from": "2026-01-01",
                    "valid_until": "2027-12-31",
                    "categories": ["FOOD-TEA"],
                },
            ],
        ),
        "listings": write_json(
            d / "listings.json",
            [
                {
                    "id": "L1",
                    "merchant_id": "M1",
                    "brand_id": "B1",
                    "category_id": "FOOD-TEA",
                    "title": "Jasmine tea",
                    "gtins": [gtin13("690123456789")],
                    "unit_weight_g": "168.5",
                    "weight_tolerance_g": 5,
                    "requires_expiry": True,
                    "price_minor": 4900,
                    "currency": "CNY",
                    "images": [
                        {"face": "front", "file": "img/front.png"},
                        {"face": "back", "file": "img/back.png"},
                    ],
                },
            ],
        ),
        "shipments": write_csv(
            d / "shipments.csv",
            [
                {
                    "id": "ASN1",
                    "merchant_id": "M1",
                    "warehouse_id": "WH1",
                    "s10_id": s10(),
                    "tracking_number": "",
                    "line_no": 1,
                    "listing_id": "L1",
                    "quantity": 20,
                },
                {
                    "id": "ASN2",
                    "merchant_id": "M1",
                    "warehouse_id": "WH1",
                    "s10_id": "",
                    "tracking_number": "SF1234567890123",
                    "line_no": 1,
                    "listing_id": "L1",
                    "quantity": 5,
                },
                {
                    "id": "ASN2",
                    "merchant_id": "M1",
                    "warehouse_id": "WH1",
                    "s10_id": "",
                    "tracking_number": "SF1234567890123",
                    "line_no": 2,
                    "listing_id": "L1",
                    "quantity": 7,
                },
            ],
        ),
    }
