"""Bench commands (ISCMD:<NAME>[:<ARG>] cards, or the screen's buttons)."""

from __future__ import annotations

from collections.abc import Callable

from station.workflow.effects import Audit, CountLot, Effect
from station.workflow.events import Command
from station.workflow.state import BenchState, Phase, Tally
from station.workflow.unit import evaluate_if_complete, missing_steps, say

NAMES = ("NEXT", "RETAKE", "SKIP", "DAMAGED", "SUPERVISOR", "ABANDON", "CONFIRM", "CANCEL")


def handle(
    s: BenchState,
    command: Command,
    out: list[Effect],
    *,
    abandon: Callable[..., None],
    close_lot: Callable[[BenchState, list[Effect]], None],
) -> None:
    name, arg = command.name.strip().upper(), (command.argument or "").strip()
    if name not in NAMES:
        say(s, f"Unknown bench command {name!r}", f"未知的工位指令 {name!r}", "error")
        return
    if s.phase == Phase.SIGNED_OUT:
        say(s, "Sign in first", "请先登录", "warning")
        return
    if name == "CONFIRM":
        _confirm(s, out, abandon, close_lot)
    elif name == "CANCEL":
        s.confirming = None
        say(s, "Cancelled", "已取消")
    elif name == "ABANDON":
        _ask_abandon(s)
    elif name == "NEXT":
        _next(s, out, close_lot)
    elif name == "SUPERVISOR":
        _supervisor(s, arg, out)
    elif name == "SKIP":
        _skip(s, arg, out, close_lot)
    elif s.phase != Phase.INSPECTING or s.unit is None:
        say(s, f"{name} needs a unit on the bench", f"{name} 需要有商品在检", "warning")
    elif name == "RETAKE":
        _retake(s, arg)
    else:  # DAMAGED
        s.unit.damaged = True
        say(s, "Marked as damaged", "已标记为损坏")
        evaluate_if_complete(s, out)


def _confirm(s: BenchState, out: list[Effect], abandon, close_lot) -> None:
    if s.confirming == "abandon":
        abandon(s, out, reason="abandoned by the operator", actor=s.operator or "bench")
    elif s.phase == Phase.LOT_COMPLETE:
        close_lot(s, out)
    else:
        say(s, "Nothing to confirm", "没有需要确认的操作", "warning")


def _ask_abandon(s: BenchState) -> None:
    if s.shipment is None:
        say(s, "Nothing to abandon", "没有可放弃的任务", "warning")
        return
    s.confirming = "abandon"
    say(
        s,
        f"Abandon shipment {s.shipment.id}? Scan CONFIRM to abandon, CANCEL to go on",
        f"放弃货物 {s.shipment.id}？扫描“确认”放弃，“取消”继续",
        "warning",
    )


def _next(s: BenchState, out: list[Effect], close_lot) -> None:
    if s.phase == Phase.LOT_COMPLETE:
        close_lot(s, out)
        return
    if s.phase == Phase.INSPECTING and s.unit is not None:
        line = s.current_line()
        steps = missing_steps(s.unit, line, s.waivers) if line else []
        say(s, f"Still needed: {', '.join(steps)}", f"仍需：{', '.join(steps)}", "warning")
        return
    say(s, "Nothing to move on from", "当前无法进入下一步", "warning")


def _supervisor(s: BenchState, supervisor: str, out: list[Effect]) -> None:
    if not s.devices_down:
        say(s, "No device is down: nothing to allow", "没有故障设备：无需主管许可", "warning")
        return
    if not supervisor:  # the SUPERVISOR card carries no name: ask for it
        s.confirming = "supervisor"
        say(
            s,
            "Supervisor: enter your name to allow going on without the device",
            "主管：请输入姓名以允许在设备故障时继续",
            "warning",
        )
        return
    s.confirming = None
    for kind, why in s.devices_down.items():
        s.waivers[kind] = supervisor
        out.append(
            Audit(
                action="device.waived",
                actor=supervisor,
                detail={"kind": kind, "reason": why, "operator": s.operator},
            )
        )
    kinds = ", ".join(s.devices_down)
    say(
        s,
        f"Supervisor {supervisor} allows going on without: {kinds}. Units need review.",
        f"主管 {supervisor} 允许在无 {kinds} 的情况下继续，商品将需复核。",
        "warning",
    )
    evaluate_if_complete(s, out)


def _skip(s: BenchState, reason: str, out: list[Effect], close_lot) -> None:
    if not reason:
        say(s, "SKIP needs a reason code (SKIP:<reason>)", "“跳过”需注明原因", "error")
        return
    if s.phase == Phase.COUNTING and s.lot is not None:
        s.lot.counted = 0
        out.append(CountLot(lot_id=s.lot.lot_id, counted=0))
        out.append(
            Audit(action="lot.not_arrived", actor=s.operator or "bench", detail={"reason": reason})
        )
        s.phase = Phase.LOT_COMPLETE
        s.lot.tally = Tally()
        close_lot(s, out)
        return
    line = s.current_line()
    if s.phase != Phase.INSPECTING or s.unit is None or line is None:
        say(s, "Nothing to skip now", "当前没有可跳过的步骤", "warning")
        return
    steps = missing_steps(s.unit, line, s.waivers)
    if not steps:
        say(s, "Nothing left to skip", "没有可跳过的步骤", "warning")
        return
    s.unit.skipped[steps[0]] = reason
    out.append(
        Audit(
            action="step.skipped",
            actor=s.operator or "bench",
            detail={"step": steps[0], "reason": reason, "inspection": str(s.unit.inspection_id)},
        )
    )
    say(
        s,
        f"Skipped {steps[0]} ({reason}); the unit will need review",
        f"已跳过 {steps[0]}（{reason}）",
    )
    evaluate_if_complete(s, out)


def grant(s: BenchState, supervisor: str, out: list[Effect]) -> None:
    """The supervisor's name, typed after the SUPERVISOR card."""
    _supervisor(s, supervisor, out)


def _retake(s: BenchState, face: str) -> None:
    unit = s.unit
    assert unit is not None
    if not unit.photos:
        say(s, "No photo to retake", "没有可重拍的照片", "warning")
        return
    face = face if face in unit.photos else list(unit.photos)[-1]
    del unit.photos[face]
    say(s, f"Take the {face} photo again", f"请重拍 {face} 面照片")


__all__ = ["NAMES", "handle"]
