"""Single sampling plans against values taken from the standard's tables.

Sources of the expected values (looked up, not computed by this code):
* ISO 2859-1:1999: its identical national adoption GB/T 2828.1-2012, Tables 2-A, 2-B, 2-C,
  as transcribed cell by cell (final code letter / n / Ac / Re) by a public project that
  checked its transcription twice against the printed standard.
* ANSI/ASQ Z1.4 (= MIL-STD-105E tables): the n / Ac / Re matrices of the R package
  AQLSchemes (function AAZ14Single).
Both sources give Table 1 (code letters) identically.
"""

import json
from decimal import Decimal

import pytest

from station.sampling import SamplingError, code_letter, load_scheme, scheme_file, single_plan
from station.sampling.tables import Severity

ISO = [  # severity, code letter, AQL -> letter of the plan used, n, Ac, Re
    ("normal", "H", "2.5", "H", 50, 3, 4),
    ("normal", "J", "1.0", "J", 80, 2, 3),
    ("normal", "K", "0.65", "K", 125, 2, 3),
    ("normal", "G", "4.0", "G", 32, 3, 4),
    ("normal", "A", "6.5", "A", 2, 0, 1),
    ("normal", "A", "2.5", "C", 5, 0, 1),  # arrow down
    ("normal", "E", "1.5", "D", 8, 0, 1),  # arrow up
    ("normal", "E", "2.5", "F", 20, 1, 2),  # arrow down
    ("normal", "R", "0.010", "Q", 1250, 0, 1),  # arrow up from the last row
    ("normal", "R", "0.015", "P", 800, 0, 1),  # a long arrow up
    ("normal", "Q", "0.025", "R", 2000, 1, 2),
    ("normal", "A", "10", "C", 5, 1, 2),  # the first row points down
    ("normal", "L", "0.10", "K", 125, 0, 1),
    ("normal", "L", "0.15", "M", 315, 1, 2),
    ("normal", "N", "10", "K", 125, 21, 22),  # AQL above the last plan of the row
    ("normal", "F", "100", "E", 13, 21, 22),
    ("normal", "B", "1000", "B", 3, 44, 45),
    ("normal", "C", "1000", "B", 3, 44, 45),
    ("normal", "D", "400", "D", 8, 44, 45),
    ("tightened", "A", "10", "A", 2, 0, 1),
    ("tightened", "H", "2.5", "H", 50, 2, 3),
    ("tightened", "J", "1.0", "J", 80, 1, 2),
    ("tightened", "K", "6.5", "K", 125, 12, 13),
    ("tightened", "F", "6.5", "F", 20, 2, 3),
    ("tightened", "E", "1.0", "F", 20, 0, 1),
    ("tightened", "E", "1.5", "E", 13, 0, 1),
    ("tightened", "D", "10", "D", 8, 1, 2),
    ("tightened", "R", "0.015", "Q", 1250, 0, 1),
    ("tightened", "R", "0.025", "S", 3150, 1, 2),  # the extra row S of Table 2-B
    ("tightened", "Q", "0.025", "S", 3150, 1, 2),
    ("tightened", "G", "65", "F", 20, 18, 19),
    ("tightened", "B", "1000", "B", 3, 41, 42),
    ("reduced", "H", "2.5", "H", 20, 2, 3),
    ("reduced", "J", "1.0", "J", 32, 1, 2),
    ("reduced", "K", "4.0", "K", 50, 6, 7),
    ("reduced", "L", "4.0", "L", 80, 8, 9),
    ("reduced", "M", "4.0", "M", 125, 10, 11),
    ("reduced", "B", "4.0", "B", 2, 0, 1),
    ("reduced", "A", "10", "D", 3, 1, 2),
    ("reduced", "C", "6.5", "E", 5, 1, 2),
    ("reduced", "Q", "0.025", "N", 200, 0, 1),  # the long arrow up across P, Q, R
    ("reduced", "R", "0.015", "P", 315, 0, 1),
    ("reduced", "R", "0.040", "R", 800, 1, 2),
    ("reduced", "F", "100", "E", 5, 10, 11),
    ("reduced", "C", "1000", "B", 2, 30, 31),
    ("reduced", "A", "25", "A", 2, 1, 2),
]

Z14 = [  # severity, code letter, AQL -> n, Ac, Re
    ("normal", "H", "2.5", 50, 3, 4),
    ("normal", "A", "2.5", 5, 0, 1),
    ("normal", "R", "0.015", 800, 0, 1),
    ("tightened", "A", "10", 8, 1, 2),  # ISO 2859-1:1999 has 0/1 on 2 units here
    ("tightened", "H", "2.5", 50, 2, 3),
    ("tightened", "A", "15", 5, 1, 2),
    ("reduced", "H", "2.5", 20, 1, 4),  # the gap between Ac and Re
    ("reduced", "K", "1.0", 50, 1, 4),
    ("reduced", "A", "10", 2, 0, 2),
    ("reduced", "B", "40", 2, 2, 4),
    ("reduced", "C", "15", 2, 1, 3),
    ("reduced", "E", "6.5", 5, 1, 3),
    ("reduced", "R", "0.015", 315, 0, 1),
    ("reduced", "R", "0.025", 800, 0, 2),
    ("reduced", "C", "1000", 2, 30, 31),
    ("reduced", "L", "4.0", 80, 7, 10),
]

