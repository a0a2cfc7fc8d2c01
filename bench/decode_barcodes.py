"""Benchmark: vision.decode against zxing-cpp alone on the development photo suite.

Runs the project's evaluation tool (../shared/tools/barcode_eval.py) on
../shared/data/barcodes, once on the images as they are and once with each image
centred in a 1920x1080 camera frame, and prints our figures beside zxing-cpp alone
(and the zxing-cpp + pyzbar "best" cascade) measured in the same run.

    .venv/bin/python bench/decode_barcodes.py [--no-canvas] [--data DIR] [--tool FILE]

Equivalent single commands (from the repository root):

    .venv/bin/python ../shared/tools/barcode_eval.py ../shared/data/barcodes \\
        --decoders zxingcpp,best --external vision.decode:decode_image
    ... the same with --canvas 1920x1080
"""

from __future__ import annotations

import argparse
import importlib.util
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
OURS = "vision.decode:decode_image"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=SHARED / "data" / "barcodes")
    parser.add_argument("--tool", type=Path, default=SHARED / "tools" / "barcode_eval.py")
    parser.add_argument("--no-canvas", action="store_true", help="skip the 1920x1080 run")
    args = parser.parse_args()
    for path, what in ((args.data, "sample folder"), (args.tool, "evaluation tool")):
        if not path.exists():
            print(f"missing {what}: {path} (the benchmark needs the shared development data)")
            return 2
    tool = _load(args.tool)
    tool.cv2.setNumThreads(1)
    sys.path.insert(0, str(ROOT))
    runs = [("as photographed", None)]
    if not args.no_canvas:
        runs.append(("in a 1920x1080 frame", (1920, 1080)))
    for title, canvas in runs:
        decoders = {
            "zxing-cpp alone": tool.make_zxingcpp(),
            "zxing-cpp + pyzbar": tool.make_best(),
            "vision.decode": tool.make_external(OURS),
        }
        started = time.perf_counter()
        stats = tool.evaluate(args.data, tool.DEFAULT_FOLDERS, decoders, [0], None, canvas)
        print(f"\n## {title} ({time.perf_counter() - started:.0f} s)\n")
        print(_table(stats, decoders))
    print(
        "\nTimes are wall time per image over all images, the no-barcode ones too, on this "
        "machine, all decoders in one process, "
        "interleaved image by image; compare columns, not runs."
    )
    return 0


def _load(path: Path):
    spec = importlib.util.spec_from_file_location("barcode_eval", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def _table(stats: dict, decoders: dict) -> str:
    positive = [f for f in stats if not f.startswith("falsepositives")]
    empty = [f for f in stats if f.startswith("falsepositives")]
    rows = [
        "| decoder | decoded | wrong output | reads on no-barcode images | ms median | ms p95 |",
        "|---|---|---|---|---|---|",
    ]
    for name in decoders:
        ok = sum(stats[f][name]["ok"] for f in positive)
        n = sum(stats[f][name]["n"] for f in positive)
        wrong = sum(stats[f][name]["other"] for f in positive)
        false = sum(stats[f][name]["fp"] for f in empty)
        images = sum(stats[f][name]["n"] for f in empty)
        ms = [x for f in stats for x in stats[f][name]["ms"]]
        p95 = sorted(ms)[min(len(ms) - 1, round(0.95 * (len(ms) - 1)))]
        rows.append(
            f"| {name} | {ok}/{n} = {100 * ok / n:.1f} % | {wrong} | {false}/{images} | "
            f"{statistics.median(ms):.1f} | {p95:.1f} |"
        )
    return "\n".join(rows)


if __name__ == "__main__":
    sys.exit(main())
