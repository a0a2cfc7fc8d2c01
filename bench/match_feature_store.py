"""Benchmark: memory of the feature store with 50,000 listing images.

Features of real catalogue images (../shared/data/products/catalog, or rendered
sample artwork when that is missing) are stored once; then COUNT distinct keys
are made by hard-linking those files under new content hashes (a station's
50,000 listing images without 10 GB of scratch disk), and every key is loaded
through the store in random order, twice. Printed: bytes per entry on disk and
in RAM, the process's peak resident memory, the bytes the store holds, time
per load, and, as the baseline, what holding every entry in RAM would take.

    .venv/bin/python bench/match_feature_store.py [--count 50000] [--memory-mb 256]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

import cv2

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
CATALOG = ROOT.parent / "shared" / "data" / "products" / "catalog"

from station.matching.store import FeatureStore  # noqa: E402
from vision.match import reference_features  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=50_000)
    parser.add_argument("--memory-mb", type=int, default=256)
    args = parser.parse_args()
    images = _reference_images()
    with tempfile.TemporaryDirectory() as tmp:
        store = FeatureStore(Path(tmp), args.memory_mb << 20)
        seeds, ram = [], []
        for i, image in enumerate(images):
            sha = f"{i:064x}"
            ram.append(store.get(sha, lambda image=image: reference_features(image)).nbytes)
            seeds.append(store.path_for(sha))
        disk = [p.stat().st_size for p in seeds]
        keys = _linked_keys(store, seeds, args.count)
        store.forget()
        before = _rss_mb()
        started = time.perf_counter()
        for sha in random.Random(0).sample(keys, len(keys)) * 2:
            store.get(sha, _never)
        elapsed = time.perf_counter() - started
        print(
            f"{len(images)} distinct reference images, {len(keys)} keys, bound {args.memory_mb} MB"
        )
        disk_kib, ram_kib = sum(disk) / len(disk) / 1024, sum(ram) / len(ram) / 1024
        print(f"per entry: disk {disk_kib:.0f} KiB, RAM {ram_kib:.0f} KiB")
        print(
            f"baseline (everything held): {len(keys) * sum(ram) / len(ram) / 2**30:.2f} GiB of RAM"
        )
        print(
            f"store: holds {store.held_bytes / 2**20:.0f} MB in {len(store)} entries; "
            f"RSS {before:.0f} MB before loading, peak {_peak_mb():.0f} MB "
            f"(limit 1024 MB) after {2 * len(keys)} loads"
        )
        per_load = elapsed / (2 * len(keys)) * 1000
        print(f"load from disk: {per_load:.2f} ms per entry ({store.read} reads)")
    return 0


def _reference_images():
    if CATALOG.is_dir():
        paths = sorted(CATALOG.glob("*/*/*_Iconic.jpg"))
        return [cv2.imread(str(p)) for p in paths]
    print(f"note: {CATALOG} is missing; using rendered sample artwork instead")
    from station.sample.artwork import render_face
    from station.sample.load import design_for, sample_file

    listings = json.loads(sample_file("listings").read_text("utf-8"))[:30]
    return [render_face(design_for(item)) for item in listings]


def _linked_keys(store: FeatureStore, seeds: list[Path], count: int) -> list[str]:
    keys = []
    for n in range(count):
        sha = f"{n + 1:08x}".rjust(64, "f")
        target = store.path_for(sha)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.link(seeds[n % len(seeds)], target)
        keys.append(sha)
    return keys


def _never():
    raise AssertionError("every key is on disk; nothing should be computed")


def _rss_mb() -> float:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


if __name__ == "__main__":
    sys.exit(main())
