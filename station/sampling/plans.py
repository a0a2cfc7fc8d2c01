"""Single sampling plans for a lot: code letter, sample size, Ac and Re per defect class.

The drawing rule when defect classes need different sample sizes (one rule, used everywhere):
draw the largest sample any class needs, in a recorded random order (draw_units); judge each
class on the first n units of that order, n being its own plan's sample size. A prefix of a
random draw order is itself a simple random sample, so every class is judged on a proper
random sample of its own size, and no unit is drawn that no class needs. A class with AQL 0
(zero acceptance: one defective unit rejects the lot) is judged on every drawn unit.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from station.inspection.models import DefectClass
from station.sampling.scheme_file import load_scheme
from station.sampling.tables import (
    DEFAULT_SCHEME,
    SamplingError,
    Severity,
    parse_aql,
    parse_level,
    parse_severity,
)

Decision = Literal["accept", "reject"]
PERCENT_LIMIT = Decimal(10)  # above AQL 10 the tables count nonconformities per 100 units


@dataclass(frozen=True)
class Plan:
    """One single sampling plan: inspect `sample_size` units, accept with at most `accept`
    defectives, reject with `reject` or more. `code_letter` is the letter of the plan used,
    after following any arrow of the table."""

    code_letter: str
    sample_size: int
    accept: int
    reject: int


@dataclass(frozen=True)
class LotPlan:
    sample_size: int  # units to draw and inspect (the lot size when hundred_percent)
    per_class: dict[DefectClass, Plan]
    hundred_percent: bool
    rule: str  # the drawing rule, in words, with this lot's numbers
    lot_size: int = 0
    level: str = "II"
    severity: Severity = Severity.NORMAL
    scheme: str = DEFAULT_SCHEME
    code_letter: str = "A"  # from Table 1, before any arrow
    aqls: dict[DefectClass, Decimal] = field(default_factory=dict)

    def units_for(self, defect_class: DefectClass | str) -> int:
        """How many units, from the start of the draw order, this class is judged on."""
        plan = self.per_class[DefectClass(defect_class)]
        return min(plan.sample_size, self.sample_size)

    def as_record(self) -> dict[str, dict[str, object]]:
        """The per-class plan as stored on a lot (Lot.plan)."""
        return {
            c.value: {
                "aql": str(self.aqls.get(c, "")),
                "code_letter": p.code_letter,
                "n": self.units_for(c),
                "ac": p.accept,
                "re": p.reject,
            }
            for c, p in self.per_class.items()
        }


@dataclass(frozen=True)
class LotJudgement:
    decision: Decision
    accepted: bool
    rejected_by: tuple[DefectClass, ...]  # classes whose count reached Re
    # Accepted with a count above Ac but below Re (Z1.4 reduced plans): normal is reinstated.
    beyond_acceptance: bool
    # ISO 2859-1:1999 9.3.3.2 for single sampling: 0 resets the switching score, 2 or 3 add.
    switching_points: int


def code_letter(lot_size: int, level: str, scheme: str = DEFAULT_SCHEME) -> str:
    """Table 1: sample size code letter for a lot size and inspection level."""
    return load_scheme(scheme).code_letter(lot_size, level)


def single_plan(
    code_letter: str,
    aql: Decimal | str,
    severity: Severity | str,
    scheme: str = DEFAULT_SCHEME,
) -> Plan:
    """The single sampling plan for a code letter and AQL, arrows followed.

    AQL 0 is not in the tables: it means zero acceptance (Ac 0, Re 1) on the code letter's
    own sample size."""
    tables = load_scheme(scheme)
    value = parse_aql(aql)
    if value == 0:
        return Plan(code_letter, tables.sample_size(severity, code_letter), 0, 1)
    found = tables.resolve(severity, code_letter, tables.column(value))
    return Plan(found.code_letter, found.sample_size, found.accept, found.reject)


def plan_lot(
    lot_size: int,
    level: str,
    aqls: Mapping[DefectClass | str, Decimal | str],
    severity: Severity | str,
    scheme: str = DEFAULT_SCHEME,
    *,
    every_unit: bool = False,
) -> LotPlan:
    """The sampling plan of a lot with one AQL per defect class (see the module's rule).

    every_unit: draw and inspect the whole lot whatever the sample size (lot_mode said
    hundred_percent); every defective unit is found and sorted out, while the lot decision
    still judges each class on its first n units of the draw order, by its Ac and Re."""
    tables = load_scheme(scheme)
    severity = parse_severity(severity)
    letter = tables.code_letter(lot_size, level)
    classes = _classes(aqls)
    if not classes:
        raise SamplingError("a lot plan needs an AQL for at least one defect class")
    table_plans = {c: single_plan(letter, a, severity, scheme) for c, a in classes.items() if a > 0}
    if table_plans:
        largest = max(table_plans.values(), key=lambda p: p.sample_size)
    else:
        largest = Plan(letter, tables.sample_size(severity, letter), 0, 1)
    per_class = {
        c: table_plans.get(c) or Plan(largest.code_letter, largest.sample_size, 0, 1)
        for c in classes
    }
    hundred = every_unit or largest.sample_size >= lot_size
    drawn = lot_size if hundred else largest.sample_size
    return LotPlan(
        sample_size=drawn,
        per_class=per_class,
        hundred_percent=hundred,
        rule=_rule_text(per_class, drawn, hundred, lot_size),
        lot_size=lot_size,
        level=parse_level(level),
        severity=severity,
        scheme=tables.name,
        code_letter=letter,
        aqls=classes,
    )


def decide_lot(plan: LotPlan, defectives: Mapping[DefectClass | str, int]) -> Decision:
    """Accept when every class's count of defective units stays below its Re."""
    return judge_lot(plan, defectives).decision


def judge_lot(plan: LotPlan, defectives: Mapping[DefectClass | str, int]) -> LotJudgement:
    """The lot decision with what the switching rules need to know about it.

    `defectives` counts, per class, the defective units among that class's first
    plan.units_for(class) drawn units (see count_defectives)."""
    counts = _counts(plan, defectives)
    rejected = tuple(c for c, p in plan.per_class.items() if counts[c] >= p.reject)
    beyond = not rejected and any(counts[c] > p.accept for c, p in plan.per_class.items())
    points = 0 if rejected else _switching_points(plan, counts)
    return LotJudgement(
        decision="reject" if rejected else "accept",
        accepted=not rejected,
        rejected_by=rejected,
        beyond_acceptance=beyond,
        switching_points=points,
    )


def count_defectives(
    plan: LotPlan, draw_order: list[int], unit_defects: Mapping[int, DefectClass | str | None]
) -> dict[DefectClass, int]:
    """Count defective units per class by the drawing rule.

    `draw_order` is the list draw_units returned; `unit_defects` gives, per unit number, the
    class of its most serious defect (None or absent: no defect). A defective unit counts
    once, under its most serious defect, and only for the classes judged on its position."""
    counts = {c: 0 for c in plan.per_class}
    for position, unit in enumerate(draw_order):
        found = unit_defects.get(unit)
        if found is None:
            continue
        found = DefectClass(found)
        if found in counts and position < plan.units_for(found):
            counts[found] += 1
    return counts


def _classes(aqls: Mapping[DefectClass | str, Decimal | str]) -> dict[DefectClass, Decimal]:
    out: dict[DefectClass, Decimal] = {}
    for name, aql in aqls.items():
        try:
            out[DefectClass(str(name).lower())] = parse_aql(aql)
        except ValueError:
            known = ", ".join(c.value for c in DefectClass)
            raise SamplingError(f"unknown defect class {name!r}; use one of: {known}") from None
    return out


def _counts(plan: LotPlan, defectives: Mapping[DefectClass | str, int]) -> dict[DefectClass, int]:
    counts = {c: 0 for c in plan.per_class}
    for name, count in defectives.items():
        try:
            cls = DefectClass(str(name).lower())
        except ValueError:
            raise SamplingError(f"unknown defect class {name!r} in the counts") from None
        if cls not in counts:
            raise SamplingError(f"the lot plan has no AQL for {cls.value} defects")
        if isinstance(count, bool) or not isinstance(count, int) or count < 0:
            raise SamplingError(f"{cls.value}: count must be a whole number >= 0, got {count!r}")
        # Up to AQL 10 the count is of defective units, so it cannot exceed the units judged.
        limit = plan.units_for(cls)
        if plan.aqls.get(cls, Decimal(0)) <= PERCENT_LIMIT and count > limit:
            raise SamplingError(
                f"{cls.value}: {count} defective units counted, but only {limit} are judged"
            )
        counts[cls] = count
    return counts


def _switching_points(plan: LotPlan, counts: dict[DefectClass, int]) -> int:
    """ISO 2859-1:1999 9.3.3.2 a) for an accepted lot, over the classes with a table plan:
    Ac >= 2: 3 if the count would also pass one AQL step tighter, else 0 (reset);
    Ac <= 1: 2. With several classes the lot gets the least of their points."""
    if plan.severity != Severity.NORMAL:
        return 0  # the switching score is kept on normal inspection only
    points = []
    tables = load_scheme(plan.scheme)
    for cls, p in plan.per_class.items():
        aql = plan.aqls.get(cls, Decimal(0))
        if aql == 0:
            continue  # zero acceptance is not a table plan
        if p.accept <= 1:
            points.append(2)
            continue
        column = tables.column(aql)
        if column == 0:
            points.append(2)
            continue
        # Same code letter, one column to the left, in the normal table: same sample size.
        tighter = tables.resolve(Severity.NORMAL, p.code_letter, column - 1)
        points.append(3 if counts[cls] <= tighter.accept else 0)
    return min(points) if points else 2


def _rule_text(per_class: dict[DefectClass, Plan], drawn: int, hundred: bool, lot: int) -> str:
    each = ", ".join(f"{c.value} {min(p.sample_size, drawn)}" for c, p in per_class.items())
    if hundred:
        return (
            f"100 % inspection: all {lot} units are drawn in random order; each class is "
            f"judged on the first n units in draw order ({each})"
        )
    return (
        f"draw the largest sample ({drawn} units) in random order; judge each class on "
        f"the first n units in draw order ({each})"
    )
