"""The sample data set: what the demo and the tests rely on it to contain."""

import json
import threading
from collections import Counter
from datetime import date
from pathlib import Path

import cv2
import numpy as np

from station.identifiers import normalise_gtin, parse_s10
from station.sample.generate import build, write
from station.sample.load import _write, sample_dir


def test_committed_files_match_the_generator(tmp_path: Path):
    for path in write(build(), tmp_path):
        committed = sample_dir() / path.name
        assert committed.read_bytes() == path.read_bytes(), (
            f"{committed} differs from the generator: run `inbound-station sample generate`"
        )


def test_sample_has_the_cases_the_demo_needs():
    data = build()
    merchants = data["merchants"]
    assert len(merchants) >= 20
    statuses = Counter(m["status"] for m in merchants)
    assert statuses["suspended"] >= 2 and statuses["closed"] >= 1
    assert sum(m["kind"] == "individual" for m in merchants) >= 2
    assert len(data["brands"]) >= 15
    auths = data["authorisations"]
    assert any(a["valid_until"] < date(2026, 1, 1).isoformat() for a in auths), "an expired one"
    assert sum(bool(a["parent_id"]) for a in auths) >= 3, "some through a distributor"
    scopes = [c for c in data["categories"] if not c["parent_id"]]
    assert len(scopes) == 8 and len(data["categories"]) - len(scopes) == 18
    assert len(data["listings"]) == 100
    for listing in data["listings"]:
        assert all(normalise_gtin(g) for g in listing["gtins"])
        assert listing["unit_weight_g"] > 0
    traceable = [s for s in data["shipments"] if s.get("s10_id") or s.get("tracking_number")]
    assert len(traceable) >= 30
    assert all(parse_s10(s["s10_id"]) for s in traceable if s.get("s10_id"))
    scenarios = data["scenarios"]
    for case in (
        "pass",
        "suspended_merchant",
        "not_an_enterprise",
        "unauthorised_brand",
        "expired_authorisation",
        "authorisation_wrong_category",
        "outside_paid_category",
        "untraceable_parcel",
    ):
        assert scenarios.get(case), case


def test_scenarios_point_at_the_right_records():
    data = build()
    merchants = {m["id"]: m for m in data["merchants"]}
    listings = {x["id"]: x for x in data["listings"]}
    auths = {(a["brand_id"], a["merchant_id"]): a for a in data["authorisations"]}
    for lid in data["scenarios"]["suspended_merchant"]:
        assert merchants[listings[lid]["merchant_id"]]["status"] == "suspended"
    for lid in data["scenarios"]["unauthorised_brand"]:
        assert (listings[lid]["brand_id"], listings[lid]["merchant_id"]) not in auths
    for lid in data["scenarios"]["outside_paid_category"]:
        listing = listings[lid]
        paid = {p["category_id"] for p in merchants[listing["merchant_id"]]["paid_categories"]}
        assert listing["category_id"] not in paid
    for lid in data["scenarios"]["authorisation_wrong_category"]:
        listing = listings[lid]
        assert (
            listing["category_id"]
            not in auths[(listing["brand_id"], listing["merchant_id"])]["categories"]
        )
    for lid in data["scenarios"]["pass"]:
        listing = listings[lid]
        merchant = merchants[listing["merchant_id"]]
        assert merchant["status"] == "active" and merchant["kind"] == "enterprise"
        auth = auths[(listing["brand_id"], listing["merchant_id"])]
        assert listing["category_id"] in auth["categories"] and auth["valid_until"] > "2026-12-31"
    asn = {s["id"]: s for s in data["shipments"]}
    for sid in data["scenarios"]["untraceable_parcel"]:
        assert not asn[sid].get("s10_id") and not asn[sid].get("tracking_number")
    json.dumps(data)  # plain data all the way down


def test_two_writers_drawing_the_same_image_at_once_leave_a_whole_file(tmp_path):
    # The demo and an autopilot (or two test workers) may render the sample images together.
    image = np.full((64, 96, 3), 200, np.uint8)
    target = tmp_path / "listings" / "L001-front.png"
    failures: list[BaseException] = []

    def draw() -> None:
        try:
            for _ in range(40):
                _write(target, image)
        except BaseException as err:
            failures.append(err)

    threads = [threading.Thread(target=draw) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert cv2.imread(str(target)).shape == image.shape
    assert [p.name for p in target.parent.iterdir()] == [target.name]  # no leftovers
