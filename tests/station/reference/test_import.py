"""Reference-data import: all or nothing, every problem reported with where it is."""

import json

import pytest
from sqlalchemy import func, select

from station.audit.models import AuditEntry
from station.errors import ImportFailed
from station.reference.importer import KINDS, import_file
from station.reference.models import (
    BrandAuthorisation,
    Listing,
    Merchant,
    Shipment,
)
from tests.station.reference.conftest import gtin13, png, s10, uscc, write_csv, write_json


def _import_all(db, evidence, world):
    return [import_file(db, evidence, kind, world[kind]) for kind in KINDS]


def _count(db, model) -> int:
    with db.session() as session:
        return session.scalar(select(func.count()).select_from(model))


def test_good_files_of_every_kind(db, evidence, world):
    reports = _import_all(db, evidence, world)
    assert [sum(r.counts.values()) for r in reports] == [1, 1, 2, 2, 1, 2, 1, 2]
    assert all(set(r.counts) == {"created"} for r in reports)
    with db.session() as session:
        m1 = session.get(Merchant, "M1")
        assert m1.paid_categories[0].category_id == "FOOD-TEA"
        assert m1.service_indicators == {"rating": 4.8}
        assert session.get(Merchant, "M2").enterprise_id is None
        listing = session.get(Listing, "L1")
        assert listing.unit_weight_mg == 168_500
        assert listing.gtins[0].gtin == "0" + gtin13("690123456789")
        assert [(i.face, i.width, i.height) for i in listing.images] == [
            ("front", 64, 48),
            ("back", 64, 48),
        ]
        assert all(evidence.has(i.sha256) for i in listing.images)
        assert session.get(BrandAuthorisation, "A1").parent.merchant_id == "M2"
        asn2 = session.get(Shipment, "ASN2")
        assert [(x.line_no, x.quantity) for x in asn2.lines] == [(1, 5), (2, 7)]
        assert session.get(Shipment, "ASN1").s10_id == s10()
        assert session.scalar(select(func.count()).select_from(AuditEntry)) == len(KINDS)


def test_second_import_changes_nothing(db, evidence, world):
    _import_all(db, evidence, world)
    with db.session() as session:
        stamp = session.get(Listing, "L1").updated_at
    again = _import_all(db, evidence, world)
    assert all(set(r.counts) == {"unchanged"} for r in again)
    with db.session() as session:
        assert session.get(Listing, "L1").updated_at == stamp


def test_changed_record_is_updated(db, evidence, world, clock):
    _import_all(db, evidence, world)
    rows = json.loads(world["listings"].read_text())
    rows[0]["weight_tolerance_g"] = 7
    rows[0]["gtins"].append(gtin13("690123456790"))
    clock.advance(60)
    report = import_file(db, evidence, "listings", write_json(world["listings"], rows))
    assert report.counts == {"updated": 1}
    with db.session() as session:
        listing = session.get(Listing, "L1")
        assert listing.weight_tolerance_mg == 7000 and len(listing.gtins) == 2
        assert listing.updated_at == clock.now()


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            {"gtins": ["6901234567893"]},
            "item 2 (line 27), field gtins[0]: GTIN 6901234567893: check digit 2 expected, got 3",
        ),
        ({"unit_weight_g": "heavy"}, "field unit_weight_g: expected a weight in grams"),
        ({"unit_weight_g": "1.0005"}, "finer than a milligram"),
        ({"colour": "red"}, "field colour: not a field of this kind of record"),
        ({"title": None}, "field title: required but missing"),
        ({"merchant_id": "M404"}, "field merchant_id: merchant M404 does not exist"),
        (
            {"images": [{"face": "front", "file": "img/missing.png"}]},
            "img/missing.png does not exist",
        ),
        ({"price_minor": 100, "currency": None}, "price_minor and currency go together"),
        ({"id": "bad id!"}, "field id: 'bad id!' is not an id"),
    ],
)
def test_bad_listing_rows_are_reported_and_nothing_is_written(
    db, evidence, world, change, expected
):
    for kind in KINDS[:6]:
        import_file(db, evidence, kind, world[kind])
    good = json.loads(world["listings"].read_text())[0]
    bad = {**good, "id": "L2", **change}
    if change.get("title", "") is None:
        del bad["title"]
    path = write_json(world["dir"] / "mixed.json", [good, bad])
    with pytest.raises(ImportFailed) as err:
        import_file(db, evidence, "listings", path)
    assert any(expected in p for p in err.value.problems), err.value.problems
    assert _count(db, Listing) == 0, "a file with an error must change nothing"


def test_all_problems_reported_at_once(db, evidence, world):
    import_file(db, evidence, "categories", world["categories"])
    path = write_csv(
        world["dir"] / "merchants.csv",
        [
            {"id": "M1", "enterprise_id": uscc()[:-1] + "0", "legal_name": "A", "status": "active"},
            {"id": "M2", "enterprise_id": uscc(), "legal_name": "B", "status": "sleeping"},
            {"id": "M3", "kind": "enterprise", "legal_name": "C"},
            {"id": "M1", "enterprise_id": uscc(), "legal_name": "D"},
            {
                "id": "M5",
                "enterprise_id": uscc(),
                "legal_name": "E",
                "paid_categories": "NOPE",
                "paid_from": "2026-01-01",
            },
        ],
    )
    with pytest.raises(ImportFailed) as err:
        import_file(db, evidence, "merchants", path)
    problems = "\n".join(err.value.problems)
    assert "line 2, field enterprise_id: unified social credit code" in problems
    assert "check character" in problems
    assert "line 3, field status:" in problems and "'active', 'suspended' or 'closed'" in problems
    assert "line 4, field (record): an enterprise needs an enterprise_id" in problems
    assert "line 5, field id: M1 already given on line 2" in problems
    assert "line 6, field paid_categories[0].category_id: category NOPE does not exist" in problems
    assert _count(db, Merchant) == 0


