"""PDF reports (text, Chinese, photos), CSV export and scorecards on a real inspected lot."""

from __future__ import annotations

import csv
import io
import random

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from station.inspection.models import Inspection, Lot
from station.reports.export import COLUMNS, result_rows, write_csv
from station.reports.pdf import inspection_pdf, lot_pdf
from station.reports.scorecard import scorecard
from station.workflow.operator import ScriptedOperator
from tests.support.benches import announce, good_unit, operator, shell, sqlite_only


@pytest.fixture
def inspected(sample, evidence, june):
    """A lot of three L001 units, the second one too light."""
    _, label = announce(sample, [("L001", 3)])
    op: ScriptedOperator = operator(shell(sample, evidence))
    op.rng = random.Random(3)

    def unit(state, no):
        return good_unit("L001", weight_mg=150_000 if no == 2 else None)

    op.inspect_parcel(label, lambda q: q, unit)
    return sample


@sqlite_only
def test_inspection_pdf_has_checks_reasons_in_both_languages_and_photos(inspected, evidence):
    with inspected.session() as session:
        failed = session.scalar(select(Inspection).where(Inspection.unit_no == 2))
        pdf = inspection_pdf(session, evidence, failed.id)
    reader = PdfReader(io.BytesIO(pdf))
    text = "".join(page.extract_text() for page in reader.pages)
    assert str(failed.id) in text
    for words in ("too light", "(major)", "fail", "Lumora Tea", "ann"):
        assert words in text, words
    assert "重量" in text and "检验报告" in text  # Chinese came through as text
    images = sum(len(page.images) for page in reader.pages)
    assert images == 2  # front and back photos


@sqlite_only
def test_lot_pdf_has_plan_defects_and_decision(inspected):
    with inspected.session() as session:
        lot = session.scalar(select(Lot))
        pdf = lot_pdf(session, lot.id)
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    for words in ("rejected", "return_to_merchant", "iso2859-1", "major", "批次报告"):
        assert words in text, words


def test_csv_export_has_one_row_per_inspection(inspected):
    out = io.StringIO()
    with inspected.session() as session:
        written = write_csv(out, result_rows(session))
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert written == len(rows) == 4 and list(rows[0]) == list(COLUMNS)
    units = [r for r in rows if r["scope"] == "unit"]
    assert sorted(r["final_verdict"] for r in units) == ["fail", "pass", "pass"]
    failed = next(r for r in units if r["final_verdict"] == "fail")
    assert failed["failed_checks"] == "weight:weight_out_of_tolerance"
    assert failed["merchant_id"] == "M01" and failed["category_id"] == "FOOD-TEA"


@pytest.mark.parametrize("period", ["day", "week", "month"])
def test_scorecard_rates(inspected, period):
    with inspected.session() as session:
        [row] = scorecard(session, "merchant", period)
        [brand_row] = scorecard(session, "brand", period)
    assert (row.key, row.inspected, row.passed, row.failed, row.major) == ("M01", 3, 2, 1, 1)
    assert row.pass_rate == pytest.approx(2 / 3) and row.defect_rate("major") == pytest.approx(
        1 / 3
    )
    assert brand_row.key == "B01"
    expected_start = {"day": "2026-06-01", "week": "2026-06-01", "month": "2026-06-01"}[period]
    assert row.period_start.isoformat() == expected_start
