"""The marketplace's shipment QR: round trip, and no changed character gets through."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from station.identifiers import InvalidIdentifier, Kind, ScanRules, identify, shipment_qr_payload
from tests.station.identifiers.strategies import change_one, shipment_ids

KEY = "marketplace-secret"
RULES = ScanRules.shipped(KEY)
ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567abcdefghijklmnopqrstuvwxyz0189._:-/"


@given(shipment_ids)
def test_round_trip(shipment_id):
    payload = shipment_qr_payload(shipment_id, KEY)
    assert payload.startswith("ISSHP1/")
    result = identify(payload, aim="]Q1", rules=RULES)
    assert (result.kind, result.valid) == (Kind.SHIPMENT_QR, True)
    assert result.fields == {"shipment_id": shipment_id, "version": 1}


@given(shipment_ids, st.integers(0, 200))
def test_any_changed_character_is_refused(shipment_id, position):
    payload = shipment_qr_payload(shipment_id, KEY)
    position = len("ISSHP1/") + position % (len(payload) - len("ISSHP1/"))
    changed = change_one(payload, position, ALPHABET)
    if changed.upper() == payload.upper() and changed[:-10] == payload[:-10]:
        return  # only the case of the check changed: a Caps Lock wedge, still the same label
    assert not identify(changed, rules=RULES).valid


def test_a_label_made_with_another_key_is_refused():
    forged = shipment_qr_payload("ASN-20261101", "guessed-key")
    result = identify(forged, rules=RULES)
    assert not result.valid and "not issued by the marketplace" in result.reason
    assert result.fields["shipment_id"] == "ASN-20261101"


def test_without_a_key_nothing_is_accepted():
    result = identify(shipment_qr_payload("ASN-1", KEY))
    assert not result.valid and "identifiers.shipment_qr_key" in result.reason


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("ISSHP2/ASN-1/ABCDEFGHIJ", "version 2 is not known"),
        ("ISSHP1/ASN-1", "must read ISSHP1/<shipment id>/<check>"),
        ("ISSHP1/-bad/ABCDEFGHIJ", "not a shipment id"),
    ],
)
def test_malformed_labels(text, reason):
    result = identify(text, rules=RULES)
    assert result.kind == Kind.SHIPMENT_QR and reason in result.reason


def test_payloads_are_made_only_for_real_ids_and_with_a_key():
    with pytest.raises(InvalidIdentifier, match="cannot go in a shipment QR"):
        shipment_qr_payload("two words", KEY)
    with pytest.raises(InvalidIdentifier, match="needs a key"):
        shipment_qr_payload("ASN-1", "")
