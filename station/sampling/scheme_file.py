"""Loading a sampling scheme from config/sampling/<name>.json, checking every table on the way.

A scheme file may say `"based_on": "<other scheme>"`: it then takes every section it does
not give itself from that scheme, and every table (normal, tightened, reduced) it does not
list. Any mistake in a file is reported with the file, the section and the cell.
"""

from __future__ import annotations

import json
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path
from typing import Any

from station.paths import config_dir
from station.sampling.tables import (
    BLANK,
    DEFAULT_SCHEME,
    DOWN,
    LEVELS,
    UP,
    Cell,
    LetterRange,
    SamplingError,
    Scheme,
    Severity,
    SwitchingRules,
)

SECTIONS = ("code_letters", "aql_columns", "sample_sizes", "tables", "switching")
REDUCED_BY = ("switching_score", "accepted_lots")


class SchemeFileError(SamplingError):
    """A scheme file in config/sampling/ is malformed."""


def scheme_dir() -> Path:
    return config_dir() / "sampling"


@cache
def scheme_names() -> dict[str, str]:
    """Every name and alias a scheme answers to (lower case) -> its file's stem."""
    names: dict[str, str] = {}
    for path in sorted(scheme_dir().glob("*.json")):
        raw = _read(path)
        for alias in (path.stem, raw.get("name", path.stem), *raw.get("aliases", [])):
            names[str(alias).lower()] = path.stem
    return names


def load_scheme(name: str | None = None) -> Scheme:
    """The scheme called `name` (or one of its aliases); ISO 2859-1 when None."""
    wanted = (name or DEFAULT_SCHEME).strip().lower()
    names = scheme_names()
    if wanted not in names:
        known = ", ".join(sorted(set(names.values())))
        raise SamplingError(f"unknown sampling scheme {name!r}; known: {known}")
    return _load(names[wanted])


def forget_schemes() -> None:
    """Read the scheme files again on next use (after editing config/sampling/)."""
    scheme_names.cache_clear()
    _load.cache_clear()


@cache
def _load(stem: str) -> Scheme:
    path = scheme_dir() / f"{stem}.json"
    raw = _merged(stem, seen=())
    problems: list[str] = []
    scheme = _build(raw, problems)
    if problems or scheme is None:
        raise SchemeFileError(f"{path} is not a valid sampling scheme:\n  " + "\n  ".join(problems))
    return scheme


