"""decode_image on rendered barcodes: every warehouse format, then scenes that are
turned, warped, blurred, noisy, crowded, and scenes with no barcode at all."""

import cv2
import numpy as np
import pytest

from tests.vision.scenes import F, bgr, noisy, perspective, place, render, scene, texts
from vision.decode import Symbol, decode_image
from vision.errors import VisionError

GS = "\x1d"

FORMATS = [
    # (format to write, text written, options, scale, format read, text read, aim, gs1)
    (F.EAN13, "4006381333931", {}, 2, "EAN-13", "4006381333931", "]E0", False),
    (F.EAN8, "96385074", {}, 2, "EAN-8", "96385074", "]E4", False),
    (F.UPCA, "036000291452", {}, 2, "EAN-13", "0036000291452", "]E0", False),
    (F.UPCE, "01234565", {}, 2, "UPC-E", "0012345000065", "]E0", False),
    (F.EAN13, "9780884271789+52495", {}, 2, "EAN-13", "978088427178952495", "]E3", False),
    (F.Code128, "SF5689832982229", {}, 2, "Code 128", "SF5689832982229", "]C0", False),
    (
        F.Code128,
        "(01)09501101530003(17)261100(10)LOT7(21)SN1",
        {"gs1": True},
        2,
        "Code 128",
        f"01095011015300031726110010LOT7{GS}21SN1",
        "]C1",
        True,
    ),
    (F.ITF, "10012345678902", {}, 2, "ITF", "10012345678902", "]I1", False),
    (F.Code39, "ABC-1234", {}, 2, "Code 39", "ABC-1234", "]A0", False),
    (
        F.QRCode,
        "ISSHP1/ASN-20261101/J2EBM3VTH4",
        {},
        4,
        "QR Code",
        "ISSHP1/ASN-20261101/J2EBM3VTH4",
        "]Q1",
        False,
    ),
    (
        F.QRCode,
        "(01)09501101530003(21)SN1",
        {"gs1": True},
        4,
        "QR Code",
        "010950110153000321SN1",
        "]Q3",
        True,
    ),
    (
        F.DataMatrix,
        "(01)09501101530003(17)261231(21)X9",
        {"gs1": True},
        5,
        "Data Matrix",
        "01095011015300031726123121X9",
        "]d2",
        True,
    ),
    (F.DataBar, "0100012345678905", {}, 2, "DataBar Omni", "0100012345678905", "]e0", True),
    (
        F.DataBarExp,
        "(01)00012345678905(17)261231",
        {},
        2,
        "DataBar Expanded",
        "010001234567890517261231",
        "]e0",
        True,
    ),
]


@pytest.mark.parametrize(
    ("fmt", "written", "options", "scale", "name", "text", "aim", "gs1"),
    FORMATS,
    ids=[f"{f[4]}:{f[1][:12]}" for f in FORMATS],
)
def test_every_warehouse_format(fmt, written, options, scale, name, text, aim, gs1):
    symbol = render(fmt, written, scale, **options)
    image = place(scene(), symbol, (500, 400))
    found = decode_image(bgr(image))
    assert len(found) == 1, found
    read = found[0]
    assert (read.format, read.text, read.aim, read.gs1) == (name, text, aim, gs1)
    assert read.raw == text.encode() == read.bytes
    # The corners lie on the label, around its centre.
    xs, ys = zip(*read.corners, strict=True)
    assert min(xs) < 500 < max(xs) and min(ys) < 400 < max(ys)
    assert max(xs) - min(xs) < symbol.shape[1] + 30


def test_add_on_is_reported_separately_too():
    image = place(scene(), render(F.EAN13, "9780884271789+12"), (640, 480))
    [read] = decode_image(image)
    assert (read.text, read.add_on, read.main_text) == ("978088427178912", "12", "9780884271789")


@pytest.mark.parametrize("angle", [0, 20, 35, 45, 60, 90, 135, 180, 250, 315])
@pytest.mark.parametrize(
    ("fmt", "text", "scale"),
    [(F.Code128, "TRACK-0012345678", 2), (F.EAN13, "4006381333931", 2), (F.QRCode, "ASN-1", 5)],
)
def test_any_rotation(fmt, text, scale, angle):
    image = place(scene(seed=angle), render(fmt, text, scale), (640, 480), angle=angle)
    assert texts(decode_image(image)) == [text]


def test_several_symbols_in_one_frame_each_once():
    image = scene(size=(1600, 1200))
    labels = [
        (F.EAN13, "4006381333931", 2, (350, 260), 0),
        (F.Code128, "SF5689832982229", 2, (1150, 280), 30),
        (F.QRCode, "ISCMD:NEXT", 5, (360, 850), -15),
        (F.DataMatrix, "EE123456785CN", 6, (1000, 900), 10),
        (F.ITF, "10012345678902", 2, (1250, 650), 90),
    ]
    for fmt, text, scale, centre, angle in labels:
        image = place(image, render(fmt, text, scale), centre, angle)
    found = decode_image(image)
    assert texts(found) == sorted(label[1] for label in labels)
    for _, text, _, (x, y), _ in labels:
        [read] = [s for s in found if s.text == text]
        cx, cy = read.centre()
        assert abs(cx - x) < 80 and abs(cy - y) < 80, (text, read.corners)


