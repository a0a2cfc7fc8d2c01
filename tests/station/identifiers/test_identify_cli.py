"""`inbound-station identify`, as an operator or a script runs it."""

import json

from tests.test_cli import run


def test_json_for_a_gs1_label():
    result = run("identify", "]C101095011015300031726110010LOT7<GS>21SN1", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert (data["kind"], data["valid"], data["aim"]) == ("gs1", True, "]C1")
    assert data["fields"]["expiry"] == "2026-11-30"
    assert data["fields"]["serial"] == "SN1"


def test_invalid_scan_says_why_and_exits_1():
    result = run("identify", "4006381333932")
    assert result.returncode == 1
    assert "check digit 1 expected, got 2" in result.stdout
    assert "NOT VALID" in result.stdout


def test_shipment_qr_uses_the_configured_key():
    from station.identifiers import shipment_qr_payload

    payload = shipment_qr_payload("ASN-20261101", "k3y")
    env = {"INBOUND_STATION_IDENTIFIERS__SHIPMENT_QR_KEY": "k3y"}
    result = run("identify", payload, "--json", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert json.loads(result.stdout)["fields"]["shipment_id"] == "ASN-20261101"
    assert run("identify", payload).returncode == 1  # no key configured: refused


def test_people_see_the_kind_and_fields():
    result = run("identify", "EE123456785CN")
    assert result.returncode == 0
    assert result.stdout.splitlines()[0] == "postal item id (UPU S10): valid"
    assert "country" in result.stdout and "CN" in result.stdout
