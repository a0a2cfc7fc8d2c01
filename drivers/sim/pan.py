"""The physical side of a simulated scale: what lies on the pan, moment by moment.

Placing or removing a load starts a decaying oscillation that settles on the new load
after `settle_s`; until then the scale is "in motion". Loads beyond `capacity_g` are
overload, below `min_g` underload (pan lifted, platform missing).
"""

from __future__ import annotations

import math
import threading
import time
from decimal import ROUND_HALF_EVEN, Decimal

from drivers.sim.scale_devices import PanState
from drivers.units import MILLIGRAMS_PER


class Pan:
    def __init__(
        self,
        *,
        unit: str = "g",
        decimals: int = 2,
        capacity_g: float = 6000.0,
        min_g: float = -100.0,
    ) -> None:
        self.unit, self.decimals = unit, decimals
        self.capacity_g, self.min_g = capacity_g, min_g
        self._lock = threading.Lock()
        self._from = self._to = 0.0
        self._since = time.monotonic()
        self._settle = 0.0

    def place(self, grams: float, settle_s: float = 0.6) -> None:
        """Put a load on (negative = lift, e.g. after a tare), settling in `settle_s`."""
        with self._lock:
            now = time.monotonic()
            self._from = self._grams(now)
            self._to, self._since, self._settle = float(grams), now, max(settle_s, 0.0)

    def remove(self, settle_s: float = 0.4) -> None:
        self.place(0.0, settle_s)

    def _grams(self, now: float) -> float:
        elapsed = now - self._since
        if elapsed >= self._settle:
            return self._to
        left = 1.0 - elapsed / self._settle
        swing = (self._from - self._to) * left * left * math.cos(2 * math.pi * 3 * elapsed)
        return self._to + swing

    def state(self, now: float | None = None) -> PanState:
        now = time.monotonic() if now is None else now
        with self._lock:
            grams = self._grams(now)
            moving = now - self._since < self._settle
        per_unit = MILLIGRAMS_PER[self.unit] / 1000
        step = Decimal(1).scaleb(-self.decimals)
        value = (Decimal(repr(grams)) / per_unit).quantize(step, rounding=ROUND_HALF_EVEN)
        return PanState(
            value=value,
            unit=self.unit,
            moving=moving,
            over=grams > self.capacity_g,
            under=grams < self.min_g,
            at_zero=value == 0 and not moving,
        )
