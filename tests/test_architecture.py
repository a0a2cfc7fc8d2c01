"""The dependency direction of DESIGN.md §3, checked by import-linter's contracts."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_import_contracts_hold():
    linter = Path(sys.executable).parent / "lint-imports"
    result = subprocess.run([str(linter)], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 3 kept, 0 broken" in result.stdout


def test_contracts_catch_a_violation(tmp_path):
    """The contracts are not vacuous: a station module importing api is reported."""
    bad = ROOT / "station" / "_contract_probe.py"
    bad.write_text("import api.main  # noqa: F401\n")
    try:
        linter = Path(sys.executable).parent / "lint-imports"
        result = subprocess.run(
            [str(linter), "--no-cache"], cwd=ROOT, capture_output=True, text=True
        )
    finally:
        bad.unlink()
    assert result.returncode != 0
    assert "station never imports api BROKEN" in result.stdout


def test_config_is_data_only():
    code = [p for p in (ROOT / "config").rglob("*") if p.suffix in (".py", ".pyc")]
    assert code == []