def _read(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SchemeFileError(f"sampling scheme file {path} does not exist") from None
    except json.JSONDecodeError as err:
        raise SchemeFileError(f"{path} is not valid JSON: {err}") from None
    if not isinstance(data, dict):
        raise SchemeFileError(f"{path} must hold one JSON object")
    return data


def _merged(stem: str, seen: tuple[str, ...]) -> dict[str, Any]:
    raw = _read(scheme_dir() / f"{stem}.json")
    base_name = raw.get("based_on")
    if not base_name:
        return raw
    names = scheme_names()
    base = names.get(str(base_name).lower())
    if base is None or base in seen or base == stem:
        raise SchemeFileError(f"{stem}.json: based_on {base_name!r} is unknown or circular")
    merged = {k: v for k, v in _merged(base, (*seen, stem)).items() if k in SECTIONS}
    tables = {**merged.get("tables", {}), **raw.get("tables", {})}
    return {**merged, **raw, "tables": tables}


def _build(raw: dict[str, Any], problems: list[str]) -> Scheme | None:
    missing = [s for s in ("name", *SECTIONS) if s not in raw]
    if missing:
        problems.append(f"missing sections: {', '.join(missing)}")
        return None
    ranges = _letter_ranges(raw["code_letters"], problems)
    labels, columns = _aql_columns(raw["aql_columns"], problems)
    sizes = _sample_sizes(raw["sample_sizes"], problems)
    tables = {
        sev: _table(raw["tables"].get(sev.value), sev, len(columns), problems) for sev in Severity
    }
    switching = _switching(raw["switching"], problems)
    for sev in Severity:
        unsized = [letter for letter in tables[sev] if letter not in sizes.get(sev, {})]
        if unsized:
            problems.append(f"sample_sizes.{sev}: no size for code letter(s) {' '.join(unsized)}")
        used = {r.letters[level] for r in ranges for level in LEVELS}
        if tables[sev] and not used <= set(tables[sev]):
            problems.append(
                f"tables.{sev}: no row for code letter(s) {' '.join(used - set(tables[sev]))}"
            )
        _check_arrows(tables[sev], sev, labels, problems)
    if problems or switching is None:
        return None
    return Scheme(
        name=str(raw["name"]),
        title=str(raw.get("title", raw["name"])),
        aliases=tuple(str(a) for a in raw.get("aliases", [])),
        notes=tuple(str(n) for n in raw.get("notes", [])),
        letter_ranges=ranges,
        aql_columns=columns,
        aql_labels=labels,
        sample_sizes=sizes,
        tables=tables,
        switching=switching,
    )


def _letter_ranges(rows: Any, problems: list[str]) -> tuple[LetterRange, ...]:
    out: list[LetterRange] = []
    expected_from = 2
    for number, row in enumerate(rows if isinstance(rows, list) else [], start=1):
        where = f"code_letters row {number}"
        lot_from, lot_to = row.get("from"), row.get("to")
        if lot_from != expected_from:
            problems.append(f"{where}: 'from' must be {expected_from} (ranges must join up)")
        if lot_to is not None and (not isinstance(lot_to, int) or lot_to < (lot_from or 0)):
            problems.append(f"{where}: 'to' must be a lot size >= 'from' or null")
        letters = {level: row.get(level) for level in LEVELS}
        if any(not isinstance(v, str) or not v for v in letters.values()):
            problems.append(f"{where}: needs a code letter for each level {', '.join(LEVELS)}")
        out.append(LetterRange(lot_from or 0, lot_to, letters))
        expected_from = (lot_to or 0) + 1
    if not out or out[-1].lot_to is not None:
        problems.append("code_letters: the last row must be open-ended ('to': null)")
    return tuple(out)


def _aql_columns(labels: Any, problems: list[str]) -> tuple[tuple[str, ...], tuple[Decimal, ...]]:
    values: list[Decimal] = []
    for label in labels if isinstance(labels, list) else []:
        try:
            values.append(Decimal(str(label)))
        except InvalidOperation:
            problems.append(f"aql_columns: {label!r} is not a number")
    if not values or any(b <= a for a, b in zip(values, values[1:], strict=False)):
        problems.append("aql_columns: must be a non-empty list of increasing AQLs")
    return tuple(str(label) for label in labels or []), tuple(values)


def _sample_sizes(raw: Any, problems: list[str]) -> dict[Severity, dict[str, int]]:
    out: dict[Severity, dict[str, int]] = {}
    for sev in Severity:
        sizes = raw.get(sev.value) if isinstance(raw, dict) else None
        if not isinstance(sizes, dict) or not all(
            isinstance(n, int) and n > 0 for n in sizes.values()
        ):
            problems.append(f"sample_sizes.{sev}: must map code letters to sample sizes > 0")
            sizes = {}
        out[sev] = dict(sizes)
    return out


def _table(
    rows: Any, sev: Severity, width: int, problems: list[str]
) -> dict[str, tuple[Cell, ...]]:
    if not isinstance(rows, dict) or not rows:
        problems.append(f"tables.{sev}: missing (one row of cells per code letter)")
        return {}
    table: dict[str, tuple[Cell, ...]] = {}
    for letter, text in rows.items():
        tokens = str(text).split()
        if len(tokens) != width:
            problems.append(f"tables.{sev} row {letter}: {len(tokens)} cells, expected {width}")
        table[letter] = tuple(_cell(t, f"tables.{sev} row {letter}", problems) for t in tokens)
    return table


def _cell(token: str, where: str, problems: list[str]) -> Cell:
    if token in (DOWN, UP, BLANK):
        return Cell(token)
    accept, _, reject = token.partition("/")
    if accept.isdigit() and reject.isdigit() and int(accept) < int(reject):
        return Cell("plan", int(accept), int(reject))
    problems.append(f"{where}: cell {token!r} is not 'Ac/Re' (Ac < Re), '↓', '↑' or '-'")
    return Cell(BLANK)


def _check_arrows(table: dict[str, tuple[Cell, ...]], sev: Severity, labels, problems) -> None:
    """Every arrow must end at a plan in its column, or the table cannot be read."""
    letters = list(table)
    for column, label in enumerate(labels):
        cells = [table[letter][column] for letter in letters if column < len(table[letter])]
        for index, cell in enumerate(cells):
            ahead = cells[index + 1 :] if cell.mark == DOWN else cells[:index][::-1]
            if cell.mark in (DOWN, UP) and not any(c.is_plan for c in ahead):
                problems.append(
                    f"tables.{sev} row {letters[index]}, AQL {label}: "
                    f"the arrow {cell.mark} points to no plan"
                )


def _switching(raw: Any, problems: list[str]) -> SwitchingRules | None:
    try:
        rules = SwitchingRules(**raw)
    except TypeError as err:
        problems.append(f"switching: {err}")
        return None
    counts = [
        rules.tightened_after_rejected,
        rules.tightened_window,
        rules.normal_after_accepted_on_tightened,
        rules.discontinue_after_rejected_on_tightened,
    ]
    if not all(isinstance(n, int) and n > 0 for n in counts):
        problems.append("switching: the lot counts must be whole numbers > 0")
    if rules.reduced_by not in REDUCED_BY:
        problems.append(f"switching.reduced_by: {rules.reduced_by!r}, expected one of {REDUCED_BY}")
    needed = (
        "reduced_switching_score"
        if rules.reduced_by == "switching_score"
        else "reduced_after_accepted"
    )
    if not isinstance(getattr(rules, needed), int):
        problems.append(
            f"switching.{needed}: a whole number is needed for reduced_by {rules.reduced_by!r}"
        )
    return rules
