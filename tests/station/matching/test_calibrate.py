"""Calibration of the listing-match limits from a small labelled pair set made here."""

import csv
import shutil

import cv2
import pytest
from typer.testing import CliRunner

from station.cli import app
from station.matching.calibrate import CalibrationError, calibrate
from station.matching.limits import load_limits, shipped_limits_file
from station.sample.artwork import render_face
from tests.vision.packaging import OTHER_BRAND, SIBLING, TEA, photo

DESIGNS = {"tea": TEA, "oolong": SIBLING, "box": OTHER_BRAND}


@pytest.fixture(scope="module")
def pairs_csv(tmp_path_factory):
    root = tmp_path_factory.mktemp("pairs")
    for name, design in DESIGNS.items():
        cv2.imwrite(str(root / f"{name}.png"), render_face(design))
        for seed in (3, 4):
            cv2.imwrite(str(root / f"{name}-{seed}.jpg"), photo(design, seed))
    rows = [("tea", "tea", "pos"), ("oolong", "oolong", "pos"), ("box", "box", "pos")]
    rows += [("tea", "oolong", "hard_same_coarse"), ("oolong", "tea", "hard_same_coarse")]
    rows += [("tea", "box", "easy"), ("box", "tea", "easy"), ("oolong", "box", "easy")]
    path = root / "pairs.csv"
    with path.open("w", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(["catalog", "photo", "label", "kind", "catalog_class", "photo_class"])
        for catalog, shown, kind in rows:
            for seed in (3, 4):
                label = int(catalog == shown)
                out.writerow([f"{catalog}.png", f"{shown}-{seed}.jpg", label, kind, catalog, shown])
    return path


def test_limits_separate_the_pairs_they_were_calibrated_on(pairs_csv):
    result = calibrate(pairs_csv, false_accept=0.0, false_reject=0.0)
    assert result.false_accept == 0.0 and result.true_accept == 1.0
    assert 0 <= result.mismatch <= result.match
    assert result.margin >= 0
    assert result.pairs == 16 and result.positives == 6


def test_the_command_rewrites_only_the_listing_section(pairs_csv, tmp_path):
    target = tmp_path / "match.toml"
    shutil.copy(shipped_limits_file(), target)
    before = load_limits(target)
    args = ["vision", "calibrate", "--pairs", str(pairs_csv), "--out", str(target)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "written to" in result.output
    after = load_limits(target)
    assert after.brand == before.brand and after.quality == before.quality
    assert after.listing != before.listing
    assert 'calibrated_from = "pairs.csv"' in target.read_text()


def test_an_unusable_pairs_file_is_refused(tmp_path):
    with pytest.raises(CalibrationError, match="does not exist"):
        calibrate(tmp_path / "missing.csv")
    bad = tmp_path / "bad.csv"
    bad.write_text("catalog,photo\na.png,b.jpg\n")
    with pytest.raises(CalibrationError, match="needs the columns"):
        calibrate(bad)
