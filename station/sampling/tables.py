"""The tables of a sampling scheme (ISO 2859-1 or ANSI/ASQ Z1.4) and how to read them.

The tables themselves are data in config/sampling/ (see scheme_file.py for loading and
checking); this module answers the questions the standard's tables answer: which code
letter a lot gets, and which single sampling plan a code letter, AQL and severity lead to,
following the arrows as the standard says.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import StrEnum

from station.errors import StationError

LEVELS = ("S-1", "S-2", "S-3", "S-4", "I", "II", "III")
DEFAULT_SCHEME = "iso2859-1"
DOWN, UP, BLANK = "↓", "↑", "-"


class SamplingError(StationError):
    """A sampling question that cannot be answered as asked (bad AQL, level, lot size...)."""


class Severity(StrEnum):
    NORMAL = "normal"
    TIGHTENED = "tightened"
    REDUCED = "reduced"


@dataclass(frozen=True)
class Cell:
    """One printed cell of a master table: a plan (accept/reject) or an arrow."""

    mark: str  # "plan", DOWN, UP or BLANK
    accept: int = 0
    reject: int = 0

    @property
    def is_plan(self) -> bool:
        return self.mark == "plan"

    def text(self) -> str:
        return f"{self.accept}/{self.reject}" if self.is_plan else self.mark


@dataclass(frozen=True)
class TablePlan:
    """Where an arrow led: the code letter of the plan used, its n, Ac and Re."""

    code_letter: str
    sample_size: int
    accept: int
    reject: int


@dataclass(frozen=True)
class LetterRange:
    lot_from: int
    lot_to: int | None  # None: and over
    letters: dict[str, str]  # level -> code letter


@dataclass(frozen=True)
class SwitchingRules:
    """The switching rules of a scheme (ISO 2859-1:1999 clause 9, Z1.4 clause 8)."""

    tightened_after_rejected: int  # this many rejected lots ...
    tightened_window: int  # ... within this many consecutive lots on normal
    normal_after_accepted_on_tightened: int
    reduced_by: str  # "switching_score" (ISO 2859-1:1999) or "accepted_lots" (Z1.4)
    reduced_switching_score: int | None
    reduced_after_accepted: int | None
    discontinue_after_rejected_on_tightened: int


@dataclass(frozen=True)
class Scheme:
    name: str
    title: str
    aliases: tuple[str, ...]
    notes: tuple[str, ...]
    letter_ranges: tuple[LetterRange, ...]
    aql_columns: tuple[Decimal, ...]
    aql_labels: tuple[str, ...]
    sample_sizes: dict[Severity, dict[str, int]]
    tables: dict[Severity, dict[str, tuple[Cell, ...]]]
    switching: SwitchingRules

    def code_letter(self, lot_size: int, level: str) -> str:
        """Table 1: the sample size code letter of a lot at an inspection level."""
        level = parse_level(level)
        if isinstance(lot_size, bool) or not isinstance(lot_size, int) or lot_size < 1:
            raise SamplingError(f"lot size must be a whole number of units >= 1, got {lot_size!r}")
        for row in self.letter_ranges:
            # A lot of one unit is below Table 1; it gets the first row (and 100 % inspection).
            if row.lot_to is None or lot_size <= row.lot_to:
                return row.letters[level]
        raise AssertionError("the last code letter row is open-ended (checked on load)")

    def column(self, aql: Decimal) -> int:
        """The index of an AQL column, or a SamplingError naming the columns there are."""
        for index, value in enumerate(self.aql_columns):
            if value == aql:
                return index
        raise SamplingError(
            f"AQL {aql} is not a column of the {self.name} tables; "
            f"use one of: {', '.join(self.aql_labels)} (or 0 for zero acceptance)"
        )

    def sample_size(self, severity: Severity | str, letter: str) -> int:
        sizes = self.sample_sizes[parse_severity(severity)]
        if letter not in sizes:
            raise SamplingError(f"unknown code letter {letter!r}; known: {' '.join(sizes)}")
        return sizes[letter]

    def cell(self, severity: Severity | str, letter: str, column: int) -> Cell:
        rows = self.tables[parse_severity(severity)]
        if letter not in rows:
            raise SamplingError(f"unknown code letter {letter!r}; known: {' '.join(rows)}")
        return rows[letter][column]

    def resolve(self, severity: Severity | str, letter: str, column: int) -> TablePlan:
        """Follow the arrow, if any, to the first plan below or above it in the column.

        The plan found brings its own code letter, so the sample size changes with it."""
        severity = parse_severity(severity)
        letters = list(self.tables[severity])
        cell = self.cell(severity, letter, column)
        if cell.mark == BLANK:
            raise SamplingError(
                f"the {severity} table has no plan for code letter {letter} "
                f"at AQL {self.aql_labels[column]}"
            )
        index = letters.index(letter)
        step = 1 if cell.mark == DOWN else -1
        while not cell.is_plan:
            index += step  # every arrow ends at a plan: checked when the scheme is loaded
            cell = self.tables[severity][letters[index]][column]
        found = letters[index]
        return TablePlan(found, self.sample_sizes[severity][found], cell.accept, cell.reject)


def parse_level(level: str) -> str:
    text = str(level).strip().upper()
    text = {
        "S1": "S-1",
        "S2": "S-2",
        "S3": "S-3",
        "S4": "S-4",
        "1": "I",
        "2": "II",
        "3": "III",
    }.get(text, text)
    if text not in LEVELS:
        raise SamplingError(f"unknown inspection level {level!r}; use one of: {', '.join(LEVELS)}")
    return text


def parse_severity(severity: Severity | str) -> Severity:
    try:
        return Severity(str(severity).strip().lower())
    except ValueError:
        known = ", ".join(s.value for s in Severity)
        raise SamplingError(f"unknown severity {severity!r}; use one of: {known}") from None


def parse_aql(aql: Decimal | str | int | float) -> Decimal:
    """An AQL as an exact decimal; floats are read by their shortest text (0.065 -> 0.065)."""
    if isinstance(aql, bool):
        raise SamplingError(f"AQL must be a number, got {aql!r}")
    try:
        value = Decimal(str(aql).strip())
    except InvalidOperation:
        raise SamplingError(f"AQL must be a number such as 2.5, got {aql!r}") from None
    if not value.is_finite() or value < 0:
        raise SamplingError(f"AQL must be 0 or a positive number, got {aql!r}")
    return value
