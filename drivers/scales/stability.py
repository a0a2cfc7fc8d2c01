"""Deciding "stable" in software, on top of the scale's own motion flag.

A weight settles when, over a window of `window_s` seconds with at least `min_samples`
samples, every sample is flagged stable by the device (when `use_device_flag`), the
spread is within `range_mg` and the least-squares slope within `slope_mg_per_s`. One
stable weight is committed per placement: the filter re-arms when the pan returns within
`zero_band_mg` of zero, or when the load changes by more than `rearm_fraction` of the
committed weight (at least `rearm_min_mg`). Loads under `min_load_mg` are "no item".
A gap longer than `stale_after_s` between samples, an error sample or a reconnect empties
the window: stale is not stable.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass


@dataclass(frozen=True)
class StabilityRule:
    window_s: float = 0.8
    min_samples: int = 5
    range_mg: int = 200
    slope_mg_per_s: int = 200
    min_load_mg: int = 2000
    zero_band_mg: int = 500
    rearm_fraction: float = 0.125
    rearm_min_mg: int = 3000
    stale_after_s: float = 0.6
    use_device_flag: bool = True


@dataclass(frozen=True)
class _Sample:
    t: float
    mg: int
    flagged_stable: bool


class StabilityFilter:
    def __init__(self, rule: StabilityRule | None = None) -> None:
        self.rule = rule or StabilityRule()
        self._window: deque[_Sample] = deque()
        self.committed: int | None = None

    def reset(self) -> None:
        """Forget the samples (reconnect, error) but remember the committed placement."""
        self._window.clear()

    def feed(self, milligrams: int | None, device_stable: bool, t: float) -> int | None:
        """Add one sample (None = no weight: error, overload, status only); return the
        committed weight when this sample settles a new placement."""
        rule, window = self.rule, self._window
        if milligrams is None:
            window.clear()
            return None
        if window and t - window[-1].t > rule.stale_after_s:
            window.clear()
        window.append(_Sample(t, milligrams, device_stable))
        while len(window) >= 2 and window[1].t <= t - rule.window_s:
            window.popleft()  # keep one sample at or before the window's start
        if abs(milligrams) <= rule.zero_band_mg:
            self.committed = None
            return None
        if self.committed is not None:
            limit = max(rule.rearm_min_mg, abs(self.committed) * rule.rearm_fraction)
            if abs(milligrams - self.committed) <= limit:
                return None
            self.committed = None
        if milligrams < rule.min_load_mg or not self._settled():
            return None
        ordered = sorted(s.mg for s in window)
        self.committed = ordered[len(ordered) // 2]
        return self.committed

    def _settled(self) -> bool:
        rule, window = self.rule, self._window
        if len(window) < rule.min_samples or window[-1].t - window[0].t < rule.window_s:
            return False
        if rule.use_device_flag and not all(s.flagged_stable for s in window):
            return False
        values = [s.mg for s in window]
        if max(values) - min(values) > rule.range_mg:
            return False
        return abs(_slope(window)) <= rule.slope_mg_per_s


def _slope(window: deque[_Sample]) -> float:
    """Least-squares slope in mg per second."""
    n = len(window)
    mean_t = sum(s.t for s in window) / n
    mean_w = sum(s.mg for s in window) / n
    num = sum((s.t - mean_t) * (s.mg - mean_w) for s in window)
    den = sum((s.t - mean_t) ** 2 for s in window)
    return 0.0 if den == 0 else num / den
