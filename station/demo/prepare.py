"""Getting the demo's database ready (schema, sample data, demo sign-ins) and filling it
with the autopilot's inspections; every part leaves what is already there alone, so a
second start continues where the first one stopped."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import func, select

from station.access.models import User
from station.access.users import create_user
from station.db import migrate as migrations
from station.reference.models import Listing
from station.runtime import Runtime
from station.workflow.autopilot import SCENARIOS, Autopilot, settle_benches

STATION = "HZ1-B01"
WAREHOUSE = "WH-HZ1"
# (user name, role, password, station): the demo's sign-ins, never a real installation's.
DEMO_USERS = (
    ("operator", "operator", "demo-operator", STATION),
    ("supervisor", "supervisor", "demo-supervisor", None),
    ("admin", "admin", "demo-admin", None),
)
Echo = Callable[[str], None]


def prepare_database(runtime: Runtime, echo: Echo) -> None:
    """Migrate, load the sample data if there is none, create the demo sign-ins if missing,
    and close what an interrupted autopilot left open."""
    if not migrations.schema_status(runtime.db.engine).up_to_date:
        echo("migrating the database")
        migrations.upgrade(runtime.settings.database_url)
    with runtime.db.session() as session:
        listings = session.scalar(select(func.count()).select_from(Listing))
    if not listings:
        echo("loading the sample data (first start)")
        from station.sample.load import load_sample

        load_sample(runtime.db, runtime.evidence, runtime.settings.data_dir / "sample-images")
    with runtime.db.transaction() as session:
        for username, role, password, station in DEMO_USERS:
            if session.scalar(select(User.id).where(User.username == username)) is None:
                create_user(session, username=username, role=role, password=password,
                            station_id=station, actor="demo")  # fmt: skip
    settle_autopilot_benches(runtime, echo)


def settle_autopilot_benches(runtime: Runtime, echo: Echo) -> None:
    """An autopilot stopped mid-shipment left its bench holding it: abandon it."""
    for bench_id in settle_benches(runtime.db, runtime.evidence):
        echo(f"{bench_id}: abandoned the shipment an interrupted autopilot left open")


@dataclass
class PilotTally:
    done: int = 0
    as_expected: int = 0


# After the nine listed cases, one for the review queue: a lot that passes except that
# the scale was down for one unit, so a supervisor decides that unit.
REVIEW_CASE = "scale_down_review"


def run_autopilot(runtime: Runtime, count: int, stop: threading.Event, echo: Echo) -> PilotTally:
    """`count` inspections through the real workflow and simulated devices, the listed
    cases in turn (then one for the review queue); stops between two inspections when
    `stop` is set."""
    from station.matching.bench import vision_for

    pilot = DemoPilot(runtime.db, runtime.evidence, vision=vision_for(runtime))
    names = [*SCENARIOS, REVIEW_CASE]
    tally = PilotTally()
    for number in range(count):
        if stop.is_set():
            echo(f"autopilot stopped after {tally.done} of {count} inspections")
            break
        started = time.monotonic()
        result = pilot.run_case(names[number % len(names)])
        tally.done += 1
        tally.as_expected += result.as_expected
        verdicts = ", ".join(f"{k} {v}" for k, v in sorted(result.verdicts.items()))
        verdicts = "not inspected (skip-lot)" if result.skipped else verdicts or "-"
        mark = "ok" if result.as_expected else "UNEXPECTED"
        echo(
            f"autopilot {number + 1}/{count} {mark} {result.scenario}: {result.shipment_id} "
            f"lot {result.lot_decision or '-'}, units {verdicts}; "
            f"failed {', '.join(result.found) or 'none'} ({time.monotonic() - started:.1f} s)"
        )
    return tally


class _SkipsOneWeighing:
    """The autopilot's hands, except that the scale is down for the first unit: the
    operator skips its weighing (SKIP:SCALE_FAULT) instead."""

    def __init__(self, hands, shell) -> None:
        self.hands, self.shell, self.skipped = hands, shell, False

    def scan(self, text: str):
        return self.hands.scan(text)

    def weigh(self, milligrams: int):
        if self.skipped:
            return self.hands.weigh(milligrams)
        self.skipped = True
        command = {"type": "command", "name": "SKIP", "argument": "SCALE_FAULT"}
        return self.shell.handle(command).state


class DemoPilot(Autopilot):
    """The autopilot, with the demo's one extra case."""

    review_case = False

    def run_case(self, name: str):
        self.review_case = name == REVIEW_CASE
        if not self.review_case:
            return self.run_one(name)
        result = self.run_one("pass")
        result.scenario, result.expected = name, "one unit in review"
        result.as_expected = not result.found and result.verdicts.get("review", 0) >= 1
        return result

    @contextmanager
    def _hands(self, shell):
        with super()._hands(shell) as hands:
            yield _SkipsOneWeighing(hands, shell) if self.review_case else hands
