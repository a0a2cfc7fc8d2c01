"""A crash or power cut at any point resumes exactly where the bench was.

Three ways: a new process (engine, shell) after every step; a failure injected at every
effect of every step (the step's transaction must leave no trace, and feeding the event
again must finish the job); and a real process killed with SIGKILL mid-run.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import func, select

from station.audit.models import AuditEntry
from station.db.engine import Database
from station.inspection.models import (
    CheckResult,
    Inspection,
    Lot,
    PhotoEvidence,
    ResultEvent,
    ScanEvidence,
    WeightEvidence,
)
from station.workflow import records
from station.workflow.models import BenchSession
from tests.support.benches import LISTINGS, announce, shell

ROOT = Path(__file__).resolve().parents[3]


def script(evidence, label: str) -> list[dict]:
    """Every external event of inspecting a two-unit lot of L032 (general rules)."""
    listing = LISTINGS["L032"]
    front = evidence.put(b"front photo bytes").sha256
    back = evidence.put(b"back photo bytes").sha256
    events = [
        {"type": "sign_in", "operator": "ann"},
        {"type": "scan", "text": label},
        {"type": "count", "quantity": 2},
    ]
    for weight in (1_180_000, 1_500_000):  # the second unit is far too heavy
        events += [
            {"type": "scan", "text": listing["gtins"][0]},
            {"type": "weight", "milligrams": weight // 2, "stable": False},
            {"type": "weight", "milligrams": weight, "stable": True},
            {"type": "photo", "sha256": front, "face": "front"},
            {"type": "photo", "sha256": back, "face": "back"},
            {"type": "answer", "question": "packaging_intact", "value": "yes"},
            {"type": "answer", "question": "product_intact", "value": "yes"},
            {"type": "answer", "question": "label_present", "value": "yes"},
        ]
    return [*events, {"type": "command", "name": "CONFIRM"}]


def outcome(db: Database) -> dict:
    """What the inspection left behind, without ids or times."""
    with db.session() as session:
        units = session.scalars(select(Inspection).where(Inspection.lot_id.is_not(None)))
        lot = session.scalar(select(Lot))
        state = session.scalar(select(BenchSession))
        return {
            # which unit numbers are drawn is random; what each inspected unit got is not
            "units": sorted(
                (
                    u.final_verdict.value,
                    tuple((c.check, c.outcome.value) for c in u.checks),
                )
                for u in units
            ),
            "lot": (lot.decision.value, lot.disposition.value, lot.received_quantity),
            "events": [
                k
                for (k,) in session.execute(select(ResultEvent.kind).order_by(ResultEvent.position))
            ],
            "rows": fingerprint(session)["rows"],
            "phase": state.state["phase"],
        }


def fingerprint(session) -> dict:
    models = (
        Inspection,
        CheckResult,
        ScanEvidence,
        WeightEvidence,
        PhotoEvidence,
        Lot,
        ResultEvent,
        AuditEntry,
    )
    rows = {m.__tablename__: session.scalar(select(func.count()).select_from(m)) for m in models}
    state = session.scalar(select(BenchSession))
    return {"rows": rows, "state": state.state if state else None}


@pytest.fixture
def reference(sample_sqlite_template, tmp_path, evidence, june):
    """The uninterrupted run: its outcome and how many machine steps each event took."""
    from tests.support.sample_db import sqlite_copy

    db = Database(sqlite_copy(sample_sqlite_template, tmp_path / "reference.db"))
    _, label = announce(db, [("L032", 2)])
    bench = shell(db, evidence)
    steps, effects = [], []
    for event in script(evidence, label):
        report = bench.handle(event)
        steps.append(report.state.steps)
        effects.append(len(report.effects))
    result = outcome(db)
    db.dispose()
    assert result["lot"] == ("rejected", "return_to_merchant", 2)
    assert [v for v, _ in result["units"]] == ["fail", "pass"]
    return {"outcome": result, "steps": steps, "effects": effects, "label": label}


def test_a_new_process_after_every_step_ends_the_same(sample, evidence, june, reference):
    _, label = announce(sample, [("L032", 2)])
    for event in script(evidence, label):
        fresh = Database(sample.url)  # a new engine and shell: only the database remembers
        shell(fresh, evidence).handle(event)
        fresh.dispose()
    assert outcome(sample) == reference["outcome"]


class PowerCut(Exception):
    pass


def _then_crash(run):
    def crashing(*args):
        run(*args)
        raise PowerCut("after the effects, before the commit")

    return crashing


def test_a_crash_at_any_effect_leaves_no_trace_and_the_step_can_be_redone(
    sample_sqlite_template, tmp_path, evidence, june, reference, monkeypatch
):
    from tests.support.sample_db import sqlite_copy

    db = Database(sqlite_copy(sample_sqlite_template, tmp_path / "crash.db"))
    _, label = announce(db, [("L032", 2)])
    real = records.carry_out
    crashes = 0
    for event, effects in zip(script(evidence, label), reference["effects"], strict=True):
        # Before each effect, and once more after the last one (before the commit).
        for fail_at in range(effects + 1):
            calls = {"n": 0}

            def carry_out(*args, _fail_at=fail_at, _calls=calls):
                if _calls["n"] == _fail_at:
                    raise PowerCut(f"effect {_fail_at}")
                _calls["n"] += 1
                return real(*args)

            with db.session() as session:
                before = fingerprint(session)
            bench = shell(db, evidence)
            monkeypatch.setattr(records, "carry_out", carry_out)
            if fail_at == effects:
                monkeypatch.setattr(bench, "_run", _then_crash(bench._run))
            with pytest.raises(PowerCut):
                bench.handle(event)
            monkeypatch.setattr(records, "carry_out", real)
            with db.session() as session:
                assert fingerprint(session) == before, f"half a step was left after {event}"
            crashes += 1
        shell(db, evidence).handle(event)  # the operator does it again
    assert crashes == sum(reference["effects"]) + len(reference["effects"])
    assert outcome(db) == reference["outcome"]
    db.dispose()


CHILD = textwrap.dedent(
    """
    import json, sys
    from datetime import UTC, datetime
    from station.clock import FixedClock, set_clock
    from station.db.engine import Database
    from station.evidence import EvidenceStore
    from station.workflow.bench import BenchShell
    set_clock(FixedClock(datetime(2026, 6, 1, 2, tzinfo=UTC)))
    url, evidence, events = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
    bench = BenchShell(Database(url), EvidenceStore(evidence), bench_id="t-bench",
                       station_id="HZ1-B01", warehouse_id="WH-HZ1")
    for number, event in enumerate(events):
        bench.handle(event)
        print(number, flush=True)
    """
)


def test_a_killed_process_resumes_from_its_last_commit(
    sample_sqlite_template, tmp_path, evidence, june, reference
):
    import json

    from tests.support.sample_db import sqlite_copy

    db = Database(sqlite_copy(sample_sqlite_template, tmp_path / "killed.db"))
    _, label = announce(db, [("L032", 2)])
    events = script(evidence, label)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    child = subprocess.Popen(
        [
            sys.executable,
            "-c",
            CHILD,
            db.url,
            str(evidence.root),
            json.dumps(events),
        ],
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env=env,
    )
    kill_after = 9  # in the middle of the first unit
    for line in child.stdout:
        if int(line) == kill_after:
            os.kill(child.pid, signal.SIGKILL)
            break
    child.wait()
    assert child.returncode == -signal.SIGKILL
    with db.session() as session:
        steps = session.scalar(select(BenchSession.step))
    done = reference["steps"].index(steps) + 1  # events whose step committed
    assert done in (kill_after + 1, kill_after + 2)
    bench = shell(db, evidence)
    for event in events[done:]:
        bench.handle(event)
    assert outcome(db) == reference["outcome"]
    counted = Counter(e for e in outcome(db)["events"])
    assert counted == {"inspection.completed": 3, "lot.decided": 1}
    db.dispose()
