"""Toledo continuous output: `<STX> SWA SWB SWC wwwwww [tttttt] <CR> [CHK]`, unsolicited.

SWA bits 0-2 place the decimal point (000 = x100 ... 111 = X.XXXXX), bit 5 always 1, bit
6 always 0. SWB: bit 0 net, 1 negative, 2 out of range, 3 motion, 4 kg (else lb),
6 power-up not zeroed. SWC: bit 0 grams (some indicators), bit 5 always 1. Bit 7 of each
byte is parity on a 7-bit line and is ignored. CHK (optional, a setting): the low 7 bits
of all bytes including CHK sum to 0 modulo 128.
"""

from __future__ import annotations

from decimal import Decimal

from drivers.readings import WeightStatus
from drivers.scales.base import BadFrame, Parsed, ScaleProtocol, SerialDefaults, Weighing, weighing
from drivers.scales.framing import Framer

NAME = "toledo-continuous"
EXPECTED = "Toledo continuous records '<STX><SWA><SWB><SWC>001234000000<CR>'"


def framer(checksum: bool = False) -> Framer:
    return Framer(start=b"\x02", end=b"\r", trailer=1 if checksum else 0, max_len=20)


def checksum_byte(body: bytes) -> int:
    """The CHK byte for STX..CR inclusive."""
    return (-sum(b & 0x7F for b in body)) & 0x7F


def scale_of(swa: int) -> tuple[int, int]:
    """(multiplier, decimals) from SWA bits 0-2."""
    code = swa & 0x07
    if code <= 2:
        return (100, 10, 1)[code], 0
    return 1, code - 2


def make_parser(checksum: bool = False):
    def parse(frame: bytes) -> Parsed:
        if checksum:
            if len(frame) < 2 or frame[-2] != 0x0D:
                return BadFrame(frame, "no checksum byte after <CR>")
            if sum(b & 0x7F for b in frame) & 0x7F:
                return BadFrame(frame, "checksum does not match")
            frame_body = frame[:-1]
        else:
            frame_body = frame
        if len(frame_body) not in (11, 17) or frame_body[0] != 0x02 or frame_body[-1] != 0x0D:
            return BadFrame(frame, "not <STX> + 3 status words + 6 or 12 digits + <CR>")
        return _record(frame_body[1:4], frame_body[4:-1], frame)

    return parse


def _record(status: bytes, digits: bytes, frame: bytes) -> Parsed:
    swa, swb, swc = (b & 0x7F for b in status)
    if swa & 0x60 != 0x20 or swc & 0x20 == 0:
        return BadFrame(frame, "status words do not have their fixed bits")
    if not digits.isdigit():
        return BadFrame(frame, "weight field is not 6 digits")
    if swb & 0x40:
        return Weighing(None, "", False, WeightStatus.ZERO_ERROR, frame, "power-up: not zeroed")
    negative, motion = bool(swb & 0x02), bool(swb & 0x08)
    if swb & 0x04:
        status = WeightStatus.UNDERLOAD if negative else WeightStatus.OVERLOAD
        return Weighing(None, "", False, status, frame, "out of range")
    multiplier, decimals = scale_of(swa)
    value = Decimal(int(digits[:6]) * multiplier).scaleb(-decimals)
    if negative:
        value = -value
    unit = "g" if swc & 0x01 else ("kg" if swb & 0x10 else "lb")
    return weighing(
        value,
        unit,
        stable=not motion,
        status=WeightStatus.MOTION if motion else WeightStatus.OK,
        raw=frame,
        net=bool(swb & 0x01),
    )


def protocol(checksum: bool = False) -> ScaleProtocol:
    return ScaleProtocol(
        name=NAME,
        title="Toledo continuous output",
        expected=EXPECTED,
        make_framer=lambda: framer(checksum),
        parse=make_parser(checksum),
        modes=("continuous",),
        serial=SerialDefaults(9600, 7, "E", 1),
        seven_bit=False,  # bit 7 carries parity in status words; digits are checked instead
    )
