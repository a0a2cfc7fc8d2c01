"""Reading reference files (CSV, JSON array, NDJSON) into rows that know where they came from."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from station.errors import ImportFailed

FORMATS = (".csv", ".json", ".ndjson", ".jsonl")


@dataclass
class Row:
    where: str  # "line 7" or "item 3 (line 12)": what a person needs to find it
    data: dict[str, Any]


def read_rows(path: Path) -> list[Row]:
    """All rows of a file, or ImportFailed if the file itself cannot be read."""
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise ImportFailed(f"{path}: unknown file type", [f"expected one of {', '.join(FORMATS)}"])
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ImportFailed(f"{path}: no such file", []) from None
    except UnicodeDecodeError as err:
        raise ImportFailed(f"{path}: not UTF-8 text", [f"byte {err.start}: {err.reason}"]) from None
    if suffix == ".csv":
        return list(_csv_rows(path, text))
    if suffix == ".json":
        return list(_json_array_rows(path, text))
    return list(_ndjson_rows(path, text))


def _csv_rows(path: Path, text: str) -> Iterator[Row]:
    reader = csv.DictReader(io.StringIO(text, newline=""), restkey="\0extra")
    if not reader.fieldnames:
        raise ImportFailed(f"{path}: empty file, expected a header line", [])
    start = 2
    problems = []
    rows = []
    for record in reader:
        where = f"line {start}"
        start = reader.line_num + 1
        if "\0extra" in record:
            problems.append(f"{where}: more cells than the header has columns")
            continue
        if None in record.values():
            problems.append(f"{where}: fewer cells than the header has columns")
            continue
        # An empty cell means "not given", so defaults and optional fields apply.
        rows.append(Row(where, {k: v for k, v in record.items() if v.strip() != ""}))
    if problems:
        raise ImportFailed(f"{path}: malformed CSV, nothing was imported", problems)
    yield from rows


def _json_array_rows(path: Path, text: str) -> Iterator[Row]:
    decoder = json.JSONDecoder()
    pos = _skip_space(text, 0)
    if text[pos : pos + 1] != "[":
        raise ImportFailed(f"{path}: expected a JSON array of records", [_at(text, pos)])
    pos = _skip_space(text, pos + 1)
    index = 0
    rows = []
    while text[pos : pos + 1] != "]":
        index += 1
        try:
            value, end = decoder.raw_decode(text, pos)
        except json.JSONDecodeError as err:
            raise ImportFailed(
                f"{path}: broken JSON, nothing was imported", [f"{_at(text, err.pos)}: {err.msg}"]
            ) from None
        rows.append(_object(path, value, f"item {index} ({_at(text, pos)})"))
        pos = _skip_space(text, end)
        if text[pos : pos + 1] == ",":
            pos = _skip_space(text, pos + 1)
        elif text[pos : pos + 1] != "]":
            raise ImportFailed(
                f"{path}: broken JSON, nothing was imported",
                [f"{_at(text, pos)}: expected ',' or ']' after item {index}"],
            )
    if text[_skip_space(text, pos + 1) :].strip():
        raise ImportFailed(f"{path}: text after the closing ']'", [_at(text, pos + 1)])
    yield from rows


def _ndjson_rows(path: Path, text: str) -> Iterator[Row]:
    rows = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except json.JSONDecodeError as err:
            raise ImportFailed(
                f"{path}: broken JSON, nothing was imported",
                [f"line {number}, column {err.colno}: {err.msg}"],
            ) from None
        rows.append(_object(path, value, f"line {number}"))
    yield from rows


def _object(path: Path, value: Any, where: str) -> Row:
    if not isinstance(value, dict):
        raise ImportFailed(
            f"{path}: every record must be a JSON object", [f"{where}: got {type(value).__name__}"]
        )
    return Row(where, value)


def _skip_space(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in " \t\r\n":
        pos += 1
    return pos


def _at(text: str, pos: int) -> str:
    return f"line {text.count(chr(10), 0, pos) + 1}"
