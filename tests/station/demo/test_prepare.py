"""The demo's database set-up and its autopilot case for the review queue, in-process on a
copy of the sample site."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from station.access.models import User
from station.demo.prepare import DEMO_USERS, REVIEW_CASE, DemoPilot, prepare_database
from station.inspection.models import Outcome
from station.reference.models import Shipment, ShipmentStatus
from station.review.service import review_queue
from station.workflow.bench import BenchShell
from station.workflow.state import Phase
from tests.support.site import build_template, open_site


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    return build_template(tmp_path_factory.mktemp("demo-template"))


@pytest.fixture
def site(template, tmp_path):
    opened = open_site(template, tmp_path / "site")
    yield opened
    opened.runtime.close()


def test_the_review_case_leaves_one_unit_for_a_supervisor(site):
    result = DemoPilot(site.runtime.db, site.runtime.evidence, seed=3).run_case(REVIEW_CASE)
    assert result.as_expected, result
    assert result.found == [] and result.verdicts.get("review") == 1
    with site.runtime.db.session() as session:
        waiting = review_queue(session, None)
        assert len(waiting) == 1
        unsure = [c for c in waiting[0].checks if c.outcome == Outcome.REVIEW]
        assert [(c.check, c.reason) for c in unsure] == [("weight", "Not weighed (SCALE_FAULT)")]


def test_a_second_start_changes_nothing_and_settles_a_half_done_autopilot(site):
    runtime, said = site.runtime, []
    # An autopilot stopped hard in the middle of a shipment: its bench still holds it.
    shell = BenchShell(runtime.db, runtime.evidence, bench_id="autopilot-HZ1-B01",
                       station_id="HZ1-B01", warehouse_id="WH-HZ1")  # fmt: skip
    shell.handle({"type": "sign_in", "operator": "autopilot"})
    shell.handle({"type": "scan", "text": "EE729871127CN"})
    assert shell.state().phase == Phase.COUNTING

    prepare_database(runtime, said.append)
    assert shell.state().phase == Phase.IDLE and shell.state().shipment is None
    assert any("abandoned" in line for line in said)
    with runtime.db.session() as session:
        held = session.get(Shipment, "ASN-20261124")
        assert held.status == ShipmentStatus.QUARANTINED
        users = session.scalar(select(func.count()).select_from(User))
        names = set(session.scalars(select(User.username)))
    assert {u[0] for u in DEMO_USERS} <= names

    said.clear()
    prepare_database(runtime, said.append)
    assert said == []  # nothing to migrate, load, create or settle
    with runtime.db.session() as session:
        assert session.scalar(select(func.count()).select_from(User)) == users
