"""What the camera decoder reads goes through identify() like a hand scanner's scan."""

import pytest

from station.identifiers import Kind, identify
from tests.vision.scenes import F, place, render, scene
from vision.decode import decode_image


@pytest.mark.parametrize(
    ("fmt", "written", "options", "scale", "kind", "field", "value"),
    [
        (F.EAN13, "9780884271789+52495", {}, 2, Kind.GTIN, "add_on", "52495"),
        (F.UPCE, "01234565", {}, 2, Kind.GTIN, "gtin", "00012345000065"),
        (F.ITF, "10012345678902", {}, 2, Kind.GTIN, "gtin", "10012345678902"),
        (
            F.Code128,
            "(01)09501101530003(17)261100(10)L7",
            {"gs1": True},
            2,
            Kind.GS1,
            "batch",
            "L7",
        ),
        (F.DataMatrix, "(01)09501101530003(21)SN9", {"gs1": True}, 5, Kind.GS1, "serial", "SN9"),
        (
            F.DataBarExp,
            "(01)00012345678905(3103)001250",
            {},
            2,
            Kind.GS1,
            "net_weight_mg",
            1_250_000,
        ),
        (F.Code128, "EE123456785CN", {}, 2, Kind.S10, "country", "CN"),
        (F.QRCode, "ISCMD:SKIP:NO_LABEL", {}, 4, Kind.BENCH_COMMAND, "argument", "NO_LABEL"),
    ],
)
def test_decoded_symbols_identify(fmt, written, options, scale, kind, field, value):
    [symbol] = decode_image(place(scene(), render(fmt, written, scale, **options), (640, 480)))
    result = identify(symbol.text, aim=symbol.aim)
    assert (result.kind, result.valid, result.fields[field]) == (kind, True, value)
