"""The parts of the decoder that keep wrong reads out: votes between looks, the zbar
fallback's guards, and the regions that get a second look."""

import numpy as np
import pytest

from tests.vision.scenes import F, place, render, scene
from vision.decode import views, zbar_reader
from vision.decode.found import Found
from vision.decode.regions import find_regions
from vision.decode.symbol import Symbol


def ean(
    text: str,
    x: float = 100,
    y: float = 100,
    length: float = 200,
    tall: float = 80,
    add_on: str | None = None,
) -> Symbol:
    corners = ((x, y), (x + length, y), (x + length, y + tall), (x, y + tall))
    return Symbol("EAN-13", text, text.encode(), corners, "]E0", add_on=add_on)


def test_the_same_symbol_read_twice_is_one_symbol_with_two_votes():
    found = Found()
    found.add([ean("4006381333931")])
    found.add([ean("4006381333931", x=104, y=130, tall=2)])  # another scan line
    assert [s.text for s in found.accepted()] == ["4006381333931"]
    assert found.reads[0].votes == 2


def test_one_look_gives_one_vote_however_many_lines_it_read():
    found = Found()
    found.add([ean("4006381333931", tall=2), ean("4006381333931", y=150, tall=2)])
    assert found.reads[0].votes == 1


def test_two_identical_labels_apart_are_two_symbols():
    found = Found()
    found.add([ean("4006381333931"), ean("4006381333931", x=600)])
    assert len(found.accepted()) == 2


def test_an_add_on_completes_the_bare_number():
    found = Found()
    found.add([ean("9780884271789")])
    found.add([ean("978088427178952495", length=300, add_on="52495")])
    [symbol] = found.accepted()
    assert (symbol.text, symbol.add_on) == ("978088427178952495", "52495")


def test_disagreeing_linear_reads_of_one_place_report_neither():
    found = Found()
    found.add([ean("4006381333931"), ean("4006381333948", y=110)])
    assert found.accepted() == []
    assert len(found.contested()) == 1


def test_a_clear_majority_settles_a_dispute():
    found = Found()
    found.add([ean("4006381333931"), ean("4006381333948", y=110)])
    found.add([ean("4006381333931")])
    found.add([ean("4006381333931")], primary=False)
    assert [s.text for s in found.accepted()] == ["4006381333931"]


def test_a_qr_inside_a_qr_is_two_symbols():
    outer = Symbol("QR Code", "outer", b"outer", ((0, 0), (300, 0), (300, 300), (0, 300)))
    inner = Symbol("QR Code", "inner", b"inner", ((120, 120), (180, 120), (180, 180), (120, 180)))
    found = Found()
    found.add([outer, inner])
    assert sorted(s.text for s in found.accepted()) == ["inner", "outer"]


def test_a_fallback_read_needs_two_looks():
    found = Found()
    found.add([ean("4006381333931")], primary=False)
    assert found.accepted() == []
    found.add([ean("4006381333931")], primary=False)
    assert len(found.accepted()) == 1


needs_zbar = pytest.mark.skipif(not zbar_reader.available(), reason="libzbar0 is not installed")


@needs_zbar
def test_zbar_keeps_ascii_qr_text_only():
    ascii_qr = views.whole(render(F.QRCode, "ASN-20261101", 4))
    assert [s.text for s in zbar_reader.read(ascii_qr)] == ["ASN-20261101"]
    kanji_qr = views.whole(render(F.QRCode, "測試 ラベル", 4))
    assert zbar_reader.read(kanji_qr) == []


@needs_zbar
def test_zbar_upc_reads_are_spelled_as_zxing_cpp_spells_them():
    upce = zbar_reader.read(views.whole(render(F.UPCE, "01234565", 3)))
    assert [(s.format, s.text) for s in upce] == [("UPC-E", "0012345000065")]


@needs_zbar
def test_zbar_failures_lose_nothing_but_its_own_reads(monkeypatch):
    def broken(*args, **kwargs):
        raise ValueError("4294967295 is not a valid ZBarOrientation")

    monkeypatch.setattr(zbar_reader._PYZBAR, "decode", broken)
    assert zbar_reader.read(views.whole(render(F.EAN13, "4006381333931"))) == []


def test_regions_point_at_labels_and_across_their_bars():
    image = place(scene(), render(F.Code128, "SF5689832982229", 2), (800, 300), angle=30)
    [region] = find_regions(image, limit=3)
    assert region.contains((800, 300)) and region.linear
    # The bars run at 30 degrees from vertical, so the reading direction is 30 degrees
    # from the x axis (up to a half turn).
    assert min(abs(region.angle - a) for a in (-30, 150, -210)) < 5


def test_no_regions_on_a_plain_bench():
    assert find_regions(scene()) == []
    assert find_regions(np.zeros((5, 5), np.uint8)) == []


@pytest.mark.parametrize("angle", [0.0, 0.5, 30.0, -60.0])
def test_views_map_their_pixels_back_to_the_frame(angle):
    from vision.decode.regions import Region

    frame = scene()
    region = Region(centre=(400.0, 300.0), width=200.0, height=80.0, angle=angle)
    view = views.upright(frame, region, margin=0.1, target=600)
    h, w = view.image.shape
    centre = view.to_frame @ np.array([w / 2, h / 2, 1.0])
    assert np.allclose(centre, (400, 300), atol=2)
    # Enlarged about three times (600 px for a 240 px wide cut).
    assert 2.3 < np.hypot(*view.to_frame[:, 0]) ** -1 < 2.7


def test_misreads_on_two_thin_scan_lines_of_one_code_are_rivals():
    found = Found()
    found.add([ean("4006381333931", y=100, tall=1), ean("4006381333948", y=130, tall=1)])
    assert found.accepted() == [] and len(found.contested()) == 1