TABLE_1 = [  # lot size, level -> code letter
    (2, "S-1", "A"),
    (8, "III", "B"),
    (15, "II", "B"),
    (50, "S-2", "B"),
    (90, "S-3", "C"),
    (150, "S-4", "D"),
    (280, "I", "E"),
    (281, "II", "H"),
    (500, "II", "H"),
    (501, "II", "J"),
    (1200, "III", "K"),
    (3201, "II", "L"),
    (10000, "I", "J"),
    (35001, "II", "N"),
    (500000, "S-4", "J"),
    (500001, "III", "R"),
    (10**9, "S-3", "H"),
]


@pytest.mark.parametrize(("severity", "letter", "aql", "used", "n", "ac", "re"), ISO)
def test_iso_2859_1_plans(severity, letter, aql, used, n, ac, re):
    plan = single_plan(letter, aql, severity)
    assert (plan.code_letter, plan.sample_size, plan.accept, plan.reject) == (used, n, ac, re)


@pytest.mark.parametrize(("severity", "letter", "aql", "n", "ac", "re"), Z14)
def test_z1_4_plans(severity, letter, aql, n, ac, re):
    plan = single_plan(letter, aql, severity, scheme="z1.4")
    assert (plan.sample_size, plan.accept, plan.reject) == (n, ac, re)


@pytest.mark.parametrize(("lot_size", "level", "letter"), TABLE_1)
def test_code_letters(lot_size, level, letter):
    assert code_letter(lot_size, level) == letter
    assert code_letter(lot_size, level, scheme="z1.4") == letter


def test_normal_and_tightened_tables_of_the_two_schemes_differ_in_one_cell_only():
    iso, z14 = load_scheme("iso2859-1"), load_scheme("z1.4")
    assert iso.tables[Severity.NORMAL] == z14.tables[Severity.NORMAL]
    differ = [
        (letter, iso.aql_labels[col])
        for letter, row in iso.tables[Severity.TIGHTENED].items()
        for col, cell in enumerate(row)
        if cell != z14.tables[Severity.TIGHTENED][letter][col]
    ]
    assert differ == [("A", "10")]


def test_every_cell_of_every_table_leads_to_a_plan_of_the_right_size():
    for name in ("iso2859-1", "z1.4"):
        tables = load_scheme(name)
        for severity in Severity:
            for letter in tables.tables[severity]:
                if letter == "S":
                    continue  # the tightened extra row, reached only by arrows
                for column in range(len(tables.aql_columns)):
                    found = tables.resolve(severity, letter, column)
                    assert found.sample_size == tables.sample_sizes[severity][found.code_letter]
                    assert 0 <= found.accept < found.reject
                    if name == "iso2859-1":
                        assert found.reject == found.accept + 1


def test_aql_spelling_and_aliases():
    assert single_plan("H", Decimal("2.50"), "normal") == single_plan("H", "2.5", "normal")
    assert single_plan("H", 2.5, "NORMAL") == single_plan("H", "2.5", "normal")
    assert single_plan("K", "0.065", "reduced", scheme="105e") == single_plan(
        "K", "0.065", "reduced", scheme="z1.4"
    )


def test_aql_zero_is_zero_acceptance_on_the_letters_own_sample():
    plan = single_plan("G", "0", "tightened")
    assert (plan.code_letter, plan.sample_size, plan.accept, plan.reject) == ("G", 32, 0, 1)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: single_plan("H", "3", "normal"), "AQL 3 is not a column"),
        (lambda: single_plan("H", "abc", "normal"), "AQL must be a number"),
        (lambda: single_plan("H", "-1", "normal"), "0 or a positive number"),
        (lambda: single_plan("I", "2.5", "normal"), "unknown code letter 'I'"),
        (lambda: single_plan("H", "2.5", "strict"), "unknown severity 'strict'"),
        (lambda: code_letter(0, "II"), "lot size must be a whole number of units >= 1"),
        (lambda: code_letter(100, "IV"), "unknown inspection level 'IV'"),
        (lambda: load_scheme("iso9999"), "unknown sampling scheme 'iso9999'"),
    ],
)
def test_bad_questions_get_clear_errors(call, message):
    with pytest.raises(SamplingError, match=message):
        call()


def test_a_broken_scheme_file_is_reported_with_the_cell(tmp_path, monkeypatch):
    source = json.loads((scheme_file.scheme_dir() / "iso2859-1.json").read_text("utf-8"))
    rows = source["tables"]["reduced"]
    rows["R"] = rows["R"].replace("↑ ↑ ↑ 1/2", "↓ ↑ ↑ 1/2", 1)  # points below the last row
    rows["K"] = rows["K"].replace("6/7", "7/6", 1)
    source["code_letters"][3]["from"] = 27
    (tmp_path / "sampling").mkdir()
    (tmp_path / "sampling" / "broken.json").write_text(json.dumps(source), "utf-8")
    monkeypatch.setattr(scheme_file, "config_dir", lambda: tmp_path)
    scheme_file.forget_schemes()
    try:
        with pytest.raises(scheme_file.SchemeFileError) as caught:
            load_scheme("broken")
    finally:
        monkeypatch.undo()
        scheme_file.forget_schemes()
    message = str(caught.value)
    assert "broken.json is not a valid sampling scheme" in message
    assert "tables.reduced row R, AQL 0.010: the arrow ↓ points to no plan" in message
    assert "tables.reduced row K: cell '7/6' is not 'Ac/Re'" in message
    assert "code_letters row 4: 'from' must be 26" in message
