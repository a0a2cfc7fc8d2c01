"""What the bench screen shows, worked out from the bench's state: the prompt, the
unit's steps with the one to do now, the lot's progress, the devices, the photos
beside the listing's own images, and the last verdict with its reasons."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from station.benchrun import BenchRunner
from station.checks.rules import rule_set
from station.inspection.models import Inspection, Outcome, PhotoEvidence
from station.reference.models import ListingImage
from station.workflow.state import BenchState, LineView, Phase, UnitState
from station.workflow.unit import missing_steps


@dataclass
class Step:
    key: str  # scan, serial, expiry, weight, photo:<face>, question:<id>
    label: str
    status: str  # done, now, todo, skipped
    value: str = ""
    problem: str = ""  # what the quality gate found on this photo (retake, or taken anyway)


@dataclass
class BenchView:
    phase: str
    notice: tuple[str, str] | None  # (level, text)
    state: BenchState
    line: LineView | None
    steps: list[Step] = field(default_factory=list)
    now: Step | None = None
    question: str | None = None  # text of the checklist question to answer now
    photos: list[tuple[str, str | None, str | None, str | None]] = field(default_factory=list)
    verdict: dict | None = None
    progress: tuple[int, int] | None = None  # (units done, sample size)


def bench_view(session: Session, runner: BenchRunner, lang: str, t) -> BenchView:
    state = runner.state()
    line = state.current_line()
    notice = None
    if state.notice is not None:
        text = state.notice.zh if lang == "zh" and state.notice.zh else state.notice.en
        notice = (state.notice.level, text)
    view = BenchView(phase=state.phase.value, notice=notice, state=state, line=line)
    if state.lot is not None and state.lot.plan is not None:
        view.progress = (state.lot.next_index, len(state.lot.plan.units))
    if state.phase == Phase.INSPECTING and state.unit is not None and line is not None:
        _unit_steps(view, state.unit, line, state.waivers, lang, t)
        view.photos = _photos(session, state.unit, line)
    view.verdict = last_verdict(session, runner, lang)
    return view


def _unit_steps(view: BenchView, unit: UnitState, line: LineView, waivers, lang: str, t) -> None:
    missing = missing_steps(unit, line, waivers)
    questions = {q.id: (q.zh if lang == "zh" else q.en) for q in rule_set(line.rules).questions}
    wanted = ["scan"]
    wanted += ["serial"] if line.requires_serial else []
    wanted += ["expiry"] if line.requires_expiry else []
    wanted += ["weight"] + [f"photo:{f}" for f in line.photo_faces]
    wanted += [f"question:{q}" for q in line.questions]
    values = {
        "scan": unit.gtin or "",
        "serial": unit.serial or "",
        "expiry": unit.expiry.isoformat() if unit.expiry else "",
        "weight": t("inspection.grams", g=f"{unit.weight_mg / 1000:.1f}") if unit.weight_mg else "",
    }
    for key in wanted:
        kind, _, arg = key.partition(":")
        if kind == "photo":
            label = t("bench.step.photo", face=t(f"face.{arg}"))
        elif kind == "question":
            label = questions.get(arg, arg)
        else:
            label = t(f"bench.step.{kind}")
        if key in unit.skipped:
            status = "skipped"
        elif key in missing:
            status = "now" if key == missing[0] else "todo"
        else:
            status = "done"
        value = unit.answers.get(arg, "") if kind == "question" else values.get(kind, "")
        problem = photo_problem(unit, arg, t) if kind == "photo" else ""
        view.steps.append(Step(key, label, status, value, problem))
    view.now = next((s for s in view.steps if s.status == "now"), None)
    if view.now and view.now.key.startswith("question:"):
        view.question = view.now.label


def photo_problem(unit: UnitState, face: str, t) -> str:
    """The quality gate's finding on the face's last photo, in the screen's language."""
    codes = unit.photo_problems.get(face)
    if not codes:
        return ""
    text = "; ".join(t(f"photo_problem.{code}") for code in codes)
    if face in unit.photos:
        return t("bench.photo_taken_anyway", problems=text)
    return t("bench.photo_retake", problems=text, n=unit.retakes.get(face, 0))


def _photos(session: Session, unit: UnitState, line: LineView):
    """(face, photo sha, reference sha, overlay sha) for each face the line asks for."""
    references = dict(
        session.execute(
            select(ListingImage.face, ListingImage.sha256).where(
                ListingImage.listing_id == line.listing_id
            )
        ).all()
    )
    overlays = {}
    if unit.inspection_id is not None:
        for photo in session.scalars(
            select(PhotoEvidence).where(PhotoEvidence.inspection_id == unit.inspection_id)
        ):
            overlay = (photo.analysis or {}).get("overlay_sha256")
            if overlay:  # turned-down photos of the face have none
                overlays[photo.face] = overlay
    faces = list(dict.fromkeys([*line.photo_faces, *unit.photos]))
    return [(f, unit.photos.get(f), references.get(f), overlays.get(f)) for f in faces]


def last_verdict(session: Session, runner: BenchRunner, lang: str) -> dict | None:
    """The latest verdict given at this bench since it started, with the reason of
    each failing or unsure check."""
    given = runner.last_verdict
    if not given or not given.get("inspection_id"):
        return None
    inspection = session.get(Inspection, uuid.UUID(given["inspection_id"]))
    if inspection is None or inspection.verdict is None:
        return None
    reasons = [
        (c.check, c.outcome.value, c.reason_zh if lang == "zh" and c.reason_zh else c.reason)
        for c in inspection.checks
        if c.outcome in (Outcome.FAIL, Outcome.REVIEW)
    ]
    return {
        "id": str(inspection.id),
        "unit_no": inspection.unit_no,
        "verdict": inspection.verdict.value,
        "defect_class": inspection.defect_class.value if inspection.defect_class else None,
        "reasons": reasons,
    }
