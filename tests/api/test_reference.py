"""Reference data in: PUT with the marketplace's ids, GET, DELETE, ETag/If-Match."""

from __future__ import annotations

from sqlalchemy import func, select

from station.reference.models import Listing, ListingGtin
from tests.api.support import GTIN_A, LISTING, png


def test_put_creates_then_updates_then_changes_nothing(world):
    api = world
    body = {**LISTING, "title": "Lumora jasmine tea 250 g", "gtins": ["0" + GTIN_A]}
    created = api.client.put("/v1/listings/L9", json=body, headers=api.admin)
    assert created.status_code == 201
    assert created.headers["location"] == "/v1/listings/L9"
    item = created.json()
    assert item["gtins"] == ["0" + GTIN_A]  # GTIN-14, as every scan form normalises to
    assert item["unit_weight_g"] == 168 and item["images"] == []
    again = api.client.put("/v1/listings/L9", json=body, headers=api.admin)
    assert again.status_code == 200 and again.headers["etag"] == created.headers["etag"]
    changed = api.client.put(
        "/v1/listings/L9", json={**body, "unit_weight_g": "12.5"}, headers=api.admin
    )
    assert changed.status_code == 200 and changed.json()["unit_weight_g"] == 12.5
    assert changed.headers["etag"] != created.headers["etag"]
    with api.db.session() as session:
        assert session.get(Listing, "L9").unit_weight_mg == 12_500
        assert session.scalar(select(func.count()).select_from(ListingGtin)) == 3


def test_get_with_etag_and_conditional_requests(world):
    api = world
    got = api.client.get("/v1/merchants/M1", headers=api.auth("reference:read"))
    assert got.status_code == 200
    merchant, tag = got.json(), got.headers["etag"]
    assert merchant["paid_categories"][0]["category_id"] == "TEA"
    unchanged = api.client.get(
        "/v1/merchants/M1", headers={**api.auth("reference:read"), "If-None-Match": tag}
    )
    assert unchanged.status_code == 304
    body = {k: merchant[k] for k in ("enterprise_id", "legal_name", "paid_categories")}
    stale = api.client.put(
        "/v1/merchants/M1",
        json={**body, "status": "suspended"},
        headers={**api.admin, "If-Match": '"not-the-current-one"'},
    )
    assert stale.status_code == 412
    assert stale.headers["content-type"] == "application/problem+json"
    assert stale.json()["type"] == "/problems/precondition-failed"
    fresh = api.client.put(
        "/v1/merchants/M1",
        json={**body, "status": "suspended"},
        headers={**api.admin, "If-Match": tag},
    )
    assert fresh.status_code == 200 and fresh.json()["status"] == "suspended"
    create_only = api.client.put(
        "/v1/merchants/M1", json=body, headers={**api.admin, "If-None-Match": "*"}
    )
    assert create_only.status_code == 412


def test_validation_problems_point_at_each_bad_field(world):
    api = world
    body = {**LISTING, "gtins": ["6900000000019"], "merchant_id": "NOPE", "colour": "red"}
    response = api.client.put("/v1/listings/L9", json=body, headers=api.admin)
    assert response.status_code == 422
    problem = response.json()
    assert problem["type"] == "/problems/validation" and problem["status"] == 422
    pointers = {e["pointer"]: e["detail"] for e in problem["errors"]}
    assert "/gtins/0" in pointers and "check digit" in pointers["/gtins/0"]
    assert pointers["/colour"] == "not a field of this kind of record"
    assert "Traceback" not in response.text
    missing = api.client.put(
        "/v1/listings/L9", json=LISTING | {"merchant_id": "NOPE"}, headers=api.admin
    )
    assert missing.status_code == 422
    assert missing.json()["errors"] == [
        {"detail": "merchant NOPE does not exist", "pointer": "/merchant_id"}
    ]
    mismatch = api.client.put("/v1/listings/L9", json={**LISTING, "id": "L8"}, headers=api.admin)
    assert mismatch.status_code == 422 and mismatch.json()["errors"][0]["pointer"] == "/id"
    with api.db.session() as session:
        assert session.get(Listing, "L9") is None


