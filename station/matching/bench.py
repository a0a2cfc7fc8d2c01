"""The station's visual checks as the bench workflow uses them.

    shell = BenchShell(..., vision=vision_for(runtime))

Every bench of a process shares one VisualChecks (per feature folder, limits file
and evidence store): its feature store holds reference features within one memory
bound, so two benches must not each keep their own. `matching.enabled = false`
gives the workflow no vision at all (no quality gate, "listing match not installed").
"""

from __future__ import annotations

import threading

from station.matching.checks import VisualChecks
from station.workflow.evaluation import Vision

_shared: dict[tuple, VisualChecks] = {}
_lock = threading.Lock()


def visual_checks(runtime) -> VisualChecks:
    """This process's VisualChecks for the runtime's settings (built on first use)."""
    settings = runtime.settings.matching
    key = (
        str(settings.feature_dir),
        settings.memory_mb,
        settings.thresholds,
        str(runtime.evidence.root),
    )
    with _lock:
        checks = _shared.get(key)
        if checks is None:
            checks = _shared[key] = VisualChecks.from_runtime(runtime)
        return checks


def vision_for(runtime) -> Vision:
    """What a BenchShell of this process runs: quality gate, listing match, brand mark."""
    if not runtime.settings.matching.enabled:
        return Vision()
    checks = visual_checks(runtime)
    return Vision(
        match=checks.match_evidence,
        brand_mark=checks.brand_mark_evidence,
        photo_quality=checks.photo_verdict,
    )
