"""Results out: inspections and lots, filtered and paged, with their evidence."""

from __future__ import annotations

from tests.api.support import START


def page_through(api, url: str, headers) -> list[dict]:
    items, pages = [], 0
    while url:
        response = api.client.get(url, headers=headers)
        assert response.status_code == 200, response.text
        body = response.json()
        items += body["items"]
        pages += 1
        link = response.headers.get("link")
        if body["next"]:
            assert link and link.endswith('rel="next"') and body["next"] in link
            url = link[1 : link.index(">")]
        else:
            assert link is None
            url = None
    return items


def test_list_filters_and_pages(results, world):
    api = world
    reader = api.auth("results:read")
    everything = page_through(api, "/v1/inspections?limit=3", reader)
    assert len(everything) == 10
    assert [i["completed_at"] for i in everything] == sorted(i["completed_at"] for i in everything)
    wh1 = page_through(api, "/v1/inspections?warehouse_id=WH1&limit=2", reader)
    assert [i["id"] for i in wh1] == [str(x) for x in results.inspections["WH1"]]
    failed = page_through(api, "/v1/inspections?verdict=fail", reader)
    assert len(failed) == 2 and {i["verdict"] for i in failed} == {"fail"}
    assert {i["merchant_id"] for i in everything} == {"M1"}
    assert len(page_through(api, "/v1/inspections?merchant_id=M9", reader)) == 0
    assert len(page_through(api, "/v1/inspections?listing_id=L2", reader)) == 5
    since = START.replace(minute=20).isoformat().replace("+00:00", "Z")
    later = page_through(api, f"/v1/inspections?completed_since={since}", reader)
    assert len(later) == 6 and min(i["completed_at"] for i in later) >= since
    naive = api.client.get("/v1/inspections?completed_since=2026-03-01T08:20:00", headers=reader)
    assert naive.status_code == 422


def test_cursor_is_bound_to_its_filters(results, world):
    api = world
    reader = api.auth("results:read")
    first = api.client.get("/v1/inspections?warehouse_id=WH1&limit=2", headers=reader).json()
    other = api.client.get(
        f"/v1/inspections?warehouse_id=WH2&after={first['next']}", headers=reader
    )
    assert other.status_code == 400 and other.json()["type"] == "/problems/invalid-cursor"
    forged = api.client.get("/v1/inspections?after=bm90LWEtY3Vyc29y", headers=reader)
    assert forged.status_code == 400
    too_big = api.client.get("/v1/inspections?limit=1001", headers=reader)
    assert too_big.status_code == 422 and too_big.json()["errors"][0]["parameter"] == "limit"


def test_inspection_detail_with_evidence(results, world):
    api = world
    reader = api.auth("results:read")
    failed = results.inspections["WH1"][2]
    detail = api.client.get(f"/v1/inspections/{failed}", headers=reader).json()
    assert detail["verdict"] == "fail" and detail["merchant_id"] == "M1"
    assert [c["check"] for c in detail["checks"]] == ["identity", "weight"]
    assert detail["defects"] == [
        {
            "check": "weight",
            "code": "weight_out_of_tolerance",
            "defect_class": "major",
            "reason": "outside tolerance",
        }
    ]
    assert detail["weights"][0]["value_mg"] == 181_200 and detail["scans"][0]["aim"] == "]E0"
    assert detail["report"] == {
        "href": f"/v1/inspections/{failed}/report.pdf",
        "media_type": "application/pdf",
    }
    photo = api.client.get(detail["photos"][0]["href"], headers=reader)
    assert photo.status_code == 200 and photo.content == results.photos[failed]
    assert photo.headers["content-type"] == "image/png"
    assert api.client.get(detail["photos"][0]["href"]).status_code == 401
    wh2 = api.auth("results:read", warehouses=["WH2"])
    assert api.client.get(f"/v1/inspections/{failed}", headers=wh2).status_code == 404
    assert api.client.get(detail["photos"][0]["href"], headers=wh2).status_code == 404


def test_lots(results, world):
    api = world
    reader = api.auth("results:read")
    lots = page_through(api, "/v1/lots", reader)
    assert {lot["warehouse_id"] for lot in lots} == {"WH1", "WH2"}
    rejected = page_through(api, "/v1/lots?decision=rejected", reader)
    assert [lot["id"] for lot in rejected] == [str(results.lots["WH1"])]
    one = api.client.get(rejected[0]["href"], headers=reader).json()
    assert one["shipment_id"] == "S1" and one["merchant_id"] == "M1"
    wh2 = api.auth("results:read", warehouses=["WH2"])
    assert api.client.get(rejected[0]["href"], headers=wh2).status_code == 404
    assert [lot["warehouse_id"] for lot in page_through(api, "/v1/lots", wh2)] == ["WH2"]