def test_two_identical_labels_are_two_symbols():
    image = scene()
    for centre in ((350, 480), (930, 480)):
        image = place(image, render(F.EAN13, "4006381333931"), centre)
    found = decode_image(image)
    assert texts(found) == ["4006381333931", "4006381333931"]
    assert abs(found[0].centre()[0] - found[1].centre()[0]) > 400


@pytest.mark.parametrize(
    ("fmt", "text", "scale"),
    [
        (F.EAN13, "4006381333931", 3),
        (F.Code128, "JDV123456789012", 3),
        (F.QRCode, "EE123456785CN", 6),
    ],
)
def test_perspective_blur_and_noise(fmt, text, scale):
    image = place(scene(), render(fmt, text, scale), (640, 500), angle=8)
    image = perspective(image, 0.12)
    image = cv2.GaussianBlur(image, (0, 0), 1.2)
    image = noisy(image, 12)
    assert texts(decode_image(image)) == [text]


@pytest.mark.parametrize("text", ["4006381333931", "5901234123457"])
def test_small_code_in_a_big_frame(text):
    """An EAN-13 at 1.2 px per module, slightly soft, in a 1920 x 1080 frame: found as a
    region and read enlarged."""
    symbol = cv2.resize(
        render(F.EAN13, text, 2), None, fx=0.6, fy=0.6, interpolation=cv2.INTER_AREA
    )
    image = place(scene(size=(1920, 1080)), cv2.GaussianBlur(symbol, (0, 0), 0.3), (700, 600))
    assert texts(decode_image(image)) == [text]


@pytest.mark.parametrize("text", ["4006381333931", "5901234123457"])
def test_small_soft_crop(text):
    """A phone-style crop that is all barcode: 1.4 px per module, soft, noisy."""
    symbol = cv2.resize(
        render(F.EAN13, text, 2), None, fx=0.7, fy=0.7, interpolation=cv2.INTER_AREA
    )
    crop = noisy(cv2.GaussianBlur(symbol, (0, 0), 0.3), 3)
    assert texts(decode_image(crop)) == [text]


def _stripes(size=(1280, 960)):
    """Bars of one width everywhere: barcode-like, but no symbology's pattern."""
    w, h = size
    row = ((np.arange(w) // 4) % 2 * 200 + 30).astype(np.uint8)
    return np.tile(row, (h, 1))


def _text_page(size=(1280, 960)):
    page = np.full((size[1], size[0]), 240, np.uint8)
    rng = np.random.default_rng(3)
    for line in range(30):
        words = " ".join(
            "".join(rng.choice(list("ABCDEFGHJKLMNPRSTUVWXYZ0123456789"), 6)) for _ in range(9)
        )
        cv2.putText(page, words, (20, 30 + 31 * line), cv2.FONT_HERSHEY_SIMPLEX, 0.8, 20, 2)
    return page


def _checkerboard(size=(1280, 960), cell=6):
    w, h = size
    ys, xs = np.mgrid[0:h, 0:w]
    return (((xs // cell + ys // cell) % 2) * 220 + 20).astype(np.uint8)


@pytest.mark.parametrize(
    "image",
    [
        np.full((720, 1280, 3), 128, np.uint8),
        np.random.default_rng(0).integers(0, 256, (720, 1280), dtype=np.uint8),
        scene(),
        _stripes(),
        _text_page(),
        _checkerboard(),
        cv2.GaussianBlur(_text_page(), (0, 0), 2),
        np.full((1, 1, 3), 255, np.uint8),
    ],
    ids=["flat", "noise", "bench", "stripes", "text", "checkerboard", "blurred-text", "1px"],
)
def test_no_barcode_no_output(image):
    assert decode_image(image) == []


def test_grey_bgr_and_bgra_frames_read_alike():
    grey = place(scene(), render(F.EAN8, "96385074"), (640, 480))
    expected = ["96385074"]
    assert texts(decode_image(grey)) == expected
    assert texts(decode_image(bgr(grey))) == expected
    assert texts(decode_image(cv2.cvtColor(grey, cv2.COLOR_GRAY2BGRA))) == expected


@pytest.mark.parametrize(
    "bad",
    [np.zeros((10, 10), np.float32), np.zeros((10, 10, 2), np.uint8), "frame.png"],
    ids=["float", "two-channel", "path"],
)
def test_what_is_not_an_image_is_refused(bad):
    with pytest.raises(VisionError, match="decode_image"):
        decode_image(bad)


def test_symbol_is_plain_data():
    [read] = decode_image(place(scene(), render(F.QRCode, "hello", 4), (640, 480)))
    assert isinstance(read, Symbol)
    assert len(read.corners) == 4 and all(len(p) == 2 for p in read.corners)
