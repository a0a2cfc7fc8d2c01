"""The bench without its operator: pausing, and giving up the shipment in hand."""

from __future__ import annotations

from typing import TYPE_CHECKING

from station.workflow.effects import (
    AbandonLot,
    AbandonUnit,
    Audit,
    CloseShipment,
    Effect,
)
from station.workflow.events import Tick
from station.workflow.state import BenchState, Phase
from station.workflow.unit import say

if TYPE_CHECKING:
    from station.workflow.machine import Policy


def abandon(s: BenchState, out: list[Effect], *, reason: str, actor: str) -> None:
    """Give up the shipment in hand: the open unit and lot are kept as abandoned."""
    if s.unit is not None and s.unit.inspection_id is not None:
        out.append(AbandonUnit(inspection_id=s.unit.inspection_id, reason=reason))
    if s.lot is not None:
        out.append(AbandonLot(lot_id=s.lot.lot_id, reason=reason))
    if s.shipment is not None:
        out.append(CloseShipment(shipment_id=s.shipment.id, status="quarantined", reason=reason))
    out.append(Audit(action="bench.abandoned", actor=actor, detail={"reason": reason}))
    s.shipment, s.lot, s.unit, s.parcel, s.confirming = None, None, None, None, None
    s.phase = Phase.IDLE
    say(s, f"Abandoned: {reason}", f"已放弃：{reason}", "warning")


def on_tick(s: BenchState, tick: Tick, policy: Policy, out: list[Effect]) -> None:
    if tick.at is None or s.last_activity is None:
        return
    if s.phase not in _PAUSABLE:
        return
    idle = (tick.at - s.last_activity).total_seconds()
    if s.phase != Phase.PAUSED and idle >= policy.pause_after_s:
        s.paused_from, s.phase = s.phase, Phase.PAUSED
        out.append(Audit(action="bench.paused", actor="bench", detail={"idle_s": idle}))
        say(s, "Paused: nobody at the bench", "已暂停：工位无人", "warning")
    if (
        s.phase == Phase.PAUSED
        and policy.on_timeout == "abandon"
        and idle >= policy.abandon_after_s
    ):
        s.paused_from = None
        abandon(s, out, reason=f"operator away for {int(idle // 60)} minutes", actor="bench")
        s.phase, s.operator = Phase.SIGNED_OUT, None


_PAUSABLE = frozenset({Phase.COUNTING, Phase.INSPECTING, Phase.LOT_COMPLETE, Phase.PAUSED})
