"""The quality gate in the state machine: the verdict arrives in the Photo event, the
machine asks for retakes and gives up after the limit (no I/O, no images)."""

from __future__ import annotations

import uuid

import numpy as np

from api.i18n import catalogue
from station.checks.vision import PROBLEM_TEXT, UNREADABLE
from station.workflow.effects import EvaluateUnit, RecordPhoto
from station.workflow.events import Photo
from station.workflow.machine import Policy, step
from station.workflow.simulated import camera_frames
from station.workflow.state import BenchState, LineView, LotState, Phase, ShipmentView, UnitState
from tests.support.benches import LISTINGS
from vision.quality import Problem, assess


def on_the_photo_step() -> BenchState:
    line = LineView(line_no=1, listing_id="L001", title="tea", quantity=1, gtins=["1"],
                    requires_serial=False, requires_expiry=False, rules="default",
                    photo_faces=["front"], questions=[])  # fmt: skip
    return BenchState(
        phase=Phase.INSPECTING,
        operator="ann",
        shipment=ShipmentView(id="S", merchant_id="M", warehouse_id="W", s10_id="x", lines=[line]),
        lot=LotState(lot_id=uuid.uuid4(), line_no=1),
        unit=UnitState(unit_no=1, index=0, inspection_id=uuid.uuid4(), gtin="1", weight_mg=5),
    )


def photo(problems: list[str]) -> Photo:
    return Photo(sha256=uuid.uuid4().hex * 2, face="front", problems=problems, quality={})


def test_a_turned_down_photo_is_recorded_and_the_step_stays():
    result = step(on_the_photo_step(), photo(["glare", "item_cut_off"]), Policy(photo_retakes=2))
    state = result.state
    [recorded] = result.effects
    assert isinstance(recorded, RecordPhoto) and recorded.kept is False
    assert state.phase == Phase.INSPECTING and state.unit.photos == {}
    assert state.unit.retakes == {"front": 1}
    assert "glare" in state.notice.en and "tilt it away" in state.notice.en
    assert "反光" in state.notice.zh and "超出画面" in state.notice.zh


def test_at_the_limit_the_photo_is_taken_and_a_good_one_clears_the_problem():
    policy = Policy(photo_retakes=1)
    state = step(on_the_photo_step(), photo(["blurry"]), policy).state
    result = step(state, photo(["blurry"]), policy)
    assert [type(e) for e in result.effects] == [RecordPhoto, EvaluateUnit]
    assert result.effects[0].kept is True
    assert result.effects[1].unit.photo_problems == {"front": ["blurry"]}
    assert "review" in result.state.notice.en

    good = step(state, photo([]), policy)  # the retake came out well instead
    assert good.effects[1].unit.photo_problems == {}


def test_no_retakes_allowed_takes_the_first_photo():
    result = step(on_the_photo_step(), photo(["too_dark"]), Policy(photo_retakes=0))
    assert result.effects[0].kept and result.state.phase == Phase.EVALUATING


def test_the_simulated_camera_films_the_listing_on_the_bench():
    frames = camera_frames(LISTINGS["L001"], "front", seed=2)
    other = camera_frames(LISTINGS["L003"], "front", seed=2)
    assert len(frames) == 4 and not np.array_equal(frames[0], frames[1])  # not frozen
    same = camera_frames(LISTINGS["L001"], "front", seed=2)
    assert np.array_equal(frames[0], same[0])  # deterministic
    assert np.abs(frames[0].astype(int) - other[0].astype(int)).mean() > 1  # the sibling
    assert assess(frames[0]).ok and assess(other[0]).ok


def test_every_problem_the_gate_reports_is_worded_for_the_operator():
    for code in [p.value for p in Problem] + [UNREADABLE]:
        assert code in PROBLEM_TEXT, code
        for language in ("en", "zh"):
            assert f"photo_problem.{code}" in catalogue(language), (language, code)
