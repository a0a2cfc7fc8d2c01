"""The feature store: computed once, kept on disk, held within a memory bound."""

import numpy as np
import pytest

from station.matching.store import FeatureStore
from station.sample.artwork import render_face
from tests.vision.packaging import OTHER_BRAND, SIBLING, TEA
from vision.errors import VisionError
from vision.match import reference_features

SHA = {name: f"{i:064x}" for i, name in enumerate(("tea", "sibling", "other"), start=1)}
IMAGES = {"tea": TEA, "sibling": SIBLING, "other": OTHER_BRAND}


def computer(name, calls):
    def compute():
        calls.append(name)
        return reference_features(render_face(IMAGES[name]))

    return compute


def test_features_are_computed_once_then_read_from_disk(tmp_path):
    calls = []
    store = FeatureStore(tmp_path, 64 << 20)
    first = store.get(SHA["tea"], computer("tea", calls))
    assert store.get(SHA["tea"], computer("tea", calls)) is first
    assert calls == ["tea"] and store.path_for(SHA["tea"]).is_file()

    restarted = FeatureStore(tmp_path, 64 << 20)
    again = restarted.get(SHA["tea"], computer("tea", calls))
    assert calls == ["tea"] and restarted.read == 1 and restarted.computed == 0
    np.testing.assert_array_equal(again.descriptors, first.descriptors)
    np.testing.assert_allclose(again.points, first.points, atol=1 / 32)


def test_memory_stays_within_the_bound(tmp_path):
    calls = []
    one = reference_features(render_face(TEA)).nbytes
    store = FeatureStore(tmp_path, int(one * 1.5))
    for name in ("tea", "sibling", "other", "tea"):
        store.get(SHA[name], computer(name, calls))
        assert store.held_bytes <= int(one * 1.5) * 1.5  # one entry may be larger than another
        assert len(store) == 1
    assert calls == ["tea", "sibling", "other"]  # the last "tea" came back from disk
    assert store.read == 1


def test_a_damaged_file_is_recomputed(tmp_path):
    calls = []
    FeatureStore(tmp_path, 64 << 20).get(SHA["other"], computer("other", calls))
    path = FeatureStore(tmp_path, 1).path_for(SHA["other"])
    path.write_bytes(b"not features")
    store = FeatureStore(tmp_path, 64 << 20)
    store.get(SHA["other"], computer("other", calls))
    assert calls == ["other", "other"]
    assert FeatureStore(tmp_path, 64 << 20).get(SHA["other"], computer("other", calls)) is not None
    assert calls == ["other", "other"]  # the rewritten file is good


def test_keys_must_be_content_hashes(tmp_path):
    with pytest.raises(ValueError, match="SHA-256"):
        FeatureStore(tmp_path, 1).path_for("../../etc/passwd")
    with pytest.raises(ValueError, match="positive"):
        FeatureStore(tmp_path, 0)


def test_features_from_central_are_kept_and_damaged_ones_refused(tmp_path):
    calls = []
    central = FeatureStore(tmp_path / "central", 64 << 20)
    data = central.file(SHA["tea"], computer("tea", calls))
    assert calls == ["tea"] and central.file(SHA["tea"], computer("tea", calls)) == data

    bench = FeatureStore(tmp_path / "bench", 64 << 20)
    with pytest.raises(VisionError):
        bench.accept(SHA["tea"], data[: len(data) // 2])  # cut off on the way
    assert not bench.has(SHA["tea"]) and not list((tmp_path / "bench").rglob("*.npz"))
    bench.accept(SHA["tea"], data)
    bench.get(SHA["tea"], computer("tea", calls))
    assert calls == ["tea"] and bench.computed == 0 and bench.read == 1
