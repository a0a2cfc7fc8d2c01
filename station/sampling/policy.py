"""Skip-lot and 100 % inspection from a merchant's service indicators (settings: sampling.*).

Indicators are what the marketplace sends on the merchant record: rating, dispute_rate,
on_time_rate. A missing or non-numeric indicator never qualifies a merchant for skip-lot
and never forces 100 % inspection. Skipped lots are accepted without inspection and are not
recorded for the switching rules (ISO 2859-3 keeps them outside ISO 2859-1's switching).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from station.sampling.draw import fraction
from station.sampling.switching import SwitchingState
from station.sampling.tables import Severity
from station.settings import SamplingSettings

Mode = Literal["sample", "hundred_percent", "skip"]


@dataclass(frozen=True)
class LotMode:
    mode: Mode
    severity: Severity
    reason: str


def lot_mode_for(
    indicators: Mapping[str, Any], state: SwitchingState, settings: SamplingSettings, seed: int
) -> LotMode:
    """How the next lot of a merchant x listing is inspected."""
    if state.discontinued:
        return LotMode(
            "hundred_percent",
            state.severity,
            "sampling is discontinued for this listing: every unit is inspected "
            "until a supervisor resumes sampling",
        )
    poor = _poor_indicator(indicators, settings)
    if poor:
        return LotMode("hundred_percent", state.severity, f"100 % inspection: {poor}")
    skip = settings.skip_lot
    if skip.enabled and _qualifies_for_skip(indicators, state, settings):
        if fraction(seed, b"skip-lot") < 1 / skip.inspect_one_in:
            why = (
                f"skip-lot merchant; this lot was drawn for inspection (1 in {skip.inspect_one_in})"
            )
            return LotMode("sample", state.severity, why)
        why = f"skip-lot merchant; this lot is not inspected (1 in {skip.inspect_one_in} is)"
        return LotMode("skip", state.severity, why)
    return LotMode("sample", state.severity, f"{state.severity} inspection")


def _number(indicators: Mapping[str, Any], name: str) -> float | None:
    value = indicators.get(name)
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def _poor_indicator(indicators: Mapping[str, Any], settings: SamplingSettings) -> str | None:
    rules = settings.hundred_percent
    if not rules.enabled:
        return None
    rating = _number(indicators, "rating")
    disputes = _number(indicators, "dispute_rate")
    on_time = _number(indicators, "on_time_rate")
    if rating is not None and rating < rules.rating_below:
        return f"merchant rating {rating} is below {rules.rating_below}"
    if disputes is not None and disputes > rules.dispute_rate_above:
        return f"dispute rate {disputes} is above {rules.dispute_rate_above}"
    if on_time is not None and on_time < rules.on_time_rate_below:
        return f"on-time rate {on_time} is below {rules.on_time_rate_below}"
    return None


def _qualifies_for_skip(
    indicators: Mapping[str, Any], state: SwitchingState, settings: SamplingSettings
) -> bool:
    rules = settings.skip_lot
    rating = _number(indicators, "rating")
    disputes = _number(indicators, "dispute_rate")
    on_time = _number(indicators, "on_time_rate")
    return (
        rating is not None
        and disputes is not None
        and on_time is not None
        and rating >= rules.min_rating
        and disputes <= rules.max_dispute_rate
        and on_time >= rules.min_on_time_rate
        and state.severity != Severity.TIGHTENED
        and state.accepted_in_a_row >= rules.min_accepted_lots
    )
