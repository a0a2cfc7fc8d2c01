"""The unit on the bench: scans, weight, answers, and when it is complete (photos: photos.py)."""

from __future__ import annotations

from datetime import date

from station.workflow.effects import Effect, EvaluateUnit, RecordScan, RecordWeight
from station.workflow.events import Answer, Scan, Weight
from station.workflow.state import BenchState, LineView, Notice, Phase, UnitState

PARCEL_KINDS = frozenset({"s10", "tracking", "shipment_qr"})
PRODUCT_KINDS = frozenset({"gtin", "gs1", "gs1_digital_link"})
# Which device a step needs: a supervisor's waiver for that device stands in for it.
DEVICE_OF_STEP = {"weight": "scale", "photo": "camera"}


def say(state: BenchState, en: str, zh: str, level: str = "info") -> None:
    state.notice = Notice(level=level, en=en, zh=zh)


def missing_steps(unit: UnitState, line: LineView, waivers: dict[str, str]) -> list[str]:
    """What the unit still needs, in the order the screen asks for it."""
    steps = []
    if unit.gtin is None:
        steps.append("scan")
    if line.requires_serial and not unit.serial:
        steps.append("serial")
    if line.requires_expiry and not unit.expiry:
        steps.append("expiry")
    if unit.weight_mg is None and "scale" not in waivers:
        steps.append("weight")
    if "camera" not in waivers:
        steps += [f"photo:{face}" for face in line.photo_faces if face not in unit.photos]
    steps += [f"question:{q}" for q in line.questions if q not in unit.answers]
    return [s for s in steps if s not in unit.skipped]


def evaluate_if_complete(state: BenchState, out: list[Effect]) -> None:
    unit, line = state.unit, state.current_line()
    if state.phase != Phase.INSPECTING or unit is None or line is None or state.lot is None:
        return
    if missing_steps(unit, line, state.waivers):
        return
    unit.waived = _waivers_used(unit, line, state.waivers)
    state.phase = Phase.EVALUATING
    out.append(EvaluateUnit(lot_id=state.lot.lot_id, unit=unit))


def _waivers_used(unit: UnitState, line: LineView, waivers: dict[str, str]) -> dict[str, str]:
    without = missing_steps(unit, line, {})
    used = {}
    for step in without:
        device = DEVICE_OF_STEP.get(step.split(":")[0])
        if device in waivers:
            used[device] = waivers[device]
    return used


def on_scan(state: BenchState, scan: Scan, out: list[Effect]) -> None:
    unit, line = state.unit, state.current_line()
    assert unit is not None and line is not None and unit.inspection_id is not None
    ident = scan.identification
    kind = ident.kind if ident else "unknown"
    if kind in PARCEL_KINDS:
        say(
            state,
            "That is a parcel label. Finish this shipment, or scan ABANDON.",
            "这是包裹标签。请先完成本批货物，或扫描“放弃”。",
            "warning",
        )
        return
    if kind in PRODUCT_KINDS and ident is not None:
        _product_scan(state, scan, ident.fields, ident.valid, out)
        return
    if line.requires_serial and unit.serial is None and unit.gtin is not None:
        unit.serial = scan.text.strip()
        out.append(RecordScan(inspection_id=unit.inspection_id, purpose="unit", scan=scan))
        say(state, f"Serial {unit.serial} recorded", f"已记录序列号 {unit.serial}")
        evaluate_if_complete(state, out)
        return
    why = ident.reason if ident and ident.reason else "not a product code"
    say(
        state, f"Code {scan.text!r} not used: {why}", f"条码 {scan.text!r} 未使用：{why}", "warning"
    )


def _product_scan(
    state: BenchState, scan: Scan, fields: dict, valid: bool, out: list[Effect]
) -> None:
    unit, lot, shipment = state.unit, state.lot, state.shipment
    assert unit is not None and lot is not None and shipment is not None
    gtin = fields.get("gtin") or scan.text.strip()
    other = shipment.line_with_gtin(gtin) if valid else None
    if other is not None and other.line_no != lot.line_no:
        say(
            state,
            f"This unit is {other.listing_id} (line {other.line_no}), not this lot's listing. "
            f"Put it with line {other.line_no} and take unit no. {unit.unit_no} of this lot.",
            f"该商品属于 {other.listing_id}（第 {other.line_no} 行），不是本批商品。"
            f"请放回第 {other.line_no} 行，并取本批第 {unit.unit_no} 号商品。",
            "warning",
        )
        return
    if unit.gtin is not None and gtin != unit.gtin:
        say(
            state,
            f"Product code changed from {unit.gtin} to {gtin}",
            f"商品条码由 {unit.gtin} 变为 {gtin}",
            "warning",
        )
    unit.gtin = gtin
    unit.serial = fields.get("serial") or unit.serial
    unit.batch = fields.get("batch") or unit.batch
    expiry = fields.get("expiry") or fields.get("best_before")
    if expiry:
        unit.expiry = date.fromisoformat(str(expiry))
    assert unit.inspection_id is not None
    out.append(RecordScan(inspection_id=unit.inspection_id, purpose="unit", scan=scan))
    evaluate_if_complete(state, out)


def on_weight(state: BenchState, weight: Weight, empty_below_mg: int, out: list[Effect]) -> None:
    unit = state.unit
    if state.phase != Phase.INSPECTING or unit is None or unit.inspection_id is None:
        return
    if weight.status not in ("ok", "motion"):
        say(state, f"Scale reports {weight.status}", f"电子秤报告 {weight.status}", "warning")
        return
    if weight.milligrams is None:
        return
    if weight.milligrams < empty_below_mg:
        if unit.weighing:
            say(
                state,
                "The item was lifted before the weight settled: place it on the scale again",
                "重量稳定前商品被拿起：请重新放上电子秤",
                "warning",
            )
        unit.weighing = False
        return
    if not weight.stable:
        unit.weighing = True
        return
    unit.weight_mg = weight.milligrams
    unit.weighing = False
    out.append(RecordWeight(inspection_id=unit.inspection_id, weight=weight))
    evaluate_if_complete(state, out)


def on_answer(state: BenchState, answer: Answer, out: list[Effect]) -> None:
    unit, line = state.unit, state.current_line()
    if state.phase != Phase.INSPECTING or unit is None or line is None:
        say(state, "No unit is open for answers", "当前没有待回答的商品", "warning")
        return
    question, value = answer.question.strip(), answer.value.strip()
    if question == "expiry":
        try:
            unit.expiry = date.fromisoformat(value)
        except ValueError:
            say(state, f"{value!r} is not a date (YYYY-MM-DD)", f"{value!r} 不是日期", "error")
            return
    elif question == "serial" and value:
        unit.serial = value
    elif question in line.questions and value.lower() in ("yes", "no"):
        unit.answers[question] = value.lower()
    else:
        say(
            state,
            f"Answer {question}={value!r} not taken: questions are {', '.join(line.questions)} "
            "(yes/no), serial, expiry",
            f"回答 {question}={value!r} 无效",
            "error",
        )
        return
    evaluate_if_complete(state, out)
