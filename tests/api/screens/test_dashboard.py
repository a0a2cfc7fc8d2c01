"""Dashboard actions through the HTTP interface: decisions need a reason, bulk only
touches units awaiting review, lot overrides, reports and exports, search."""

from __future__ import annotations

import csv
import io

from sqlalchemy import select

from station.inspection.models import Inspection, Lot, Override, ResultEvent, Verdict
from station.scorecards.lookups import review_queue
from tests.api.screens.conftest import csrf_of, sign_in


def _awaiting(site) -> list:
    with site.runtime.db.session() as session:
        return [i.id for i in review_queue(session)]


def test_a_decision_without_a_reason_is_refused_and_changes_nothing(site, client):
    sign_in(client, "sven")
    unit = _awaiting(site)[0]
    page = client.get(f"/dashboard/inspections/{unit}")
    form = {"csrf_token": csrf_of(page.text), "verdict": "pass", "reason": " "}
    refused = client.post(f"/dashboard/inspections/{unit}/decide", data=form)
    assert refused.status_code == 400 and "a reason is required" in refused.text
    assert unit in _awaiting(site)
    form["reason"] = "label photo shows the right variant"
    done = client.post(f"/dashboard/inspections/{unit}/decide", data=form, follow_redirects=False)
    assert done.status_code == 303
    with site.runtime.db.session() as session:
        inspection = session.get(Inspection, unit)
        assert inspection.final_verdict == Verdict.PASS
        override = session.scalar(select(Override).where(Override.inspection_id == unit))
        assert (override.actor, override.from_value, override.to_value) == (
            "sven",
            "review",
            "pass",
        )
        assert session.scalar(select(ResultEvent).where(ResultEvent.subject_id == unit))


def test_an_operator_cannot_decide(site, client):
    sign_in(client, "olga", "HZ1-B01")
    unit = _awaiting(site)[0]
    token = csrf_of(client.get("/bench").text)
    response = client.post(
        f"/dashboard/inspections/{unit}/decide",
        data={"csrf_token": token, "verdict": "pass", "reason": "looks fine to me"},
    )
    assert response.status_code == 403 and unit in _awaiting(site)


def test_bulk_decides_only_units_still_awaiting_review(site, client):
    sign_in(client, "sven")
    waiting = _awaiting(site)
    with site.runtime.db.session() as session:
        decided = session.scalar(select(Inspection.id).where(Inspection.final_verdict == "pass"))
    token = csrf_of(client.get("/dashboard/review").text)
    form = {
        "csrf_token": token,
        "verdict": "fail",
        "reason": "same fake hologram on all",
        "inspection": [str(i) for i in waiting[:2]] + [str(decided)],
    }
    page = client.post("/dashboard/review/bulk", data=form)
    assert "2 units decided." in page.text and str(decided) in page.text
    assert _awaiting(site) == waiting[2:]
    with site.runtime.db.session() as session:
        assert session.get(Inspection, decided).final_verdict == Verdict.PASS


