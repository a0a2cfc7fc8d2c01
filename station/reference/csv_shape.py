"""Flat CSV rows into the nested records the JSON form carries.

CSV conventions (documented in docs/reference-data.md):
- lists are cells with ';' between items (gtins, categories, nice_classes, logos);
- merchants: paid_categories plus paid_from / paid_until / fee_minor / currency that
  apply to each of them; columns 'indicator.NAME' become service indicators;
- listings: images as 'face:path;face:path'; columns 'attr.NAME' become attributes;
- shipments: one row per ASN line (line_no, listing_id, quantity), shipment
  columns repeated on each row of the same id.
"""

from __future__ import annotations

from typing import Any

from station.reference.files import Row

_PAID = ("paid_from", "paid_until", "fee_minor", "currency")
_LINE = ("line_no", "listing_id", "quantity")


def shape_csv(kind: str, rows: list[Row]) -> tuple[list[Row], list[str]]:
    """Rows reshaped for `kind`, and the problems found while doing it."""
    if kind == "merchants":
        return [_merchant(row) for row in rows], []
    if kind == "listings":
        return _listings(rows)
    if kind == "shipments":
        return _shipments(rows)
    return rows, []


def _merchant(row: Row) -> Row:
    data = dict(row.data)
    paid = {k: data.pop(k) for k in _PAID if k in data}
    ids = [p.strip() for p in data.pop("paid_categories", "").split(";") if p.strip()]
    if ids:
        data["paid_categories"] = [{"category_id": i, **paid} for i in ids]
    indicators = {
        key.removeprefix("indicator."): _number(data.pop(key))
        for key in list(data)
        if key.startswith("indicator.")
    }
    if indicators:
        data["service_indicators"] = indicators
    return Row(row.where, data)


def _listings(rows: list[Row]) -> tuple[list[Row], list[str]]:
    shaped, problems = [], []
    for row in rows:
        data = dict(row.data)
        images = []
        for item in [p.strip() for p in data.pop("images", "").split(";") if p.strip()]:
            face, sep, file = item.partition(":")
            if not sep:
                problems.append(f"{row.where}, field images: {item!r} should be 'face:path'")
                continue
            images.append({"face": face.strip(), "file": file.strip()})
        if images:
            data["images"] = images
        attributes = {
            k.removeprefix("attr."): data.pop(k) for k in list(data) if k.startswith("attr.")
        }
        if attributes:
            data["attributes"] = attributes
        shaped.append(Row(row.where, data))
    return shaped, problems


def _shipments(rows: list[Row]) -> tuple[list[Row], list[str]]:
    grouped: dict[str, Row] = {}
    problems = []
    for row in rows:
        data = dict(row.data)
        line = {k: data.pop(k) for k in _LINE if k in data}
        key = data.get("id", f"\0{row.where}")
        if key not in grouped:
            grouped[key] = Row(row.where, {**data, "lines": []})
        head = grouped[key].data
        for field, value in data.items():
            if head.get(field) != value:
                problems.append(
                    f"{row.where}, field {field}: {value!r} differs from {head.get(field)!r} "
                    f"on {grouped[key].where} of the same shipment"
                )
        if line:
            head["lines"].append(line)
    return list(grouped.values()), problems


def _number(text: str) -> Any:
    for convert in (int, float):
        try:
            return convert(text)
        except ValueError:
            continue
    return text
