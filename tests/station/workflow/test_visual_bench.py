"""A bench with the visual checks on: the listing match decides, the quality gate asks
for retakes, and the reviewer gets the match overlay with the photos."""

from __future__ import annotations

import random
import shutil
import threading

import cv2
import numpy as np
import pytest
from sqlalchemy import select

from station.evidence import EvidenceStore
from station.inspection.models import CheckResult, Inspection, Outcome, PhotoEvidence
from station.matching import FeatureStore, VisualChecks, load_limits
from station.matching.bench import EarlyChecks, vision_for, visual_checks
from station.runtime import Runtime
from station.settings import load_settings
from station.workflow.bench import BenchShell
from station.workflow.evaluation import Vision
from station.workflow.machine import Policy
from station.workflow.operator import ScriptedOperator, sample_photo
from station.workflow.state import Phase
from tests.support.benches import LISTINGS, announce, good_unit, sqlite_only


@pytest.fixture(scope="module")
def features(tmp_path_factory) -> FeatureStore:
    """Reference features, computed once for the module's benches."""
    return FeatureStore(tmp_path_factory.mktemp("features"), 128 << 20)


@pytest.fixture
def station(sample, sample_sqlite_template, tmp_path, features):
    """The sample database and an evidence store holding its reference images."""
    folder = tmp_path / "bench-evidence"
    shutil.copytree(sample_sqlite_template.parent / "evidence", folder)
    evidence = EvidenceStore(folder)
    return sample, evidence, VisualChecks(evidence, features, load_limits())


def bench(station, retakes: int = 2) -> BenchShell:
    db, evidence, checks = station
    vision = vision_for_checks(checks)
    return BenchShell(db, evidence, bench_id="v-bench", station_id="HZ1-B01",
                      warehouse_id="WH-HZ1", policy=Policy(photo_retakes=retakes),
                      vision=vision)  # fmt: skip


def vision_for_checks(checks: VisualChecks):
    from station.workflow.evaluation import Vision

    return Vision(checks.match_evidence, checks.brand_mark_evidence, checks.photo_verdict)


class Camera(ScriptedOperator):
    """An operator whose first `blurred` photos are shaken, and who may hold up
    another listing's item (`shows`) while scanning this one's code."""

    blurred: int = 0
    shows: dict | None = None

    def photo(self, listing, face, fresh=False):
        data, size = super().photo(self.shows or listing, face, fresh)
        if self.blurred > 0:
            self.blurred -= 1
            image = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR)
            ok, shaken = cv2.imencode(".jpg", cv2.GaussianBlur(image, (0, 0), 4))
            data = shaken.tobytes()
        return data, size


def inspect_one(station, listing: str, *, retakes=2, blurred=0, shows=None) -> Camera:
    _, label = announce(station[0], [(listing, 1)])
    op = Camera(bench(station, retakes), random.Random(3))
    op.blurred, op.shows = blurred, shows
    op.send({"type": "sign_in", "operator": "ann"})
    op.inspect_parcel(label, lambda qty: qty, lambda state, no: good_unit(listing))
    return op


def unit_record(db):
    with db.session() as session:
        inspection = session.scalar(select(Inspection).where(Inspection.lot_id.is_not(None)))
        checks = {c.check: c for c in session.scalars(
            select(CheckResult).where(CheckResult.inspection_id == inspection.id))}  # fmt: skip
        photos = session.scalars(
            select(PhotoEvidence)
            .where(PhotoEvidence.inspection_id == inspection.id)
            .order_by(PhotoEvidence.taken_at)
        ).all()
        session.expunge_all()
    return inspection, checks, photos


@sqlite_only
def test_the_listed_item_passes_the_match_and_the_overlay_is_kept(station, june):
    inspect_one(station, "L001")
    inspection, checks, photos = unit_record(station[0])
    assert checks["visual_match"].outcome == Outcome.PASS, checks["visual_match"].reason
    assert inspection.final_verdict.value == "pass"
    kept = [p for p in photos if "match" in p.analysis]
    assert {p.face for p in kept} == {"front", "back"}
    assert all(p.analysis["match"]["outcome"] == "match" for p in kept)
    assert all(p.analysis["quality"]["problems"] == [] for p in photos)
    [shown] = [p for p in kept if "overlay_sha256" in p.analysis]
    assert station[1].read(shown.analysis["overlay_sha256"]).startswith(b"\x89PNG")


@sqlite_only
def test_a_sibling_product_under_the_right_code_fails_on_the_match(station, june):
    # The operator scans L001's code but the item is L003 (oolong, same brand).
    substitute = dict(LISTINGS["L003"], gtins=LISTINGS["L001"]["gtins"])
    inspect_one(station, "L001", shows=substitute)
    inspection, checks, photos = unit_record(station[0])
    visual = checks["visual_match"]
    assert checks["identity"].outcome == Outcome.PASS  # the code alone would let it through
    assert visual.outcome in (Outcome.FAIL, Outcome.REVIEW), visual.reason
    assert inspection.verdict.value in ("fail", "review")
    assert visual.defect_code == "visual_mismatch" and "L001" in visual.reason
    matched = [p for p in photos if "match" in p.analysis]
    assert matched and all(p.analysis["match"]["outcome"] != "match" for p in matched)
    overlays = [p.analysis["overlay_sha256"] for p in photos if "overlay_sha256" in p.analysis]
    assert overlays and station[1].read(overlays[0]).startswith(b"\x89PNG")


