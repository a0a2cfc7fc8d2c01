"""The bench screen words the quality gate's finding in the screen's language."""

from functools import partial

from api.i18n import translate
from api.screens.bench_view import photo_problem
from station.workflow.state import UnitState


def test_a_turned_down_photo_and_one_taken_at_the_limit_in_both_languages():
    unit = UnitState(unit_no=1, index=0, retakes={"front": 1}, photo_problems={"front": ["blurry"]})
    en, zh = partial(translate, "en"), partial(translate, "zh")
    assert photo_problem(unit, "front", en) == "Retake: too blurry: hold still (turned down 1×)"
    assert photo_problem(unit, "front", zh) == "请重拍：照片模糊：请保持稳定（已退回 1 次）"
    assert photo_problem(unit, "back", en) == ""  # nothing wrong with the back

    unit.photos["front"] = "a" * 64  # taken after the last retake
    assert "goes to review" in photo_problem(unit, "front", en)
    assert "需复核" in photo_problem(unit, "front", zh)
