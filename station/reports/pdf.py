"""PDF reports of one inspection and of one lot (reportlab; Chinese in the built-in
CID font STSong-Light, which needs no font file)."""

from __future__ import annotations

import io
import uuid
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Image, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
from sqlalchemy import select
from sqlalchemy.orm import Session

from station.errors import NotFound
from station.evidence import EvidenceStore
from station.inspection.models import Inspection, Lot, Override
from station.lots.service import tally_of
from station.reference.models import Listing, Shipment

CJK = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(CJK))
_base = getSampleStyleSheet()
# One font for everything: STSong-Light carries Latin too, and mixed lines
# ("Verdict / 结论") would otherwise lose their Chinese half.
TITLE = ParagraphStyle("title", parent=_base["Title"], fontName=CJK, fontSize=16)
HEAD = ParagraphStyle("head", parent=_base["Heading2"], fontName=CJK, fontSize=12, spaceBefore=8)
BODY = ParagraphStyle("body", parent=_base["BodyText"], fontName=CJK, fontSize=8.5, leading=11)
ZH = BODY
OUTCOME_COLOURS = {"pass": "#1b7f3b", "fail": "#b3261e", "review": "#b26a00"}


def _p(text: object, style: ParagraphStyle = BODY) -> Paragraph:
    return Paragraph(escape(str(text if text is not None else "-")), style)


