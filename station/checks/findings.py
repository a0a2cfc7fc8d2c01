"""What a check says: outcome, measured vs expected, defect, reason in two languages."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from station.checks.defects import Defect, defect
from station.inspection.models import Outcome


@dataclass(frozen=True)
class Text:
    """A sentence for people, in English and Simplified Chinese."""

    en: str
    zh: str

    def as_dict(self) -> dict[str, str]:
        return {"en": self.en, "zh": self.zh}


@dataclass(frozen=True)
class Finding:
    """The result of one check. For fail and review, `defect` is what the unit has
    (or may have): its class decides how the unit counts in its lot."""

    check: str
    outcome: Outcome
    reason: Text
    measured: str | None = None
    expected: str | None = None
    defect: Defect | None = None
    details: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "check": self.check,
            "outcome": self.outcome.value,
            "measured": self.measured,
            "expected": self.expected,
            "defect_code": self.defect.code if self.defect else None,
            "defect_class": self.defect.defect_class.value if self.defect else None,
            "reason": self.reason.as_dict(),
            "details": self.details,
        }


def passed(check: str, en: str, zh: str, **values: Any) -> Finding:
    return Finding(check, Outcome.PASS, Text(en, zh), **values)


def failed(check: str, code: str, en: str, zh: str, **values: Any) -> Finding:
    return Finding(check, Outcome.FAIL, Text(en, zh), defect=defect(code), **values)


def unsure(check: str, code: str | None, en: str, zh: str, **values: Any) -> Finding:
    return Finding(
        check, Outcome.REVIEW, Text(en, zh), defect=defect(code) if code else None, **values
    )


def not_applicable(check: str, en: str, zh: str, **values: Any) -> Finding:
    return Finding(check, Outcome.NOT_APPLICABLE, Text(en, zh), **values)
