"""The unit verdict rule.

1. Any failing check whose defect is critical -> fail.
2. Otherwise, any check that is unsure (review) -> review: a person must decide, because
   the unsure check could still turn out to be a critical defect.
3. Otherwise, any failing major check -> fail: the unit is not what was listed or not
   fit for sale as listed (wrong weight, damaged, seal broken).
4. Otherwise pass; a failing minor check (manual missing, short label) leaves the unit
   sellable, but it still counts as a minor defective in its lot.

The unit's defect is its most serious failing defect (a defective unit counts once,
under that class); a unit in review carries none until a supervisor decides.
"""

from __future__ import annotations

from dataclasses import dataclass

from station.checks.defects import Defect, most_serious
from station.checks.findings import Finding, Text
from station.inspection.models import DefectClass, Outcome, Verdict


@dataclass(frozen=True)
class UnitVerdict:
    verdict: Verdict
    defect: Defect | None
    reason: Text

    @property
    def defect_class(self) -> DefectClass | None:
        return self.defect.defect_class if self.defect else None


def unit_verdict(findings: list[Finding]) -> UnitVerdict:
    fails = [f for f in findings if f.outcome == Outcome.FAIL]
    worst = most_serious([f.defect for f in fails if f.defect is not None])
    critical = [f for f in fails if f.defect and f.defect.defect_class == DefectClass.CRITICAL]
    if critical:
        return UnitVerdict(Verdict.FAIL, worst, _join(critical))
    unsure = [f for f in findings if f.outcome == Outcome.REVIEW]
    if unsure:
        return UnitVerdict(Verdict.REVIEW, None, _join(unsure))
    major = [f for f in fails if f.defect and f.defect.defect_class == DefectClass.MAJOR]
    if major:
        return UnitVerdict(Verdict.FAIL, worst, _join(major))
    if fails:
        return UnitVerdict(Verdict.PASS, worst, _join(fails))
    return UnitVerdict(Verdict.PASS, None, Text("Every check passed", "全部检查通过"))


def _join(findings: list[Finding]) -> Text:
    return Text(
        "; ".join(f.reason.en for f in findings),
        "；".join(f.reason.zh for f in findings),
    )