def _table(rows: list[list], widths: list[float]) -> Table:
    table = Table(rows, colWidths=widths, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8e8e8")),
                ("FONTNAME", (0, 0), (-1, -1), CJK),
                ("FONTSIZE", (0, 0), (-1, -1), 8.5),
                ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table


def _verdict(value: str | None) -> Paragraph:
    colour = OUTCOME_COLOURS.get(value or "", "#333333")
    return Paragraph(f'<font color="{colour}"><b>{escape(value or "-")}</b></font>', BODY)


def inspection_pdf(session: Session, evidence: EvidenceStore, inspection_id: uuid.UUID) -> bytes:
    """One unit's (or parcel's) report: who, what, scans, weights, photos, checks, verdict."""
    inspection = session.get(Inspection, inspection_id)
    if inspection is None:
        raise NotFound(f"inspection {inspection_id} does not exist")
    listing = session.get(Listing, inspection.listing_id) if inspection.listing_id else None
    story: list = [_p(f"Inspection report / 检验报告 {inspection.id}", TITLE)]
    story.append(_summary(inspection, listing))
    story += _scans_and_weights(inspection)
    story += _checks(inspection)
    story += _overrides(session, inspection_id=inspection.id)
    story += _photos(inspection, evidence)
    return _build(story, f"Inspection {inspection.id}")


def _summary(inspection: Inspection, listing: Listing | None) -> Table:
    final = inspection.final_verdict.value if inspection.final_verdict else None
    rows = [
        ["Field", "Value"],
        [
            "Verdict / 结论",
            _verdict(final or (inspection.verdict.value if inspection.verdict else None)),
        ],
        [
            "Defect class / 缺陷等级",
            _p(inspection.defect_class.value if inspection.defect_class else "-"),
        ],
        ["Shipment / 货物", _p(inspection.shipment_id)],
        ["Lot / 批次, unit no.", _p(f"{inspection.lot_id or '-'} / {inspection.unit_no or '-'}")],
        ["Listing / 商品", _p(f"{listing.id} {listing.title}" if listing else "-")],
        ["Listing (zh)", _p(listing.title_zh if listing else "-", ZH)],
        [
            "Station / 工位",
            _p(f"{inspection.warehouse_id or '-'} / {inspection.station_id or '-'}"),
        ],
        ["Operator / 检验员", _p(inspection.operator_name)],
        [
            "Started / completed",
            _p(f"{inspection.started_at:%Y-%m-%d %H:%M:%S} / {inspection.completed_at or '-'}"),
        ],
        [
            "GTIN, serial, batch, expiry",
            _p(
                ", ".join(
                    str(v or "-")
                    for v in (
                        inspection.gtin,
                        inspection.serial,
                        inspection.batch,
                        inspection.expiry,
                    )
                )
            ),
        ],
    ]
    return _table(rows, [50 * mm, 120 * mm])


def _scans_and_weights(inspection: Inspection) -> list:
    story: list = [_p("Scans and weights / 扫码与称重", HEAD)]
    rows = [["When", "What", "Device", "Reading"]]
    for scan in inspection.scans:
        rows.append(
            [
                _p(f"{scan.scanned_at:%H:%M:%S}"),
                _p(f"scan ({scan.purpose.value})"),
                _p(scan.device),
                _p(scan.text.replace("\x1d", "<GS>")),
            ]
        )
    for weight in inspection.weights:
        rows.append(
            [
                _p(f"{weight.taken_at:%H:%M:%S}"),
                _p("weight" + (" (stable)" if weight.stable else "")),
                _p(weight.device),
                _p(f"{weight.value_mg / 1000:.1f} g ({weight.status})"),
            ]
        )
    story.append(
        _table(rows, [20 * mm, 30 * mm, 30 * mm, 90 * mm]) if len(rows) > 1 else _p("none")
    )
    return story


def _checks(inspection: Inspection) -> list:
    rows = [["Check", "Outcome", "Measured / expected", "Defect", "Reason / 原因"]]
    for check in inspection.checks:
        defect = (
            f"{check.defect_code} ({check.defect_class.value})"
            if check.defect_code and check.defect_class
            else "-"
        )
        reason = [_p(check.reason), _p(check.reason_zh, ZH)]
        rows.append(
            [
                _p(check.check),
                _verdict(check.outcome.value),
                _p(f"{check.measured or '-'} / {check.expected or '-'}"),
                _p(defect),
                reason,
            ]
        )
    return [
        _p("Checks / 检查项", HEAD),
        _table(rows, [24 * mm, 18 * mm, 40 * mm, 30 * mm, 58 * mm]),
    ]


def _overrides(session: Session, **where) -> list:
    rows = [["When", "Supervisor / 主管", "From -> to", "Reason / 原因"]]
    query = select(Override).filter_by(**where).order_by(Override.created_at)
    for item in session.scalars(query):
        rows.append(
            [
                _p(f"{item.created_at:%Y-%m-%d %H:%M}"),
                _p(item.actor),
                _p(f"{item.from_value} -> {item.to_value}"),
                _p(item.reason),
            ]
        )
    if len(rows) == 1:
        return []
    return [
        _p("Supervisor decisions / 主管决定", HEAD),
        _table(rows, [28 * mm, 30 * mm, 40 * mm, 72 * mm]),
    ]


def _photos(inspection: Inspection, evidence: EvidenceStore) -> list:
    story: list = []
    for photo in inspection.photos:
        if not evidence.has(photo.sha256):
            story.append(_p(f"{photo.face}: photo {photo.sha256} missing from the evidence store"))
            continue
        ratio = (photo.height / photo.width) if photo.width and photo.height else 0.75
        image = Image(
            io.BytesIO(evidence.read(photo.sha256)), width=80 * mm, height=80 * mm * ratio
        )
        story += [
            _p(
                f"{photo.face} ({photo.camera}, {photo.taken_at:%H:%M:%S}, "
                f"sha256 {photo.sha256[:16]}…)"
            ),
            image,
            Spacer(1, 3 * mm),
        ]
    return [_p("Photos / 照片", HEAD), *story] if story else []


def lot_pdf(session: Session, lot_id: uuid.UUID) -> bytes:
    """One lot's report: plan, units and verdicts, defects by class, decision, disposition."""
    lot = session.get(Lot, lot_id)
    if lot is None:
        raise NotFound(f"lot {lot_id} does not exist")
    shipment = session.get(Shipment, lot.shipment_id)
    listing = session.get(Listing, lot.listing_id)
    tally = tally_of(session, lot.id)
    story: list = [_p(f"Lot report / 批次报告 {lot.id}", TITLE)]
    rows = [
        ["Field", "Value"],
        [
            "Decision / 判定",
            _verdict({"accepted": "pass", "rejected": "fail"}.get(lot.decision.value, "review")),
        ],
        ["Decision (value)", _p(lot.decision.value)],
        ["Disposition / 处置", _p(lot.disposition.value if lot.disposition else "-")],
        [
            "Shipment, line",
            _p(
                f"{lot.shipment_id} line {lot.line_no} "
                f"(merchant {shipment.merchant_id if shipment else '-'})"
            ),
        ],
        ["Listing / 商品", _p(f"{lot.listing_id} {listing.title if listing else ''}")],
        [
            "ASN quantity / counted",
            _p(
                f"{lot.quantity} / "
                f"{lot.received_quantity if lot.received_quantity is not None else '-'}"
            ),
        ],
        [
            "Scheme, level, severity",
            _p(f"{lot.scheme or '-'}, {lot.inspection_level or '-'}, {lot.severity or '-'}"),
        ],
        [
            "Code letter, sample size, seed",
            _p(f"{lot.code_letter or '-'}, {lot.sample_size or '-'}, {lot.seed or '-'}"),
        ],
        ["Status, decided by", _p(f"{lot.status.value}, {lot.decided_by or '-'}")],
    ]
    story.append(_table(rows, [55 * mm, 115 * mm]))
    story += _plan_table(lot, tally)
    story += _lot_findings(lot)
    story += _units_table(lot)
    story += _overrides(session, lot_id=lot.id)
    return _build(story, f"Lot {lot.id}")


def _plan_table(lot: Lot, tally) -> list:
    rows = [["Class / 等级", "AQL", "n", "Ac", "Re", "Defectives / 缺陷品"]]
    for cls, plan in (lot.plan or {}).get("classes", {}).items():
        rows.append(
            [
                _p(cls),
                _p(plan["aql"]),
                _p(plan["sample_size"]),
                _p(plan["accept"]),
                _p(plan["reject"]),
                _p(tally.defectives.get(cls, 0)),
            ]
        )
    summary = _p(
        f"Units: {tally.passed} passed, {tally.failed} failed, {tally.review} awaiting review. "
        f"{(lot.plan or {}).get('rule', '')}"
    )
    return [
        _p("Sampling plan and defects by class / 抽样方案与缺陷统计", HEAD),
        _table(rows, [30 * mm, 20 * mm, 20 * mm, 20 * mm, 20 * mm, 60 * mm]),
        summary,
    ]


def _lot_findings(lot: Lot) -> list:
    if not lot.findings:
        return []
    rows = [["Check", "Outcome", "Measured / expected", "Reason / 原因"]]
    for f in lot.findings:
        rows.append(
            [
                _p(f["check"]),
                _verdict(f["outcome"]),
                _p(f"{f['measured']} / {f['expected']}"),
                [_p(f["reason"]["en"]), _p(f["reason"]["zh"], ZH)],
            ]
        )
    return [_p("Lot checks / 批次检查", HEAD), _table(rows, [25 * mm, 20 * mm, 35 * mm, 90 * mm])]


def _units_table(lot: Lot) -> list:
    rows = [["Unit", "Inspection", "Verdict", "Final", "Defect", "Operator"]]
    for item in sorted(lot.inspections, key=lambda i: (i.unit_no or 0, i.started_at)):
        rows.append(
            [
                _p(item.unit_no),
                _p(str(item.id)[:13] + "…"),
                _p(item.verdict.value if item.verdict else item.status.value),
                _verdict(item.final_verdict.value if item.final_verdict else None),
                _p(item.defect_class.value if item.defect_class else "-"),
                _p(item.operator_name),
            ]
        )
    return [
        _p("Units inspected / 已检商品", HEAD),
        _table(rows, [15 * mm, 40 * mm, 25 * mm, 25 * mm, 25 * mm, 40 * mm]),
    ]


def _build(story: list, title: str) -> bytes:
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        title=title,
        author="inbound-station",
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=15 * mm,
        bottomMargin=15 * mm,
    )
    doc.build(story)
    return out.getvalue()
