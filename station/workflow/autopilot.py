"""`inbound-station autopilot`: scripted inspections of the sample data, one per scenario.

Each run announces a fresh ASN (so the autopilot can run again and again), plays the
operator and the devices through the bench shell, and says whether the outcome is
the one the scenario expects.
"""

from __future__ import annotations

import json
import random
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select

from station.clock import utcnow
from station.db.engine import Database
from station.errors import StationError
from station.evidence import EvidenceStore
from station.fleet.models import Station
from station.identifiers import s10_check_digit
from station.inspection.models import CheckResult, Inspection, Lot, Outcome
from station.reference.models import Shipment, ShipmentLine, ShipmentStatus
from station.sample.load import sample_file
from station.workflow.bench import BenchShell
from station.workflow.evaluation import Vision
from station.workflow.models import BenchSession
from station.workflow.operator import ScriptedOperator, UnitPlan
from station.workflow.simulated import simulated_devices
from station.workflow.state import BenchState, Phase

# scenario -> (where its listings come from, the check and defect that must show)
SCENARIOS: dict[str, tuple[str, str | None, str | None]] = {
    "pass": ("pass", None, None),
    "weight_out_of_tolerance": ("pass", "weight", "weight_out_of_tolerance"),
    "wrong_product": ("pass", "identity", "gtin_not_on_listing"),
    "unauthorised_brand": ("unauthorised_brand", "brand", "brand_not_authorised"),
    "expired_authorisation": ("expired_authorisation", "brand", "authorisation_expired"),
    "outside_paid_category": ("outside_paid_category", "category_scope", "category_not_paid"),
    "untraceable_parcel": ("pass", "traceability", "untraceable_parcel"),
    "duplicate_serial": ("serialised", "serial_expiry", "serial_duplicate"),
    "expired_goods": ("dated", "serial_expiry", "expired"),
}
LOT_SIZE = 10  # ISO 2859-1 level II: code letter B, 3 units drawn (more on arrows)


@dataclass
class RunResult:
    scenario: str
    shipment_id: str
    verdicts: dict[str, int] = field(default_factory=dict)
    lot_decision: str | None = None
    found: list[str] = field(default_factory=list)  # check:defect pairs that failed
    expected: str | None = None
    as_expected: bool = False
    skipped: bool = False  # skip-lot: the merchant's lot was accepted without inspection


class Autopilot:
    """devices: "simulated" (scans and weights through simulated scanner and scale and the
    real drivers) or "direct" (device events handed straight to the bench shell).
    vision: the visual checks the benches run (none when not given)."""

    def __init__(
        self,
        db: Database,
        evidence: EvidenceStore,
        seed: int | None = None,
        devices: str = "simulated",
        vision: Vision | None = None,
    ) -> None:
        self.db, self.evidence, self.devices = db, evidence, devices
        self.vision = vision  # the station's visual checks (station.matching.bench.vision_for)
        self.rng = random.Random(seed)
        self.listings = {x["id"]: x for x in json.loads(sample_file("listings").read_text())}
        self.scenarios = json.loads(sample_file("scenarios").read_text())

    def run(self, count: int, only: list[str] | None = None) -> list[RunResult]:
        settle_benches(self.db, self.evidence)
        names = only or list(SCENARIOS)
        return [self.run_one(names[i % len(names)]) for i in range(count)]

    def run_one(self, scenario: str) -> RunResult:
        source, check, code = SCENARIOS[scenario]
        listing = self.listings[self.rng.choice(self._candidates(source))]
        traceable = scenario != "untraceable_parcel"
        shipment_id, label, station = self._announce(listing, traceable)
        shell = BenchShell(
            self.db,
            self.evidence,
            bench_id=f"autopilot-{station[0]}",
            station_id=station[0],
            warehouse_id=station[1],
            vision=self.vision,
        )
        units = _Units(self, scenario, listing)
        with self._hands(shell) as hands:
            operator = ScriptedOperator(shell, self.rng, hands=hands)
            if shell.state().operator is None:
                operator.send({"type": "sign_in", "operator": "autopilot"})
            operator.inspect_parcel(label, lambda qty: qty, units)
        result = self._outcome(scenario, shipment_id)
        result.expected = f"{check}:{code}" if check else "every check passed"
        result.as_expected = result.expected in result.found if check else not result.found
        return result

    @contextmanager
    def _hands(self, shell: BenchShell) -> Iterator[object | None]:
        if self.devices == "direct":
            yield None
            return
        with (
            tempfile.TemporaryDirectory(prefix="autopilot-devices-") as folder,
            simulated_devices(shell, Path(folder)) as hands,
        ):
            yield hands

    def _candidates(self, source: str) -> list[str]:
        passing = [x for x in self.scenarios["pass"] if x in self.listings]
        if source == "serialised":
            return [x for x in passing if self.listings[x]["requires_serial"]]
        if source == "dated":
            return [x for x in passing if self.listings[x]["requires_expiry"]]
        return [x for x in self.scenarios.get(source, passing) if x in self.listings]

    def _announce(self, listing: dict, traceable: bool) -> tuple[str, str, tuple[str, str]]:
        """A new ASN of LOT_SIZE units of the listing; returns its id, parcel label, station."""
        with self.db.transaction() as session:
            stations = list(session.execute(select(Station.id, Station.warehouse_id)))
            if not stations:
                raise StationError("the autopilot needs a station: load the sample data first")
            station = self.rng.choice(sorted(stations))
            serial = f"{self.rng.randrange(10**8):08d}"
            s10 = f"EE{serial}{s10_check_digit(serial)}CN" if traceable else None
            shipment = Shipment(
                id=f"AP-{uuid.uuid4().hex[:10].upper()}",
                merchant_id=listing["merchant_id"],
                warehouse_id=station[1],
                carrier="China Post EMS" if traceable else None,
                s10_id=s10,
                status=ShipmentStatus.ANNOUNCED,
                expected_at=utcnow(),
            )
            shipment.lines = [ShipmentLine(line_no=1, listing_id=listing["id"], quantity=LOT_SIZE)]
            session.add(shipment)
        return shipment.id, s10 or shipment.id, (station[0], station[1])

    def _outcome(self, scenario: str, shipment_id: str) -> RunResult:
        result = RunResult(scenario=scenario, shipment_id=shipment_id)
        with self.db.session() as session:
            inspections = list(
                session.scalars(select(Inspection).where(Inspection.shipment_id == shipment_id))
            )
            for inspection in inspections:
                if inspection.lot_id is None:
                    continue  # the parcel's own inspection
                verdict = inspection.final_verdict or inspection.verdict
                key = verdict.value if verdict else "open"
                result.verdicts[key] = result.verdicts.get(key, 0) + 1
            failed = session.execute(
                select(CheckResult.check, CheckResult.defect_code).where(
                    CheckResult.inspection_id.in_([i.id for i in inspections]),
                    CheckResult.outcome == Outcome.FAIL,
                )
            )
            result.found = sorted({f"{c}:{d}" for c, d in failed})
            lot = session.scalar(select(Lot).where(Lot.shipment_id == shipment_id))
            result.lot_decision = lot.decision.value if lot else None
            result.skipped = bool(lot and (lot.plan or {}).get("mode") == "skip")
        return result