def test_shipment_identifiers_and_ownership(db, evidence, world):
    for kind in KINDS[:7]:
        import_file(db, evidence, kind, world[kind])
    bad_s10 = s10()[:10] + str((int(s10()[10]) + 1) % 10) + "CN"
    path = write_csv(
        world["dir"] / "asn.csv",
        [
            {
                "id": "ASN9",
                "merchant_id": "M1",
                "warehouse_id": "WH1",
                "s10_id": bad_s10,
                "line_no": 1,
                "listing_id": "L1",
                "quantity": 3,
            },
            {
                "id": "ASN8",
                "merchant_id": "M2",
                "warehouse_id": "WH1",
                "s10_id": "",
                "line_no": 1,
                "listing_id": "L1",
                "quantity": 3,
            },
            {
                "id": "ASN7",
                "merchant_id": "M1",
                "warehouse_id": "WH1",
                "tracking_number": "x!",
                "line_no": 1,
                "listing_id": "L1",
                "quantity": 0,
            },
        ],
    )
    with pytest.raises(ImportFailed) as err:
        import_file(db, evidence, "shipments", path)
    problems = "\n".join(err.value.problems)
    assert f"S10 id {bad_s10}: check digit" in problems
    assert "listing L1 belongs to merchant M1, not M2" in problems
    assert "lines[0].quantity" in problems and "tracking_number" in problems
    assert _count(db, Shipment) == 0


def test_authorisation_chain_must_stay_on_one_brand_and_not_loop(db, evidence, world):
    for kind in KINDS[:5]:
        import_file(db, evidence, kind, world[kind])
    write_json(world["dir"] / "b2.json", [{"id": "B2", "name": "Other", "owner_name": "O"}])
    import_file(db, evidence, "brands", world["dir"] / "b2.json")
    path = write_json(
        world["dir"] / "auth.json",
        [
            {
                "id": "X1",
                "brand_id": "B1",
                "merchant_id": "M1",
                "parent_id": "X2",
                "valid_from": "2026-01-01",
            },
            {
                "id": "X2",
                "brand_id": "B1",
                "merchant_id": "M2",
                "parent_id": "X1",
                "valid_from": "2026-01-01",
            },
            {
                "id": "X3",
                "brand_id": "B2",
                "merchant_id": "M1",
                "parent_id": "X1",
                "valid_from": "2026-01-01",
            },
            {
                "id": "X4",
                "brand_id": "B1",
                "merchant_id": "M1",
                "valid_from": "2026-02-01",
                "valid_until": "2026-01-01",
            },
        ],
    )
    with pytest.raises(ImportFailed) as err:
        import_file(db, evidence, "authorisations", path)
    problems = "\n".join(err.value.problems)
    assert "the authorisation chain of X1 loops" in problems
    assert "authorisation X1 is for brand B1, not B2" in problems
    assert "valid_until 2026-01-01 is before valid_from 2026-02-01" in problems


def test_category_cycle_is_refused(db, evidence, world):
    path = write_csv(
        world["dir"] / "cats.csv",
        [{"id": "A", "parent_id": "B", "name": "A"}, {"id": "B", "parent_id": "A", "name": "B"}],
    )
    with pytest.raises(ImportFailed, match="problem"):
        import_file(db, evidence, "categories", path)


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("broken.json", '[{"id": "WH1", "name": "A"},\n {"id": "WH2", "na', "broken JSON"),
        ("object.json", '{"id": "WH1"}', "expected a JSON array"),
        ("numbers.json", "[1, 2]", "every record must be a JSON object"),
        ("lines.ndjson", '{"id": "WH1", "name": "A"}\n{"id": \n', "line 2"),
        ("ragged.csv", "id,name\nWH1,A\nWH2,B,extra\n", "line 3: more cells"),
        ("empty.csv", "", "empty file"),
        ("data.xml", "<x/>", "unknown file type"),
        ("latin1.csv", b"id,name\nWH1,Caf\xe9\n", "not UTF-8"),
    ],
)
def test_broken_files_change_nothing(db, evidence, tmp_path, name, content, expected):
    from station.reference.models import Warehouse

    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    with pytest.raises(ImportFailed) as err:
        import_file(db, evidence, "warehouses", path)
    assert expected in str(err.value)
    assert _count(db, Warehouse) == 0


def test_corrupt_image_is_reported(db, evidence, world):
    for kind in KINDS[:6]:
        import_file(db, evidence, kind, world[kind])
    png(world["dir"] / "img" / "front.png")
    data = (world["dir"] / "img" / "front.png").read_bytes()
    (world["dir"] / "img" / "front.png").write_bytes(data[:40])
    with pytest.raises(ImportFailed, match="cannot be decoded"):
        import_file(db, evidence, "listings", world["listings"])
    assert _count(db, Listing) == 0


def test_ndjson_catalog(db, evidence, world, tmp_path):
    for kind in KINDS[:6]:
        import_file(db, evidence, kind, world[kind])
    base = json.loads(world["listings"].read_text())[0]
    del base["images"]
    lines = [
        json.dumps({**base, "id": f"L{n}", "gtins": [gtin13(f"6901234{n:05d}")]})
        for n in range(300)
    ]
    path = tmp_path / "catalog.ndjson"
    path.write_text("\n".join(lines) + "\n")
    assert import_file(db, evidence, "listings", path).counts == {"created": 300}


def test_unknown_kind(db, evidence, world):
    with pytest.raises(ImportFailed, match="unknown kind 'products'"):
        import_file(db, evidence, "products", world["listings"])