def test_delete_what_nothing_refers_to_and_refuse_the_rest(world):
    api = world
    assert api.client.delete("/v1/merchants/M1", headers=api.admin).status_code == 409
    assert api.client.delete("/v1/shipments/S1", headers=api.admin).status_code == 204
    assert api.client.get("/v1/shipments/S1", headers=api.admin).status_code == 404
    assert api.client.delete("/v1/shipments/S1", headers=api.admin).status_code == 404
    referred = api.client.delete("/v1/categories/FOOD", headers=api.admin)
    assert referred.status_code == 409 and "status instead" in referred.json()["detail"]
    with api.db.session() as session:  # the child category kept its parent
        from station.reference.models import Category

        assert session.get(Category, "TEA").parent_id == "FOOD"


def test_every_kind_round_trips(world):
    api = world
    for path in (
        "warehouses/WH1",
        "stations/ST1",
        "categories/TEA",
        "merchants/M1",
        "brands/B1",
        "brand-authorisations/A1",
        "listings/L1",
        "shipments/S1",
    ):
        response = api.client.get(f"/v1/{path}", headers=api.admin)
        assert response.status_code == 200, path
        assert response.json()["id"] == path.split("/")[1]
    shipment = api.client.get("/v1/shipments/S1", headers=api.admin).json()
    assert shipment["lines"] == [{"line_no": 1, "listing_id": "L1", "quantity": 20}]
    assert api.client.get("/v1/brand-authorisations/A1", headers=api.admin).json()[
        "categories"
    ] == ["TEA"]


def test_listing_images_by_position(world):
    api = world
    front = png(colour=(200, 10, 10))
    put = api.client.put(
        "/v1/listings/L1/images/1?face=front",
        content=front,
        headers={**api.admin, "Content-Type": "image/png"},
    )
    assert put.status_code == 201, put.text
    assert put.json()["width"] == 64 and put.json()["href"] == "/v1/listings/L1/images/1"
    assert api.runtime.evidence.read(put.json()["sha256"]) == front
    listing = api.client.get("/v1/listings/L1", headers=api.admin).json()
    assert [i["face"] for i in listing["images"]] == ["front"]
    got = api.client.get("/v1/listings/L1/images/1", headers=api.admin)
    assert got.content == front and got.headers["content-type"] == "image/png"
    # A later PUT of the listing record leaves its images alone.
    assert api.client.put("/v1/listings/L1", json=LISTING, headers=api.admin).status_code == 200
    assert len(api.client.get("/v1/listings/L1", headers=api.admin).json()["images"]) == 1
    broken = api.client.put(
        "/v1/listings/L1/images/2",
        content=b"\x89PNG\r\n\x1a\nnot really",
        headers={**api.admin, "Content-Type": "image/png"},
    )
    assert broken.status_code == 422 and "cannot be decoded" in broken.json()["detail"]
    text = api.client.put(
        "/v1/listings/L1/images/2",
        content=b"hello",
        headers={**api.admin, "Content-Type": "text/plain"},
    )
    assert text.status_code == 415
    assert api.client.delete("/v1/listings/L1/images/1", headers=api.admin).status_code == 204
    assert api.client.get("/v1/listings/L1/images/1", headers=api.admin).status_code == 404


def test_warehouse_bound_records_follow_the_key(world):
    api = world
    wh1 = api.auth("reference:write", warehouses=["WH1"])
    assert api.client.get("/v1/shipments/S1", headers=wh1).status_code == 200
    assert api.client.get("/v1/shipments/S2", headers=wh1).status_code == 404
    assert api.client.get("/v1/stations/ST2", headers=wh1).status_code == 404
    assert api.client.get("/v1/warehouses/WH2", headers=wh1).status_code == 404
    moved = api.client.put(
        "/v1/stations/ST9", json={"warehouse_id": "WH2", "name": "x"}, headers=wh1
    )
    assert moved.status_code == 403
    assert moved.json()["type"] == "/problems/warehouse-not-allowed"
    assert api.client.get("/v1/merchants/M1", headers=wh1).status_code == 200  # marketplace-wide
