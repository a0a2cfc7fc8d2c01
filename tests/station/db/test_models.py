"""The domain model round-trips on SQLite and PostgreSQL alike."""

from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError, IntegrityError, StatementError

from station.access.models import ApiKey, Role, User
from station.audit.models import AuditEntry, record
from station.fleet.models import Device, DeviceKind, Station
from station.inspection.models import (
    CheckResult,
    DefectClass,
    Inspection,
    Lot,
    Outcome,
    Override,
    PhotoEvidence,
    ResultEvent,
    ScanEvidence,
    ScanPurpose,
    Verdict,
    WeightEvidence,
)
from station.reference.models import (
    Brand,
    BrandAuthorisation,
    BrandStatus,
    Category,
    Listing,
    ListingGtin,
    ListingStatus,
    Merchant,
    MerchantCategory,
    MerchantKind,
    MerchantStatus,
    Shipment,
    ShipmentLine,
    ShipmentStatus,
    Warehouse,
)


def _reference(session):
    session.add_all(
        [
            Warehouse(id="WH1", name="Hub 1", timezone="Asia/Shanghai"),
            Category(id="FOOD", name="Food"),
            Category(id="FOOD-TEA", parent_id="FOOD", name="Tea", name_zh="茶叶"),
            Merchant(
                id="M1",
                kind=MerchantKind.ENTERPRISE,
                enterprise_id="91350100M000100Y43",
                legal_name="Jade River Trading Co., Ltd.",
                status=MerchantStatus.ACTIVE,
                country="CN",
                service_indicators={"rating": 4.8},
                paid_categories=[
                    MerchantCategory(
                        category_id="FOOD-TEA",
                        paid_from=date(2026, 1, 1),
                        fee_minor=1_000_000,
                        currency="CNY",
                    )
                ],
            ),
            Brand(
                id="B1",
                name="Lumora Tea",
                owner_name="Lumora Tea Co.",
                nice_classes=[30],
                status=BrandStatus.REGISTERED,
            ),
        ]
    )
    session.flush()
    session.add_all(
        [
            BrandAuthorisation(
                id="A1",
                brand_id="B1",
                merchant_id="M1",
                valid_from=date(2026, 1, 1),
                status="active",
            ),
            Listing(
                id="L1",
                merchant_id="M1",
                brand_id="B1",
                category_id="FOOD-TEA",
                title="Tea tin",
                unit_weight_mg=168_000,
                weight_tolerance_mg=5_000,
                status=ListingStatus.ACTIVE,
                price_minor=4_900,
                currency="CNY",
                gtins=[ListingGtin(gtin="06901234567892")],
            ),
            Station(id="S1", warehouse_id="WH1", name="Bench 1"),
        ]
    )
    session.flush()
    session.add(
        Shipment(
            id="ASN1",
            merchant_id="M1",
            warehouse_id="WH1",
            s10_id="RB473124829GB",
            status=ShipmentStatus.ANNOUNCED,
            lines=[ShipmentLine(line_no=1, listing_id="L1", quantity=20)],
        )
    )


def test_reference_round_trip(db):
    with db.transaction() as session:
        _reference(session)
    with db.session() as session:
        merchant = session.get(Merchant, "M1")
        assert merchant.status is MerchantStatus.ACTIVE
        assert merchant.service_indicators == {"rating": 4.8}
        assert merchant.paid_categories[0].fee_minor == 1_000_000
        assert isinstance(merchant.paid_categories[0].fee_minor, int)
        listing = session.get(Listing, "L1")
        assert listing.unit_weight_mg == 168_000 and listing.brand.name == "Lumora Tea"
        assert [g.gtin for g in listing.gtins] == ["06901234567892"]
        assert session.get(Category, "FOOD-TEA").parent.name == "Food"
        shipment = session.get(Shipment, "ASN1")
        assert shipment.traceable and shipment.lines[0].listing.id == "L1"
        assert merchant.created_at.tzinfo is not None