class _Units:
    """What each unit of a scenario's lot really is."""

    def __init__(self, pilot: Autopilot, scenario: str, listing: dict) -> None:
        self.pilot, self.scenario, self.listing = pilot, scenario, listing
        self.shared_serial = f"SN{pilot.rng.randrange(10**9):09d}"
        self.drawn: list[int] = []  # unit numbers in the order the bench asked for them

    def __call__(self, state: BenchState, unit_no: int) -> UnitPlan:
        if unit_no not in self.drawn:
            self.drawn.append(unit_no)
        # The fault sits in units the sample actually draws: the first (and the second).
        self.faulty = self.drawn[0]
        listing = self.listing
        grams = listing["unit_weight_g"]
        tolerance = listing["weight_tolerance_g"]
        weight = round((grams + self.pilot.rng.uniform(-0.5, 0.5) * tolerance) * 1000)
        serial = f"SN{uuid.uuid4().hex[:12].upper()}" if listing["requires_serial"] else None
        expiry = utcnow().date() + timedelta(days=730) if listing["requires_expiry"] else None
        faulty = unit_no == self.faulty
        if faulty and self.scenario == "weight_out_of_tolerance":
            weight = round((grams + 3 * tolerance) * 1000)
        elif faulty and self.scenario == "wrong_product":
            listing = self._other_product()
        elif self.scenario == "duplicate_serial" and unit_no in (self.faulty, self._second()):
            serial = self.shared_serial
        elif faulty and self.scenario == "expired_goods":
            expiry = utcnow().date() - timedelta(days=30)
        return UnitPlan(listing=listing, weight_mg=weight, serial=serial, expiry=expiry)

    def _second(self) -> int:
        return self.drawn[1] if len(self.drawn) > 1 else -1

    def _other_product(self) -> dict:
        mine = set(self.listing["gtins"])
        same_brand = [
            x
            for x in self.pilot.listings.values()
            if x["brand_id"] == self.listing["brand_id"] and not mine & set(x["gtins"])
        ]
        others = same_brand or [
            x for x in self.pilot.listings.values() if not mine & set(x["gtins"])
        ]
        return self.pilot.rng.choice(sorted(others, key=lambda x: x["id"]))


def settle_benches(db: Database, evidence: EvidenceStore) -> list[str]:
    """An autopilot stopped mid-shipment (Ctrl-C, a kill) left its bench holding it:
    abandon it (the shipment goes to quarantine, as at a real bench), so the next run
    starts clean instead of answering a lot it never began. Returns the benches."""
    with db.session() as session:
        rows = list(session.scalars(
            select(BenchSession).where(BenchSession.bench_id.like("autopilot-%"))
        ))  # fmt: skip
        held = [
            (r.bench_id, r.station_id)
            for r in rows
            if BenchState.model_validate(r.state).phase not in (Phase.IDLE, Phase.SIGNED_OUT)
        ]
    for bench_id, station_id in held:
        shell = BenchShell(db, evidence, bench_id=bench_id, station_id=station_id)
        shell.handle({"type": "command", "name": "ABANDON"})
        shell.handle({"type": "command", "name": "CONFIRM"})
    return [bench_id for bench_id, _ in held]
