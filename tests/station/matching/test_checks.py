"""Visual checks against the sample reference data in a real database."""

import json
import random

import cv2
import pytest
from sqlalchemy import delete

from station.db import migrate
from station.db.engine import Database
from station.errors import NotFound, SettingsError
from station.evidence import EvidenceStore
from station.matching import FeatureStore, VisualChecks, load_limits, siblings
from station.matching.limits import shipped_limits_file
from station.reference.models import Listing, ListingImage
from station.runtime import Runtime
from station.sample.artwork import photograph, render_face
from station.sample.load import design_for, load_sample, sample_file
from station.settings import load_settings

LISTINGS = {item["id"]: item for item in json.loads(sample_file("listings").read_text("utf-8"))}


def bench_photo(listing_id: str, seed: int = 5, face: str = "front"):
    return photograph(render_face(design_for(LISTINGS[listing_id]), face), random.Random(seed))


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    root = tmp_path_factory.mktemp("world")
    url = f"sqlite:///{root / 'station.db'}"
    migrate.upgrade(url)
    db = Database(url)
    evidence = EvidenceStore(root / "evidence")
    load_sample(db, evidence, root / "images")
    yield db, evidence, root
    db.dispose()


@pytest.fixture
def checks(world, tmp_path):
    db, evidence, _ = world
    return VisualChecks(evidence, FeatureStore(tmp_path / "features", 64 << 20), load_limits())


def test_siblings_are_other_products_of_the_same_brand_and_category(world):
    db, _, _ = world
    with db.session() as session:
        names = [s.id for s in siblings(session, session.get(Listing, "L001"))]
    assert "L003" in names and "L005" in names  # oolong, black tea
    assert "L002" not in names and "L085" not in names  # the same GTIN from other merchants


def test_the_listed_product_matches(world, checks):
    db, _, _ = world
    with db.session() as session:
        decision = checks.listing_match(session, "L001", [bench_photo("L001")])
    assert decision.outcome == "match", decision.reason
    assert decision.reference_index == 0 and decision.overlay_png.startswith(b"\x89PNG")
    assert decision.closest_sibling in {"L003", "L005", "L007", "L089"}
    assert decision.margin > 0


def test_a_sibling_sent_instead_is_not_accepted(world, checks):
    db, _, _ = world
    with db.session() as session:
        decision = checks.listing_match(session, "L001", [bench_photo("L003")])
    assert decision.outcome == "mismatch", decision.reason
    assert "L003" in decision.reason or "not found" in decision.reason


def test_reference_features_are_computed_once_per_image(world, checks):
    db, _, _ = world
    with db.session() as session:
        checks.listing_match(session, "L001", [bench_photo("L001")])
        computed = checks.store.computed
        checks.listing_match(session, "L001", [bench_photo("L001", seed=6)])
    assert computed > 0 and checks.store.computed == computed


def test_a_listing_without_images_goes_to_review(world, checks):
    db, _, _ = world
    with db.transaction() as session:
        session.execute(delete(ListingImage).where(ListingImage.listing_id == "L099"))
    with db.session() as session:
        decision = checks.listing_match(session, "L099", [bench_photo("L001")])
    assert decision.outcome == "review" and "no reference images" in decision.reason


def test_brand_mark_present_and_absent(world, checks):
    db, _, _ = world
    photo = bench_photo("L001", seed=3)
    with db.session() as session:
        own = checks.brand_mark(session, LISTINGS["L001"]["brand_id"], [photo])
        other = checks.brand_mark(session, "B12", [photo])
    assert own.outcome == "present", own.reason
    assert other.outcome == "absent", other.reason


def test_unknown_records_are_reported(world, checks):
    db, _, _ = world
    with db.session() as session, pytest.raises(NotFound, match="L999"):
        checks.listing_match(session, "L999", [bench_photo("L001")])
    with db.session() as session, pytest.raises(NotFound, match="B99"):
        checks.brand_mark(session, "B99", [bench_photo("L001")])


def test_photo_quality_uses_the_configured_limits(checks):
    assert checks.photo_quality(bench_photo("L001", seed=3)).ok


def test_runtime_settings_place_the_store_under_the_data_dir(tmp_path, world):
    settings = load_settings(data_dir=str(tmp_path))
    runtime = Runtime.from_settings(settings)
    try:
        built = VisualChecks.from_runtime(runtime)
    finally:
        runtime.close()
    assert built.store.root == tmp_path / "features"
    assert built.store.memory_bytes == settings.matching.memory_mb << 20


def test_limits_file_problems_name_the_file(tmp_path):
    bad = tmp_path / "limits.toml"
    bad.write_text("[listing]\nmatch = 1.0\n")
    with pytest.raises(SettingsError, match="needs mismatch, margin"):
        load_limits(bad)
    bad.write_text("[listing]\nmatch = 1.0\nmismatch = 2.0\nmargin = 0.1\n")
    with pytest.raises(SettingsError, match="mismatch <= match"):
        load_limits(bad)
    assert load_limits(shipped_limits_file()).listing.match > 0


def test_the_workflow_call_reads_photos_from_the_evidence_store(world, checks):
    db, evidence, _ = world
    ok, data = cv2.imencode(".png", bench_photo("L001"))
    sha = evidence.put(data.tobytes()).sha256
    with db.session() as session:
        decision = checks.match_evidence(session, "L001", "B01", {"front": sha})
        mark = checks.brand_mark_evidence(session, "L001", "B01", {"front": sha})
        nothing = checks.match_evidence(session, "L001", "B01", {})
    assert decision.outcome == "match" and mark.outcome == "present" and nothing is None
