"""What a scanned text is, for the bench.

INTERIM: the decode area provides `station.identifiers.identify`, which replaces
this module's `identify` once it is on main. Until then this small reading covers
what the bench needs (bench commands, S10 ids, carrier tracking numbers, shipment
QR codes, GTINs and GS1 element strings via biip) and returns the same shape.
"""

from __future__ import annotations

import re

import biip

from station.identifiers import InvalidIdentifier, normalise_gtin, parse_s10
from station.workflow.events import Identification

_S10_SHAPE = re.compile(r"^[A-Z]{2}\d{9}[A-Z]{2}$")
_TRACKING = re.compile(r"^(SF\d{12,13}|YT\d{13}|JD\w{13,15}|ZTO\d{12,14}|[A-Z]{2,4}\d{10,16})$")
_SHIPMENT_QR = re.compile(r"^(?:ASN:)?(ASN-[A-Za-z0-9-]+)$")
COMMAND_PREFIX = "ISCMD:"


def identify(text: str, *, aim: str | None = None) -> Identification:
    value = text.strip()
    if value.upper().startswith(COMMAND_PREFIX):
        _, _, rest = value.partition(":")
        name, _, argument = rest.partition(":")
        fields = {"command": name.upper(), "argument": argument or None}
        return Identification(kind="bench_command", valid=bool(name), fields=fields)
    compact = value.replace(" ", "").upper()
    if _S10_SHAPE.match(compact):
        try:
            s10 = parse_s10(compact)
        except InvalidIdentifier as err:
            return Identification(kind="s10", valid=False, reason=str(err), fields={"id": compact})
        fields = {"id": str(s10), "service": s10.service, "country": s10.country}
        return Identification(kind="s10", valid=True, fields=fields)
    qr = _SHIPMENT_QR.match(value)
    if qr:
        return Identification(kind="shipment_qr", valid=True, fields={"shipment_id": qr.group(1)})
    if value.isdigit() and len(value) in (8, 12, 13, 14):
        return _gtin(value)
    if _TRACKING.match(compact) and not compact.isdigit():
        return Identification(kind="tracking", valid=True, fields={"number": compact})
    return _gs1(text, aim)


def _gtin(value: str) -> Identification:
    try:
        return Identification(kind="gtin", valid=True, fields={"gtin": normalise_gtin(value)})
    except InvalidIdentifier as err:
        return Identification(kind="gtin", valid=False, reason=str(err), fields={"gtin": value})


_AI_FIELDS = {"01": "gtin", "21": "serial", "10": "batch"}
_AI_DATES = {"17": "expiry", "15": "best_before"}


def _gs1(text: str, aim: str | None) -> Identification:
    raw = (aim or "") + text if aim and not text.startswith("]") else text
    result = biip.parse(raw)
    message = result.gs1_message
    if message is None:
        reason = result.gs1_message_error or "not a known code"
        return Identification(kind="unknown", valid=False, reason=reason)
    fields: dict = {}
    for element in message.element_strings:
        ai = element.ai.ai
        if ai in _AI_FIELDS:
            fields[_AI_FIELDS[ai]] = element.value
        elif ai in _AI_DATES and element.date is not None:
            fields[_AI_DATES[ai]] = element.date.isoformat()
    if "gtin" not in fields:
        return Identification(kind="gs1", valid=False, reason="GS1 code without a GTIN (AI 01)")
    return Identification(kind="gs1", valid=True, fields=fields)
