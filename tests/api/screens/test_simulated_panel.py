"""The bench screen's "simulated devices" panel: there in demo mode (setting `demo`),
absent and refused otherwise; its orders go to simulated devices, never round them."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from station.identifiers import shipment_qr_payload
from tests.api.screens.conftest import sign_in
from tests.support.site import open_site


def bench_page(client: TestClient) -> tuple[str, str]:
    assert sign_in(client, "olga", station="HZ1-B01").status_code == 303
    page = client.get("/bench").text
    return page, re.search(r'data-csrf="([^"]+)"', page)[1]


def press(client: TestClient, csrf: str, action: str, value: str = ""):
    return client.post(
        "/bench/simulated", data={"action": action, "value": value}, headers={"X-CSRF-Token": csrf}
    )


def test_no_panel_and_no_simulated_orders_outside_demo_mode(client):
    page, csrf = bench_page(client)
    assert "simulated-devices" not in page and "data-sim=" not in page
    assert press(client, csrf, "scan", "EE729871127CN").status_code == 404


@pytest.fixture
def demo_client(site_template, tmp_path):
    site = open_site(site_template, tmp_path / "demo-site", demo=True)
    with TestClient(create_app(site.runtime)) as client:
        yield client
    site.runtime.close()


def test_demo_mode_shows_the_panel_with_the_parcels_waiting_at_the_bench(demo_client):
    page, csrf = bench_page(demo_client)
    panel = page[page.index('id="simulated-devices"') :]
    assert 'data-sim="scan" data-value="EE729871127CN"' in panel  # ASN-20261124, 8 units
    assert "SF999999999999" in panel  # a parcel nobody announced
    assert "JDV485272202269" not in panel  # 420 units: not among the quickest six
    # Orders name what is wrong; with no simulated device running, nothing is scanned.
    answer = press(demo_client, csrf, "juggle")
    assert answer.status_code == 400 and "unknown simulated-device action" in answer.text
    answer = press(demo_client, csrf, "place", "9000")
    assert answer.status_code == 400 and "outside the simulated scale" in answer.text
    answer = press(demo_client, csrf, "scan", "EE729871127CN")
    assert answer.status_code == 400 and "simulated scanner is not running" in answer.text
    assert "Scan the parcel label" in demo_client.get("/bench/panel").text


def test_the_bench_screen_checks_shipment_qr_codes_with_the_installation_key(
    site_template, tmp_path
):
    # A parcel without a carrier label carries the marketplace's signed QR (the demo's
    # panel offers those); the bench must verify it with the key the settings name.
    site = open_site(site_template, tmp_path / "qr-site", identifiers={"shipment_qr_key": "k1"})
    try:
        with TestClient(create_app(site.runtime)) as client:
            _page, csrf = bench_page(client)
            qr = shipment_qr_payload("ASN-20261134", "k1")
            answer = client.post("/bench/scan", data={"text": qr}, headers={"X-CSRF-Token": csrf})
    finally:
        site.runtime.close()
    assert answer.status_code == 200
    assert "ASN-20261134 has no tracking number or S10 id" in answer.text
    assert "no key is set" not in answer.text