def test_reports_and_exports(site, client):
    sign_in(client, "sven")
    unit = _awaiting(site)[0]
    pdf = client.get(f"/dashboard/inspections/{unit}/report.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    rows = list(csv.DictReader(io.StringIO(client.get("/dashboard/export.csv?list=review").text)))
    assert {r["inspection_id"] for r in rows} == {str(i) for i in _awaiting(site)}
    assert all(r["verdict"] == "review" and r["final_verdict"] == "" for r in rows)
    one = list(
        csv.DictReader(io.StringIO(client.get(f"/dashboard/export.csv?inspection={unit}").text))
    )
    assert [r["inspection_id"] for r in one] == [str(unit)]
    station = client.get("/dashboard/export.csv?kind=station&id=HZ1-B02&days=30")
    rows = list(csv.DictReader(io.StringIO(station.text)))
    assert rows and {r["station_id"] for r in rows} == {"HZ1-B02"}
    assert client.get("/dashboard/export.csv").status_code == 400


def test_search_finds_units_by_serial_and_gtin_and_shipments_by_merchant(site, client):
    sign_in(client, "sven")
    with site.runtime.db.session() as session:
        unit = session.scalars(select(Inspection).where(Inspection.serial.is_not(None))).first()
    by_serial = client.get(f"/dashboard/lots?q={unit.serial}").text
    assert f'data-inspection="{unit.id}"' in by_serial
    by_gtin = client.get(f"/dashboard/lots?q={unit.gtin.lstrip('0')}").text
    assert f'data-inspection="{unit.id}"' in by_gtin
    by_merchant = client.get(f"/dashboard/lots?q={unit.shipment_id}").text
    assert f'data-shipment="{unit.shipment_id}"' in by_merchant
    assert "Nothing matches." in client.get("/dashboard/lots?q=no-such-thing").text


def test_lot_decision_needs_a_reason_and_is_recorded(site, client):
    from station.inspection.models import Disposition, LotDecision

    with site.runtime.db.transaction() as session:
        any_unit = session.scalars(
            select(Inspection).where(Inspection.shipment_id.is_not(None))
        ).first()
        from station.reference.models import ShipmentLine

        line = session.scalar(
            select(ShipmentLine).where(ShipmentLine.shipment_id == any_unit.shipment_id)
        )
        lot = Lot(shipment_id=line.shipment_id, line_no=line.line_no, listing_id=line.listing_id,
                  quantity=line.quantity)  # fmt: skip
        session.add(lot)
    sign_in(client, "sven")
    page = client.get(f"/dashboard/lots/{lot.id}").text
    title = page.split("<title>")[1].split("</title>")[0]
    assert "<" not in title and page.count('id="decide"') == 1  # one form, a plain title
    token = csrf_of(page)
    form = {"csrf_token": token, "decision": "accepted", "disposition": "accept_to_stock"}
    assert (
        client.post(f"/dashboard/lots/{lot.id}/decide", data={**form, "reason": ""}).status_code
        == 400
    )
    done = client.post(f"/dashboard/lots/{lot.id}/decide", data={**form, "reason": "re-counted"},
                       follow_redirects=False)  # fmt: skip
    assert done.status_code == 303
    with site.runtime.db.session() as session:
        stored = session.get(Lot, lot.id)
        assert (stored.decision, stored.disposition) == (
            LotDecision.ACCEPTED,
            Disposition.ACCEPT_TO_STOCK,
        )
    assert client.get(f"/dashboard/lots/{lot.id}/report.pdf").content.startswith(b"%PDF")


def test_failure_reasons_are_named_from_the_defect_library_in_both_languages(client):
    from station.checks.defects import library

    sign_in(client, "sven")
    english = client.get("/dashboard").text
    client.cookies.set("lang", "zh")
    chinese = client.get("/dashboard").text
    named = [d for d in library().values() if d.en in english]
    assert named, "no failure reason on the overview is named from the defect library"
    assert all(d.zh in chinese for d in named)


def test_station_health_shows_the_outbox_depth(site, client):
    import uuid

    from station.inspection.events import publish
    from station.webhooks.models import WebhookSubscription

    with site.runtime.db.transaction() as session:
        session.add(
            WebhookSubscription(
                url="https://marketplace.invalid/hook",
                secret="whsec_x",
                event_types=["inspection.completed"],
            )
        )
        session.flush()
        for _ in range(3):
            publish(session, kind="inspection.completed", subject_id=uuid.uuid4(), payload={},
                    station_id="HZ1-B02")  # fmt: skip
    sign_in(client, "sven")
    page = client.get("/dashboard/stations").text
    row = page.split('data-station="HZ1-B02"', 1)[1]
    assert 'data-outbox="3"' in row.split("</tr>", 1)[0]
    assert "3 waiting, 0 given up" in page
