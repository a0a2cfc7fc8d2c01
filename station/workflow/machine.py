"""The bench as a pure state machine: step(state, event) -> new state + effects.

No I/O here: the bench shell (station.workflow.bench) carries out the effects and
feeds the answers of its look-ups back in as events, all within one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from station.lots.decision import decide, disposition
from station.workflow import commands
from station.workflow.absence import abandon, on_tick
from station.workflow.effects import (
    Audit,
    CloseLot,
    CloseShipment,
    CountLot,
    Effect,
    FindShipment,
    OpenLot,
    OpenShipment,
    OpenUnit,
    PlanLot,
    RecordParcel,
)
from station.workflow.events import (
    Answer,
    Command,
    Count,
    DeviceStatus,
    Event,
    LotOpened,
    LotPlanned,
    Photo,
    Scan,
    ShipmentFound,
    ShipmentUnknown,
    SignIn,
    SignOut,
    Tick,
    UnitEvaluated,
    UnitOpened,
    Weight,
)
from station.workflow.photos import on_photo
from station.workflow.state import BenchState, LotState, ParcelScan, Phase, UnitState
from station.workflow.unit import PARCEL_KINDS, on_answer, on_scan, on_weight, say

QUIET = (Tick, DeviceStatus, ShipmentFound, ShipmentUnknown, LotOpened, LotPlanned, UnitOpened)


@dataclass(frozen=True)
class Policy:
    """How the bench behaves; from the workflow settings."""

    pause_after_s: float = 300.0  # no activity for this long: pause
    abandon_after_s: float = 1800.0  # paused this long: abandon (when on_timeout says so)
    on_timeout: str = "abandon"  # "abandon" or "pause" (stay paused until someone returns)
    empty_below_mg: int = 2000  # lighter than this, the scale counts as empty
    photo_retakes: int = 2  # photos of a face the quality gate turns down before taking one


@dataclass(frozen=True)
class Step:
    state: BenchState
    effects: list[Effect] = field(default_factory=list)


def step(state: BenchState, event: Event, policy: Policy | None = None) -> Step:
    """The state after `event`, and what the bench must do about it. `state` is not changed."""
    policy = policy or Policy()
    new = state.model_copy(deep=True)
    new.steps += 1
    out: list[Effect] = []
    if not isinstance(event, QUIET + (UnitEvaluated,)) and event.at is not None:
        new.last_activity = event.at
        if new.phase == Phase.PAUSED and new.paused_from is not None:
            new.phase, new.paused_from = new.paused_from, None
            say(new, "Welcome back", "欢迎回来")
    _dispatch(new, event, policy, out)
    return Step(new, out)


def _dispatch(s: BenchState, event: Event, policy: Policy, out: list[Effect]) -> None:
    match event:
        case Tick():
            on_tick(s, event, policy, out)
        case SignIn():
            _sign_in(s, event, out)
        case SignOut():
            _sign_out(s)
        case DeviceStatus():
            _device(s, event, out)
        case Scan():
            _scan(s, event, out)
        case Weight():
            on_weight(s, event, policy.empty_below_mg, out)
        case Photo():
            on_photo(s, event, policy.photo_retakes, out)
        case Answer() if s.confirming == "supervisor" and event.question == "supervisor":
            commands.grant(s, event.value.strip(), out)
        case Answer():
            on_answer(s, event, out)
        case Count():
            _count(s, event.quantity, out)
        case Command():
            commands.handle(s, event, out, abandon=abandon, close_lot=close_lot)
        case _:
            _response(s, event, out)


def _sign_in(s: BenchState, event: SignIn, out: list[Effect]) -> None:
    if s.operator and s.operator != event.operator and s.phase != Phase.SIGNED_OUT:
        out.append(
            Audit(action="bench.handover", actor=event.operator, detail={"from": s.operator})
        )
    s.operator = event.operator
    if s.phase == Phase.SIGNED_OUT:
        s.phase = Phase.IDLE
    say(s, f"Signed in as {event.operator}", f"已登录：{event.operator}")


def _sign_out(s: BenchState) -> None:
    if s.phase not in (Phase.IDLE, Phase.SIGNED_OUT):
        say(s, "Finish or abandon the shipment first", "请先完成或放弃当前货物", "warning")
        return
    s.phase, s.operator = Phase.SIGNED_OUT, None
    say(s, "Signed out", "已退出")


def _device(s: BenchState, event: DeviceStatus, out: list[Effect]) -> None:
    name = {
        "scale": ("Scale", "电子秤"),
        "camera": ("Camera", "相机"),
        "scanner": ("Scanner", "扫码枪"),
    }
    en, zh = name[event.kind]
    if event.state == "ready":
        if s.devices_down.pop(event.kind, None) is not None:
            s.waivers.pop(event.kind, None)
            say(s, f"{en} is back", f"{zh}已恢复")
        return
    if event.state not in ("stalled", "disconnected"):
        return
    s.devices_down[event.kind] = event.reason or event.state
    say(
        s,
        f"{en} is down ({event.reason or event.state}). To go on without it, a supervisor "
        "scans their SUPERVISOR card; the units then need review.",
        f"{zh}故障（{event.reason or event.state}）。如需继续，请主管扫描主管卡；商品将需复核。",
        "error",
    )
    out.append(
        Audit(
            action="device.down",
            actor=s.operator or "bench",
            detail={"device": event.device, "kind": event.kind, "reason": event.reason},
        )
    )


def _scan(s: BenchState, scan: Scan, out: list[Effect]) -> None:
    ident = scan.identification
    if ident is not None and ident.kind == "bench_command":
        if not ident.valid:
            say(
                s,
                f"Bench card not taken: {ident.reason}",
                f"工位指令卡无效：{ident.reason}",
                "error",
            )
            return
        name = str(ident.fields.get("command", "")).upper()
        command = Command(name=name, argument=ident.fields.get("argument"), at=scan.at)
        commands.handle(s, command, out, abandon=abandon, close_lot=close_lot)
        return
    if s.phase == Phase.SIGNED_OUT:
        say(s, "Sign in first", "请先登录", "warning")
    elif s.phase == Phase.IDLE:
        _parcel_scan(s, scan, out)
    elif s.phase == Phase.INSPECTING:
        on_scan(s, scan, out)
    elif s.phase == Phase.COUNTING:
        say(s, "Enter the count of this line first", "请先输入本行的数量", "warning")
    elif s.phase == Phase.LOT_COMPLETE:
        say(s, "Lot complete: scan CONFIRM to close it", "本批已完成：请扫描“确认”关闭", "warning")


def _parcel_scan(s: BenchState, scan: Scan, out: list[Effect]) -> None:
    ident = scan.identification
    kind = ident.kind if ident else "unknown"
    if kind not in PARCEL_KINDS and kind != "unknown":
        say(s, "Scan the parcel label first", "请先扫描包裹标签", "warning")
        return
    s.parcel = ParcelScan(
        text=scan.text,
        kind=kind,
        valid=bool(ident and ident.valid),
        reason=ident.reason if ident else "not identified",
        fields=dict(ident.fields) if ident else {},
    )
    s.phase = Phase.FINDING_SHIPMENT
    out.append(FindShipment(parcel=s.parcel))


def _response(s: BenchState, event: Event, out: list[Effect]) -> None:
    expected = {
        ShipmentFound: Phase.FINDING_SHIPMENT,
        ShipmentUnknown: Phase.FINDING_SHIPMENT,
        LotOpened: Phase.OPENING_LOT,
        LotPlanned: Phase.PLANNING,
        UnitOpened: Phase.OPENING_UNIT,
        UnitEvaluated: Phase.EVALUATING,
    }
    if expected.get(type(event)) != s.phase:
        say(s, f"Ignored {event.type} while {s.phase.value}", f"已忽略 {event.type}", "error")
        return
    match event:
        case ShipmentFound():
            _shipment_found(s, event, out)
        case ShipmentUnknown():
            _shipment_unknown(s, event, out)
        case LotOpened():
            s.lot = LotState(lot_id=event.lot_id, line_no=event.line.line_no)
            s.phase = Phase.COUNTING
            say(
                s,
                f"Line {event.line.line_no}: {event.line.title}. Count the units and enter the "
                f"number (ASN: {event.line.quantity})",
                f"第 {event.line.line_no} 行：{event.line.title}。请清点数量并输入"
                f"（预报 {event.line.quantity}）",
            )
        case LotPlanned():
            _lot_planned(s, event, out)
        case UnitOpened():
            _unit_opened(s, event)
        case UnitEvaluated():
            _unit_evaluated(s, event, out)


def _shipment_unknown(s: BenchState, event: ShipmentUnknown, out: list[Effect]) -> None:
    assert s.parcel is not None
    out.append(RecordParcel(parcel=s.parcel, shipment_id=None, reason=event.reason))
    s.phase, s.parcel = Phase.IDLE, None
    say(
        s,
        f"Parcel cannot be traced ({event.reason}): put it in quarantine",
        f"包裹无法追溯（{event.reason}）：请放入隔离区",
        "error",
    )


def _shipment_found(s: BenchState, event: ShipmentFound, out: list[Effect]) -> None:
    assert s.parcel is not None
    shipment = event.shipment
    if not shipment.traceable:
        reason = f"ASN {shipment.id} has no tracking number or S10 id"
        out.append(RecordParcel(parcel=s.parcel, shipment_id=shipment.id, reason=reason))
        out.append(CloseShipment(shipment_id=shipment.id, status="quarantined", reason=reason))
        s.phase, s.parcel = Phase.IDLE, None
        say(s, f"{reason}: put the parcel in quarantine", f"{reason}：请将包裹放入隔离区", "error")
        return
    todo = [line for line in shipment.lines if not line.done]
    if not todo:
        s.phase, s.parcel = Phase.IDLE, None
        say(
            s,
            f"Shipment {shipment.id} is already inspected",
            f"货物 {shipment.id} 已检验",
            "warning",
        )
        return
    out.append(RecordParcel(parcel=s.parcel, shipment_id=shipment.id))
    out.append(OpenShipment(shipment_id=shipment.id))
    s.shipment = shipment
    _open_next_lot(s, out)


def _open_next_lot(s: BenchState, out: list[Effect]) -> None:
    assert s.shipment is not None
    s.lot, s.unit = None, None
    todo = [line for line in s.shipment.lines if not line.done]
    if not todo:
        out.append(CloseShipment(shipment_id=s.shipment.id, status="closed", reason="inspected"))
        say(s, f"Shipment {s.shipment.id} done", f"货物 {s.shipment.id} 检验完成")
        s.phase, s.shipment, s.parcel = Phase.IDLE, None, None
        return
    s.phase = Phase.OPENING_LOT
    out.append(OpenLot(shipment_id=s.shipment.id, line_no=todo[0].line_no))


def _count(s: BenchState, quantity: int, out: list[Effect]) -> None:
    if s.phase != Phase.COUNTING or s.lot is None:
        say(s, "Nothing to count now", "当前无需清点", "warning")
        return
    if quantity < 1:
        say(
            s,
            "Count at least 1; for a line that did not arrive scan SKIP with a reason",
            "数量至少为1；整行未到货请扫描“跳过”并注明原因",
            "warning",
        )
        return
    s.lot.counted = quantity
    out.append(CountLot(lot_id=s.lot.lot_id, counted=quantity))
    out.append(PlanLot(lot_id=s.lot.lot_id, lot_size=quantity))
    s.phase = Phase.PLANNING


def _lot_planned(s: BenchState, event: LotPlanned, out: list[Effect]) -> None:
    assert s.lot is not None
    s.lot.plan = event.plan
    _open_next_unit(s, out)


def _open_next_unit(s: BenchState, out: list[Effect]) -> None:
    lot = s.lot
    assert lot is not None and lot.plan is not None
    if lot.next_index >= len(lot.plan.units):
        s.unit, s.phase = None, Phase.LOT_COMPLETE
        t = lot.tally
        decision = decide(lot.plan, t, lot.defects)
        say(
            s,
            f"Lot complete: {t.passed} passed, {t.failed} failed, {t.review} for review; "
            f"decision {decision}. Scan CONFIRM to close the lot.",
            f"本批完成：合格 {t.passed}，不合格 {t.failed}，待复核 {t.review}；"
            f"判定 {decision}。请扫描“确认”关闭本批。",
        )
        return
    unit_no = lot.plan.units[lot.next_index]
    s.unit = UnitState(unit_no=unit_no, index=lot.next_index)
    s.phase = Phase.OPENING_UNIT
    out.append(OpenUnit(lot_id=lot.lot_id, unit_no=unit_no))


def _unit_opened(s: BenchState, event: UnitOpened) -> None:
    assert s.unit is not None and s.lot is not None and s.lot.plan is not None
    s.unit.inspection_id = event.inspection_id
    s.phase = Phase.INSPECTING
    n = len(s.lot.plan.units)
    say(
        s,
        f"Unit {s.unit.index + 1} of {n}: take unit no. {s.unit.unit_no} and scan its code",
        f"第 {s.unit.index + 1}/{n} 件：取第 {s.unit.unit_no} 号商品并扫码",
    )


def _unit_evaluated(s: BenchState, event: UnitEvaluated, out: list[Effect]) -> None:
    lot, unit = s.lot, s.unit
    assert lot is not None and unit is not None
    lot.verdicts[unit.unit_no] = event.verdict
    tally = lot.tally
    if event.verdict == "pass":
        tally.passed += 1
    elif event.verdict == "fail":
        tally.failed += 1
    else:
        tally.review += 1
    if event.defect_class and event.verdict != "review":
        tally.defectives[event.defect_class] = tally.defectives.get(event.defect_class, 0) + 1
        lot.defects[unit.unit_no] = event.defect_class
    lot.next_index += 1
    say(s, f"Unit {unit.unit_no}: {event.verdict}. {event.reason_en}", event.reason_zh or "")
    _open_next_unit(s, out)


def close_lot(s: BenchState, out: list[Effect]) -> None:
    """Close the complete lot: decision from its counts, disposition, then the next line."""
    lot, shipment = s.lot, s.shipment
    assert lot is not None and shipment is not None
    if lot.plan is None:  # the line did not arrive: nothing to accept
        decision, where = "rejected", None
    else:
        decision = decide(lot.plan, lot.tally, lot.defects)
        where = disposition(decision, lot.tally)
    out.append(CloseLot(lot_id=lot.lot_id, decision=decision, disposition=where, tally=lot.tally))
    line = shipment.line(lot.line_no)
    if line is not None:
        line.done = True
    _open_next_lot(s, out)


__all__ = ["Policy", "Step", "abandon", "close_lot", "step"]
