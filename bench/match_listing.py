"""Benchmark: vision.match.score_pair against plain SIFT on the development pairs.

Runs the project's evaluation tool (../shared/tools/match_eval.py) on
../shared/data/products/pairs_dev.csv with the SIFT baseline and our scorer in
the same run (same machine load), prints the tool's table, then the figures
against the goals and the time ratio to the baseline.

    .venv/bin/python bench/match_listing.py [--pairs FILE] [--tool FILE]

Equivalent single command (from the repository root):

    .venv/bin/python ../shared/tools/match_eval.py eval \\
        --pairs ../shared/data/products/pairs_dev.csv --only sift --scorer vision.match:score_pair

Reference features are cached per catalog image (as the station's feature
store does); the photo's features are computed on every call and timed.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
OURS = "vision.match:score_pair"
GOALS = {"auc": 0.93, "tpr_at_1fpr": 0.55, "hard_auc": 0.90}
MAX_MEDIAN_MS = 250


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pairs", type=Path, default=SHARED / "data/products/pairs_dev.csv")
    parser.add_argument("--tool", type=Path, default=SHARED / "tools/match_eval.py")
    args = parser.parse_args()
    for path, what in ((args.pairs, "pairs file"), (args.tool, "evaluation tool")):
        if not path.exists():
            print(f"missing {what}: {path} (the benchmark needs the shared development data)")
            return 2
    with tempfile.TemporaryDirectory() as tmp:
        results = Path(tmp) / "results.json"
        command = [sys.executable, str(args.tool), "eval", "--pairs", str(args.pairs)]
        command += ["--only", "sift", "--scorer", OURS, "--json", str(results)]
        print("$", " ".join(command), flush=True)
        done = subprocess.run(command, cwd=ROOT, check=False)
        if done.returncode != 0:
            return done.returncode
        figures = json.loads(results.read_text())["results"]
    ours, sift = figures[OURS], figures["sift"]
    print("\nfigure                     ours    sift   goal")
    for key, goal in GOALS.items():
        verdict = "ok" if ours[key] >= goal else "BELOW GOAL"
        print(f"{key:<24} {ours[key]:7.3f} {sift[key]:7.3f}  >= {goal}  {verdict}")
    ratio = ours["ms_median"] / sift["ms_median"]
    verdict = "ok" if ours["ms_median"] <= MAX_MEDIAN_MS else "ABOVE GOAL (machine load?)"
    print(
        f"{'median ms/pair':<24} {ours['ms_median']:7.1f} {sift['ms_median']:7.1f}  "
        f"<= {MAX_MEDIAN_MS}  {verdict}; ours/sift = {ratio:.2f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