def test_inspection_with_evidence_round_trip(db, clock):
    with db.transaction() as session:
        _reference(session)
        user = User(
            username="ops1",
            display_name="Operator 1",
            role=Role.OPERATOR,
            password_hash="x",
            station_id="S1",
        )
        session.add(user)
        session.flush()
        lot = Lot(
            shipment_id="ASN1",
            line_no=1,
            listing_id="L1",
            quantity=20,
            sample_size=5,
            plan={"major": {"aql": 2.5, "ac": 0, "re": 1}},
            seed=42,
        )
        session.add(lot)
        session.flush()
        inspection = Inspection(
            lot_id=lot.id,
            shipment_id="ASN1",
            listing_id="L1",
            station_id="S1",
            warehouse_id="WH1",
            operator_id=user.id,
            unit_no=1,
            verdict=Verdict.FAIL,
            final_verdict=Verdict.FAIL,
            defect_class=DefectClass.MAJOR,
            serial="SN1",
            expiry=date(2027, 5, 1),
        )
        inspection.weights.append(
            WeightEvidence(
                value_mg=-1_250,
                unit="g",
                stable=True,
                status="ok",
                device="scale",
                raw=b"S S    -1.25 g\r\n",
            )
        )
        inspection.scans.append(
            ScanEvidence(
                purpose=ScanPurpose.UNIT,
                text="01069012345678921721SN1",
                symbology="GS1 DataMatrix",
                aim="]d2",
                raw=b"\x1d01",
                parsed={"01": "06901234567892"},
                device="scanner",
            )
        )
        inspection.photos.append(
            PhotoEvidence(
                face="front",
                sha256="a" * 64,
                media_type="image/jpeg",
                width=1920,
                height=1080,
                camera="cam1",
            )
        )
        inspection.checks.append(
            CheckResult(
                check="weight",
                outcome=Outcome.FAIL,
                measured="-1.25 g",
                expected="168 g ± 5 g",
                defect_code="weight_out_of_tolerance",
                defect_class=DefectClass.MAJOR,
                reason="too light",
            )
        )
        session.add(inspection)
        session.flush()
        session.add(
            ResultEvent(kind="inspection.completed", subject_id=inspection.id, payload={"v": 1})
        )
        inspection_id = inspection.id
    with db.session() as session:
        got = session.get(Inspection, inspection_id)
        assert got.id.version == 7
        assert got.weights[0].value_mg == -1_250 and got.weights[0].raw.endswith(b"\r\n")
        assert got.scans[0].raw == b"\x1d01" and got.scans[0].purpose is ScanPurpose.UNIT
        assert got.checks[0].outcome is Outcome.FAIL and got.lot.plan["major"]["re"] == 1
        assert got.started_at == clock.now() and got.started_at.tzinfo is not None


def test_timestamps_come_back_in_utc(db):
    shanghai = timezone(timedelta(hours=8))
    with db.transaction() as session:
        session.add(
            Warehouse(id="WH1", name="Hub", created_at=datetime(2026, 3, 1, 9, 0, tzinfo=shanghai))
        )
    with db.session() as session:
        assert session.get(Warehouse, "WH1").created_at == datetime(2026, 3, 1, 1, 0, tzinfo=UTC)


def test_naive_timestamp_is_refused(db):
    with pytest.raises(StatementError, match="timezone-aware"), db.transaction() as session:
        session.add(Warehouse(id="WH1", name="Hub", created_at=datetime(2026, 3, 1, 9, 0)))


def test_unknown_enum_value_is_refused(db):
    with pytest.raises(StatementError), db.transaction() as session:
        session.add(Brand(id="B9", name="X", owner_name="Y", status="famous"))


def test_foreign_keys_are_enforced(db):
    with pytest.raises(IntegrityError), db.transaction() as session:
        session.add(Station(id="S9", warehouse_id="nowhere", name="Ghost"))


def test_audit_log_and_overrides_are_append_only(db):
    with db.transaction() as session:
        record(
            session,
            actor="sup1",
            action="override",
            subject_type="inspection",
            subject_id="x",
            reason="photo was of the wrong side",
        )
        session.add(Override(actor="sup1", from_value="fail", to_value="pass", reason="ok"))
    for table in ("audit_log", "overrides"):
        with pytest.raises(DBAPIError, match="append-only"), db.transaction() as session:
            session.execute(text(f"UPDATE {table} SET actor = 'someone else'"))
        with pytest.raises(DBAPIError, match="append-only"), db.transaction() as session:
            session.execute(text(f"DELETE FROM {table}"))
    with db.session() as session:
        entry = session.scalars(select(AuditEntry)).one()
        assert entry.actor == "sup1" and entry.detail == {"reason": "photo was of the wrong side"}


def test_access_and_fleet_models(db):
    with db.transaction() as session:
        session.add(Warehouse(id="WH1", name="Hub"))
        session.flush()
        station = Station(id="S1", warehouse_id="WH1", name="Bench")
        station.devices.append(
            Device(
                name="scale",
                kind=DeviceKind.SCALE,
                protocol="mt-sics",
                path="/dev/serial/by-id/x",
                reconnects=2,
                last_reading={"grams": 12.5, "stable": True},
            )
        )
        session.add(station)
        session.add(
            ApiKey(
                name="marketplace",
                prefix="isk_ab12",
                secret_hash="h",
                scopes=["results:read"],
                warehouses=["WH1"],
            )
        )
    with db.session() as session:
        station = session.get(Station, "S1")
        assert station.devices[0].last_reading == {"grams": 12.5, "stable": True}
        key = session.scalars(select(ApiKey)).one()
        assert (
            key.scopes == ["results:read"] and key.warehouses == ["WH1"] and key.revoked_at is None
        )
