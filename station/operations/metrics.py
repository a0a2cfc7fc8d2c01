"""What /metrics shows, in Prometheus' text exposition format (version 0.0.4).

Every value is read from the database when scraped, so any number of server processes
show the same figures and nothing is kept in memory. Each collector is a function from
a Runtime to samples; COLLECTORS lists them, and an area adds its own with one line.
A collector that fails is reported as inbound_station_collector_up{collector=...} 0
instead of failing the whole scrape.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import func, select

from station import __version__
from station.clock import utcnow
from station.fleet.models import Device
from station.inspection.models import Inspection, InspectionStatus, Verdict
from station.runtime import Runtime
from station.sync.status import last_received, sync_status
from station.webhooks.models import DeliveryStatus, WebhookDelivery

log = logging.getLogger(__name__)
CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
PREFIX = "inbound_station_"


@dataclass
class Series:
    """One metric family: its name (without the prefix), type, help and samples."""

    name: str
    kind: str  # gauge or counter
    help: str
    samples: list[tuple[dict[str, str], float]] = field(default_factory=list)

    def add(self, value: float, **labels: object) -> Series:
        self.samples.append(({k: str(v) for k, v in labels.items()}, value))
        return self


Collector = Callable[[Runtime], Iterable[Series]]


def info(runtime: Runtime) -> Iterable[Series]:
    yield Series("info", "gauge", "software version and role of this process").add(
        1, version=__version__, role=runtime.settings.role
    )


def inspections(runtime: Runtime) -> Iterable[Series]:
    """The last hour's inspections by verdict. Counted over the last hour only: a range of
    the completed_at index, so a scrape costs the same on a bench and on a central server
    with a hundred million inspections (a total over all time would scan them all)."""
    since = utcnow() - timedelta(hours=1)
    recent = select(Inspection.verdict, Inspection.final_verdict, func.count()).where(
        Inspection.completed_at >= since, Inspection.status == InspectionStatus.COMPLETED
    )
    first, final = Counter(), Counter()
    with runtime.db.session() as session:
        for verdict, final_verdict, count in session.execute(
            recent.group_by(Inspection.verdict, Inspection.final_verdict)
        ):
            first[verdict] += count
            final[final_verdict] += count
    yield Series(
        "inspections_last_hour", "gauge", "inspections completed in the last 60 minutes"
    ).add(sum(first.values()))
    firsts = Series("verdicts_last_hour", "gauge", "the last hour's inspections by verdict")
    finals = Series("final_verdicts_last_hour", "gauge", "the same, by verdict after overrides")
    for verdict in Verdict:
        firsts.add(first[verdict], verdict=verdict.value)
        finals.add(final[verdict], verdict=verdict.value)
    yield firsts
    yield finals


def _by(column, *where):
    return select(column, func.count()).where(*where).group_by(column)


def webhooks(runtime: Runtime) -> Iterable[Series]:
    with runtime.db.session() as session:
        counts = dict(
            session.execute(
                _by(WebhookDelivery.status, WebhookDelivery.status != DeliveryStatus.DELIVERED)
            ).all()
        )
        oldest = session.scalar(
            select(func.min(WebhookDelivery.created_at)).where(
                WebhookDelivery.status == DeliveryStatus.PENDING
            )
        )
    yield Series("webhook_backlog", "gauge", "webhook deliveries waiting to be sent").add(
        counts.get(DeliveryStatus.PENDING, 0)
    )
    yield Series("webhook_dead_letters", "gauge", "webhook deliveries that gave up").add(
        counts.get(DeliveryStatus.DEAD, 0)
    )
    age = (utcnow() - oldest).total_seconds() if oldest is not None else 0
    yield Series(
        "webhook_oldest_pending_seconds", "gauge", "age of the oldest waiting delivery"
    ).add(max(age, 0.0))


def devices(runtime: Runtime) -> Iterable[Series]:
    """Each device's last state as the bench runner recorded it (station.benchrun)."""
    with runtime.db.session() as session:
        rows = session.execute(
            select(Device.station_id, Device.name, Device.kind, Device.state, Device.reconnects)
        ).all()
    states = Series("device_state", "gauge", "1 for the state each device is in now")
    reconnects = Series("device_reconnects_total", "counter", "times a device was reopened")
    for station_id, name, kind, state, count in rows:
        labels = {"station": station_id, "device": name, "kind": kind.value}
        states.add(1, state=state, **labels)
        reconnects.add(count or 0, **labels)
    yield states
    yield reconnects


def sync(runtime: Runtime) -> Iterable[Series]:
    """A station: its outbox towards central. Central: when each station was last heard."""
    if runtime.settings.role == "station":
        status = sync_status(runtime.db, runtime.settings)
        yield Series("outbox_depth", "gauge", "records waiting to be sent to central").add(
            status.outbox_depth
        )
        yield Series(
            "sync_lag_seconds", "gauge", "age of the oldest record central does not have yet"
        ).add(status.lag_seconds)
        yield Series("sync_offline", "gauge", "1 while central cannot be reached").add(
            int(status.offline)
        )
        yield Series("disk_free_bytes", "gauge", "free space on the data folder's disk").add(
            status.disk.free_mb * 2**20
        )
        return
    now = utcnow()
    with runtime.db.session() as session:
        heard = last_received(session)
    since = Series("station_last_sync_seconds", "gauge", "seconds since a station's last record")
    for station_id, at in sorted(heard.items()):
        since.add(max((now - at).total_seconds(), 0.0), station=station_id)
    yield since


COLLECTORS: list[Collector] = [info, inspections, webhooks, devices, sync]


def collect(runtime: Runtime, collectors: Iterable[Collector] | None = None) -> list[Series]:
    found: list[Series] = []
    health = Series("collector_up", "gauge", "1 if the collector could read its figures")
    for collector in COLLECTORS if collectors is None else collectors:
        try:
            found.extend(collector(runtime))
            health.add(1, collector=collector.__name__)
        except Exception:
            # One broken figure must not hide the others from monitoring.
            log.exception("metrics collector %s failed", collector.__name__)
            health.add(0, collector=collector.__name__)
    found.append(health)
    return found


def render(series: Iterable[Series]) -> str:
    lines: list[str] = []
    for family in series:
        name = PREFIX + family.name
        lines.append(f"# HELP {name} {_escape(family.help, quote=False)}")
        lines.append(f"# TYPE {name} {family.kind}")
        for labels, value in family.samples:
            lines.append(f"{name}{_labels(labels)} {_number(value)}")
    return "\n".join(lines) + "\n"


def _labels(labels: dict[str, str]) -> str:
    if not labels:
        return ""
    inner = ",".join(f'{key}="{_escape(value)}"' for key, value in sorted(labels.items()))
    return "{" + inner + "}"


def _escape(text: str, quote: bool = True) -> str:
    text = text.replace("\\", "\\\\").replace("\n", "\\n")
    return text.replace('"', '\\"') if quote else text


def _number(value: float) -> str:
    if float(value).is_integer():
        return str(int(value))
    return repr(float(value))
