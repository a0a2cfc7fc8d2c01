"""The marketplace's shipment QR code: which advance shipping notice (ASN) a parcel
belongs to, in a form that is hard to mistype and hard to forge.

    ISSHP1/<shipment id>/<check>

* `ISSHP` names the payload and `1` its version; a station refuses versions it does
  not know, so the format can change without misreading old labels.
* `<shipment id>` is the marketplace's ASN id as sent in the reference data
  (1-64 letters, digits, '.', '_', ':' or '-').
* `<check>` is the first 10 characters of the base32 (RFC 4648, no padding) HMAC-SHA256
  of the text before it (`ISSHP1/<shipment id>`), keyed with a secret the marketplace
  shares with the warehouse (setting `identifiers.shipment_qr_key`). Any changed
  character fails the check, and nobody without the key can make a label that passes.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re

from station.identifiers.errors import InvalidIdentifier
from station.identifiers.identification import Identification, Kind

PREFIX = "ISSHP"
VERSION = "1"
CHECK_LENGTH = 10
_SHIPMENT_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$")
_LAYOUT = re.compile(r"^ISSHP(?P<version>\d+)/(?P<id>.*)/(?P<check>[^/]*)$")


def looks_like(text: str) -> bool:
    return text.upper().startswith(PREFIX)


def shipment_check(body: str, key: str) -> str:
    digest = hmac.new(key.encode(), body.encode(), hashlib.sha256).digest()
    return base64.b32encode(digest).decode()[:CHECK_LENGTH]


def make_payload(shipment_id: str, key: str) -> str:
    """The text of a shipment QR code for an ASN (what the marketplace prints)."""
    if not _SHIPMENT_ID.match(shipment_id):
        raise InvalidIdentifier(
            f"{shipment_id!r} cannot go in a shipment QR: use 1-64 letters, digits, "
            "'.', '_', ':' or '-', starting with a letter or digit"
        )
    if not key:
        raise InvalidIdentifier("a shipment QR needs a key (setting identifiers.shipment_qr_key)")
    body = f"{PREFIX}{VERSION}/{shipment_id}"
    return f"{body}/{shipment_check(body, key)}"


def identify_shipment_qr(text: str, key: str | None, aim: str | None = None) -> Identification:
    match = _LAYOUT.match(text)
    if not match:
        return Identification.invalid(
            Kind.SHIPMENT_QR,
            text,
            f"shipment QR {text!r} must read {PREFIX}{VERSION}/<shipment id>/<check>",
            aim,
        )
    version, shipment_id, check = match["version"], match["id"], match["check"]
    fields = {"shipment_id": shipment_id, "version": int(version)}
    if version != VERSION:
        reason = f"shipment QR version {version} is not known here (this station reads {VERSION})"
        return Identification.invalid(Kind.SHIPMENT_QR, text, reason, aim, **fields)
    if not _SHIPMENT_ID.match(shipment_id):
        reason = f"shipment QR names {shipment_id!r}, which is not a shipment id"
        return Identification.invalid(Kind.SHIPMENT_QR, text, reason, aim, **fields)
    if not key:
        reason = "cannot check a shipment QR: no key is set (setting identifiers.shipment_qr_key)"
        return Identification.invalid(Kind.SHIPMENT_QR, text, reason, aim, **fields)
    expected = shipment_check(f"{PREFIX}{version}/{shipment_id}", key)
    if not hmac.compare_digest(expected, check.upper()):
        reason = (
            f"shipment QR for {shipment_id}: check {check!r} does not match; the label is "
            "damaged, mistyped or was not issued by the marketplace"
        )
        return Identification.invalid(Kind.SHIPMENT_QR, text, reason, aim, **fields)
    return Identification(kind=Kind.SHIPMENT_QR, valid=True, text=text, aim=aim, fields=fields)
