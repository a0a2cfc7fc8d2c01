"""Photos of the unit and the quality gate at capture.

The bench judges each photo before the machine sees it (Photo.problems, codes of
vision.quality). A photo with problems is kept as evidence, but the step stays on
that face and the operator is told what to fix. After `retakes` turned-down
retakes of a face the next photo is taken whatever its problems; the unit then
goes to review with them as the reason (station.checks.vision).
"""

from __future__ import annotations

from station.checks.vision import UNREADABLE, problem_text
from station.workflow.effects import Effect, RecordPhoto
from station.workflow.events import Photo
from station.workflow.state import BenchState, Phase
from station.workflow.unit import evaluate_if_complete, say

__all__ = ["UNREADABLE", "on_photo", "problem_text"]


def on_photo(state: BenchState, photo: Photo, retakes: int, out: list[Effect]) -> None:
    unit, line = state.unit, state.current_line()
    if state.phase != Phase.INSPECTING or unit is None or line is None:
        return
    assert unit.inspection_id is not None
    wanted = [f for f in line.photo_faces if f not in unit.photos]
    face = photo.face or (wanted[0] if wanted else f"extra-{len(unit.photos) + 1}")
    if photo.problems:
        unit.photo_problems[face] = list(photo.problems)
        en, zh = problem_text(photo.problems)
        turned_down = unit.retakes.get(face, 0)
        if turned_down < retakes:
            unit.retakes[face] = turned_down + 1
            out.append(
                RecordPhoto(inspection_id=unit.inspection_id, face=face, photo=photo, kept=False)
            )
            n = f"{turned_down + 1}/{retakes}"
            say(
                state,
                f"Photo of the {face} not taken ({en}). Retake it (retake {n})",
                f"{face} 面照片未采用（{zh}）。请重拍（第 {n} 次重拍）",
                "warning",
            )
            return
        say(
            state,
            f"Photo of the {face} taken as it is ({en}): the unit will need review",
            f"{face} 面照片按原样采用（{zh}）：该商品需复核",
            "warning",
        )
    else:
        unit.photo_problems.pop(face, None)
    unit.photos[face] = photo.sha256
    out.append(RecordPhoto(inspection_id=unit.inspection_id, face=face, photo=photo))
    evaluate_if_complete(state, out)
