"""The bench shell: feeds events into the machine and carries out its effects.

One call to `handle` is one transaction: the event, every effect it causes, the
answers those effects feed back, and the saved state commit together or not at all.
After a crash the bench reloads the last committed state and goes on from there.
"""

from __future__ import annotations

from collections import deque
from concurrent.futures import wait
from dataclasses import dataclass, field

import cv2
import numpy as np
from sqlalchemy.orm import Session

from station.clock import utcnow
from station.db import schema  # noqa: F401  (every model registered before the first flush)
from station.db.engine import Database
from station.errors import StationError
from station.evidence import EvidenceStore
from station.identifiers import ScanRules, identify
from station.settings import SamplingSettings, load_settings
from station.workflow import records
from station.workflow.effects import Effect, EvaluateUnit
from station.workflow.evaluation import QualityCall, Vision
from station.workflow.events import (
    EXTERNAL_TYPES,
    Event,
    Identification,
    Photo,
    Scan,
    event_adapter,
)
from station.workflow.machine import Policy, step
from station.workflow.models import BenchSession
from station.workflow.photos import UNREADABLE
from station.workflow.state import BenchState, UnitState
from vision.errors import VisionError

MAX_CASCADE = 200  # effects answering effects: far more than any real step needs


class BenchRefused(StationError):
    """An event the bench does not take from outside (e.g. a machine-internal answer)."""


@dataclass
class StepReport:
    state: BenchState
    events: list[Event] = field(default_factory=list)  # the event and the answers fed back
    effects: list[Effect] = field(default_factory=list)


class BenchShell:
    """One inspection bench: its id, database, evidence store, vision and policy."""

    def __init__(
        self,
        db: Database,
        evidence: EvidenceStore,
        *,
        bench_id: str,
        station_id: str | None = None,
        warehouse_id: str | None = None,
        policy: Policy | None = None,
        vision: Vision | None = None,
        sampling: SamplingSettings | None = None,
        scan_rules: ScanRules | None = None,
    ) -> None:
        self.db = db
        self.scan_rules = scan_rules or ScanRules.shipped()
        self.evidence = evidence
        self.policy = policy or Policy()
        self.target = records.Bench(
            bench_id,
            station_id,
            warehouse_id,
            vision or Vision(),
            sampling or load_settings().sampling,
            evidence,
        )

    @property
    def bench_id(self) -> str:
        return self.target.bench_id

    def state(self) -> BenchState:
        """The last committed state of this bench (a fresh one if it never ran)."""
        with self.db.session() as session:
            row = session.get(BenchSession, self.bench_id)
            return BenchState.model_validate(row.state) if row else BenchState()

    def handle(self, event: Event | dict) -> StepReport:
        """Take one event from a device or the operator, in one transaction."""
        event = self._prepare(event)
        self._look_ahead(event)
        with self.db.transaction() as session:
            row = self._lock(session)
            state = BenchState.model_validate(row.state) if row.state else BenchState()
            report = self._run(session, state, event)
            row.state = report.state.model_dump(mode="json")
            row.step = report.state.steps
            row.station_id = self.target.station_id
        self._prefetch(report.state.unit)
        return report

    def _look_ahead(self, event: Event) -> None:
        """When this event will end in a unit's verdict, do the image work first,
        outside the write transaction that the bench (and on SQLite, every writer)
        would otherwise wait on. The machine is pure, so a dry step costs little."""
        if self.target.vision.prefetch is None:
            return
        try:
            effects = step(self.state(), event, self.policy).effects
        except Exception:  # the real step reports it, in its transaction
            return
        for effect in effects:
            if isinstance(effect, EvaluateUnit):
                pending = self._prefetch(effect.unit)
                if pending is not None:
                    wait([pending])

    def _prefetch(self, unit: UnitState | None):
        """Start the visual checks of a unit's photos as soon as they are taken: the
        operator answers the checklist meanwhile."""
        prefetch = self.target.vision.prefetch
        if prefetch is None or unit is None or unit.inspection_id is None or not unit.photos:
            return None
        return prefetch(unit.inspection_id, dict(unit.photos))

    def take_photo(
        self,
        image: bytes,
        *,
        camera: str = "camera",
        face: str | None = None,
        width: int = 0,
        height: int = 0,
        media_type: str = "image/png",
    ) -> StepReport:
        """Store the photo's bytes (before any record points at them), then hand it over."""
        stored = self.evidence.put(image)
        return self.handle(
            Photo(
                sha256=stored.sha256,
                camera=camera,
                face=face,
                width=width,
                height=height,
                media_type=media_type,
            )
        )

    def _prepare(self, event: Event | dict) -> Event:
        if isinstance(event, dict):
            event = event_adapter.validate_python(event)
        if event.type not in EXTERNAL_TYPES:
            raise BenchRefused(
                f"event type {event.type!r} comes from the bench itself, not outside"
            )
        updates: dict = {}
        if event.at is None:
            updates["at"] = utcnow()
        if isinstance(event, Scan) and event.identification is None:
            updates["identification"] = identification_of(event, self.scan_rules)
        judge = self.target.vision.photo_quality
        if isinstance(event, Photo) and event.quality is None and judge is not None:
            updates["problems"], updates["quality"] = photo_quality_of(event, self.evidence, judge)
        return event.model_copy(update=updates) if updates else event

    def _lock(self, session: Session) -> BenchSession:
        row = session.get(BenchSession, self.bench_id, with_for_update=True)
        if row is None:
            row = BenchSession(bench_id=self.bench_id, state={}, step=0)
            session.add(row)
            session.flush()
        return row

    def _run(self, session: Session, state: BenchState, event: Event) -> StepReport:
        report = StepReport(state=state)
        queue: deque[Event] = deque([event])
        while queue:
            if len(report.events) >= MAX_CASCADE:
                raise StationError(f"bench {self.bench_id}: effects kept answering each other")
            current = queue.popleft()
            result = step(report.state, current, self.policy)
            report.state = result.state
            report.events.append(current)
            for effect in result.effects:
                report.effects.append(effect)
                answer = records.carry_out(session, self.target, report.state, effect)
                if answer is not None:
                    queue.append(answer.model_copy(update={"at": current.at}))
        return report


def photo_quality_of(
    photo: Photo, evidence: EvidenceStore, judge: QualityCall
) -> tuple[list[str], dict]:
    """The quality gate's verdict on a stored photo; a picture that cannot be read is
    one to retake, like a blurred one."""
    data = np.frombuffer(evidence.read(photo.sha256), np.uint8)  # NotFound if it is not
    image = cv2.imdecode(data, cv2.IMREAD_COLOR)
    if image is None:
        return [UNREADABLE], {}
    try:
        problems, measured = judge(image)
    except VisionError:
        return [UNREADABLE], {}
    return list(problems), dict(measured)


def identification_of(scan: Scan, rules: ScanRules) -> Identification:
    """What the scanned text is (station.identifiers.identify), as plain data."""
    found = identify(scan.text, aim=scan.aim, rules=rules).to_json()
    return Identification(
        kind=found["kind"], valid=found["valid"], reason=found["reason"], fields=found["fields"]
    )