@sqlite_only
def test_a_blurred_photo_is_kept_and_the_operator_asked_to_retake(station, june):
    _, label = announce(station[0], [("L001", 1)])
    shell = bench(station)
    op = Camera(shell, random.Random(3))
    op.send({"type": "sign_in", "operator": "ann"})
    state = op.send({"type": "scan", "text": label})
    state = op.send({"type": "count", "quantity": 1})
    unit = good_unit("L001")
    op.hands.scan(unit.listing["gtins"][0])
    state = op.hands.weigh(unit.weight_mg)
    blurred = cv2.GaussianBlur(
        cv2.imdecode(np.frombuffer(sample_photo(unit.listing, "front", random.Random(1)),
                                   np.uint8), cv2.IMREAD_COLOR), (0, 0), 4)  # fmt: skip
    report = shell.take_photo(cv2.imencode(".png", blurred)[1].tobytes(), face="front")

    state = report.state
    assert state.phase == Phase.INSPECTING and "front" not in state.unit.photos
    assert state.unit.retakes == {"front": 1} and state.unit.photo_problems["front"] == ["blurry"]
    assert state.notice.level == "warning"
    assert "too blurry" in state.notice.en and "照片模糊" in state.notice.zh
    _, _, photos = unit_record(station[0])
    [turned_down] = photos
    assert turned_down.analysis["turned_down"] is True
    assert turned_down.analysis["quality"]["problems"] == ["blurry"]
    assert turned_down.analysis["quality"]["blur"] > 0.35

    image, size = op.photo(unit.listing, "front", fresh=True)  # the operator holds still
    state = shell.take_photo(image, face="front", width=size[0], height=size[1]).state
    assert state.unit.photos.get("front") and "front" not in state.unit.photo_problems


@sqlite_only
def test_after_the_retake_limit_the_photo_is_taken_and_the_unit_reviewed(station, june):
    op = inspect_one(station, "L001", retakes=1, blurred=2)
    inspection, checks, photos = unit_record(station[0])
    assert inspection.verdict.value == "review" and inspection.final_verdict is None
    visual = checks["visual_match"]
    assert visual.outcome == Outcome.REVIEW and "too blurry" in visual.reason
    assert "照片模糊" in visual.reason_zh
    assert visual.details["photo_problems"] == {"front": ["blurry"]}
    fronts = [p for p in photos if p.face == "front"]
    assert [p.analysis.get("turned_down", False) for p in fronts] == [True, False]
    verdicts = [r.state.notice.en for r in op.reports if r.state.notice]
    assert any("taken as it is" in text for text in verdicts)


def test_one_visual_checks_per_process_and_a_switch_to_turn_them_off(tmp_path):
    settings = load_settings(data_dir=tmp_path)
    runtime = Runtime.from_settings(settings)
    other = Runtime.from_settings(settings)
    try:
        assert visual_checks(runtime) is visual_checks(other)  # one feature store
        vision = vision_for(runtime)
        assert vision.match and vision.brand_mark and vision.photo_quality
        off = settings.model_copy(
            update={"matching": settings.matching.model_copy(update={"enabled": False})}
        )
        runtime.settings = off
        assert vision_for(runtime).match is None and vision_for(runtime).photo_quality is None
    finally:
        runtime.close()
        other.close()


@sqlite_only
def test_image_work_starts_with_the_photos_and_stays_out_of_the_verdicts_transaction(station, june):
    """The match runs in the background as each photo comes; the verdict (one write
    transaction, which on SQLite every writer waits on) finds it done."""
    db, evidence, checks = station
    threads: list[str] = []
    real = checks.match_evidence

    def watched(session, *args):
        threads.append(threading.current_thread().name)
        return real(session, *args)

    checks.match_evidence = watched
    early = EarlyChecks(checks, db)
    vision = Vision(early.match, early.brand_mark, checks.photo_verdict, early.prefetch)
    shell = BenchShell(db, evidence, bench_id="early-bench", station_id="HZ1-B01",
                       warehouse_id="WH-HZ1", vision=vision)  # fmt: skip
    _, label = announce(db, [("L001", 1)])
    op = Camera(shell, random.Random(3))
    op.send({"type": "sign_in", "operator": "ann"})
    op.inspect_parcel(label, lambda qty: qty, lambda state, no: good_unit("L001"))

    inspection, results, photos = unit_record(db)
    assert results["visual_match"].outcome == Outcome.PASS, results["visual_match"].reason
    assert any("overlay_sha256" in p.analysis for p in photos)
    faces = len({p.face for p in photos})
    assert threads and all(name.startswith("visual-checks") for name in threads), threads
    assert len(threads) <= faces  # once per photo taken, never again at the verdict
