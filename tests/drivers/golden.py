"""Golden byte transcripts, per protocol: what the host sends, what the device answers,
and what that answer means. Written from the protocol tables (research/hardware.md), not
from our code. Entries with a `pan` are also what our simulator must send, byte for byte;
entries without one are device variants the simulator does not produce.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal as D

from drivers.sim.scale_devices import PanState


def pan(value: str, unit: str, moving=False, over=False, under=False, at_zero=False) -> PanState:
    return PanState(D(value), unit, moving, over, under, at_zero)


@dataclass(frozen=True)
class Exchange:
    protocol: str
    request: bytes | None  # None: continuous output
    response: bytes
    means: tuple  # ("weight", value, unit, status, stable) | ("reply", kind) | ("bad",)
    pan: PanState | None = None
    options: tuple = ()

    @property
    def id(self) -> str:
        return f"{self.protocol}:{self.response!r}"


W, R, BAD = "weight", "reply", "bad"

TRANSCRIPTS = [
    # Mettler Toledo MT-SICS --------------------------------------------------------------
    Exchange("mt-sics", b"S\r\n", b"S S     100.00 g\r\n", (W, "100.00", "g", "ok", True),
             pan("100.00", "g")),
    Exchange("mt-sics", b"SI\r\n", b"S D      12.34 g\r\n", (W, "12.34", "g", "motion", False),
             pan("12.34", "g", moving=True)),
    Exchange("mt-sics", b"SI\r\n", b"S S      -0.02 g\r\n", (W, "-0.02", "g", "ok", True),
             pan("-0.02", "g")),
    Exchange("mt-sics", b"S\r\n", b"S I\r\n", (W, None, "", "unknown", False),
             pan("50.00", "g", moving=True)),
    Exchange("mt-sics", b"SI\r\n", b"S +\r\n", (W, None, "", "overload", False),
             pan("7200.00", "g", over=True)),
    Exchange("mt-sics", b"SI\r\n", b"S -\r\n", (W, None, "", "underload", False),
             pan("-300.00", "g", under=True)),
    Exchange("mt-sics", b"Z\r\n", b"Z A\r\n", (R, "ack"), pan("0.00", "g", at_zero=True)),
    Exchange("mt-sics", b"Z\r\n", b"Z I\r\n", (R, "busy"), pan("3.00", "g", moving=True)),
    Exchange("mt-sics", b"T\r\n", b"T S     100.00 g\r\n", (R, "tare"), pan("100.00", "g")),
    Exchange("mt-sics", b"TA\r\n", b"TA A       0.00 g\r\n", (R, "tare"), pan("100.00", "g")),
    Exchange("mt-sics", b"I4\r\n", b'I4 A "0123456789"\r\n', (R, "identity"), pan("0", "g")),
    Exchange("mt-sics", b"@\r\n", b'I4 A "0123456789"\r\n', (R, "identity"), pan("0", "g")),
    Exchange("mt-sics", b"XYZ\r\n", b"ES\r\n", (R, "error"), pan("0", "g")),
    Exchange("mt-sics", b"SI\r\n", b"S S      1.234 kg\r\n", (W, "1.234", "kg", "ok", True)),
    Exchange("mt-sics", b"SI\r\n", b"S S    0.372 lb\r\n", (W, "0.372", "lb", "ok", True)),
    Exchange("mt-sics", b"SI\r\n", b"S D       5.93 oz\r\n", (W, "5.93", "oz", "motion", False)),
    Exchange("mt-sics", b"SI\r\n", b"S S      12.00 ct\r\n", (W, None, "ct", "unknown", False)),
    Exchange("mt-sics", b"SI\r\n", b"ET\r\n", (R, "error")),
    Exchange("mt-sics", b"SI\r\n", b"EL\r\n", (R, "error")),
    Exchange("mt-sics", b"SI\r\n", b"S S    1O0.00 g\r\n", (BAD,)),
    # Toledo 8217 -----------------------------------------------------------------------
    Exchange("toledo-8217", b"W", b"\x0201.234\r", (W, "1.234", "kg", "ok", True),
             pan("1.234", "kg")),
    Exchange("toledo-8217", b"W", b"\x02?A\r", (W, None, "", "motion", False),
             pan("1.100", "kg", moving=True)),
    Exchange("toledo-8217", b"W", b"\x02?B\r", (W, None, "", "overload", False),
             pan("40.000", "kg", over=True)),
    Exchange("toledo-8217", b"W", b"\x02?D\r", (W, None, "", "underload", False),
             pan("-0.120", "kg")),
    Exchange("toledo-8217", b"Z", b"\x02?P\r", (W, None, "", "unknown", False),
             pan("0.000", "kg", at_zero=True)),
    Exchange("toledo-8217", b"E", b"\x02E\r", (R, "echo"), pan("0.000", "kg")),
    Exchange("toledo-8217", b"W", b"\x0201.234N\r", (W, "1.234", "kg", "ok", True)),
    Exchange("toledo-8217", b"W", b"\x02?H\r", (W, None, "", "zero_error", False)),
    Exchange("toledo-8217", b"W", b"\x02012.34\r", (BAD,)),  # an lb frame, scale set to kg
    Exchange("toledo-8217", b"W", b"\x02012.34\r", (W, "12.34", "lb", "ok", True),
             options=(("unit", "lb"),)),
    Exchange("toledo-8217", b"W", b"\x02?\x01\r", (BAD,)),
    # Toledo continuous ----------------------------------------------------------------
    Exchange("toledo-continuous", None, b"\x02\x2d\x30\x20012345000000\r",
             (W, "12.345", "kg", "ok", True), pan("12.345", "kg")),
    Exchange("toledo-continuous", None, b"\x02\x2d\x38\x20001100000000\r",
             (W, "1.100", "kg", "motion", False), pan("1.100", "kg", moving=True)),
    Exchange("toledo-continuous", None, b"\x02\x2d\x32\x20000120000000\r",
             (W, "-0.120", "kg", "ok", True), pan("-0.120", "kg")),
    Exchange("toledo-continuous", None, b"\x02\x2d\x34\x20999999000000\r",
             (W, None, "", "overload", False), pan("999.999", "kg", over=True)),
    Exchange("toledo-continuous", None,  # the worked example, with its checksum byte
             bytes.fromhex("022C3020303031323334303030303030 0D2B".replace(" ", "")),
             (W, "12.34", "kg", "ok", True), options=(("checksum", True),)),
    Exchange("toledo-continuous", None,
             bytes.fromhex("022C3020303031323334303030303030 0D2C".replace(" ", "")),
             (BAD,), options=(("checksum", True),)),
    Exchange("toledo-continuous", None, b"\x02\x2a\x20\x20000250\r",
             (W, "250", "lb", "ok", True)),  # short form, lb, no decimals
    Exchange("toledo-continuous", None, b"\x02\x2a\x60\x20000000\r",
             (W, None, "", "zero_error", False)),
    Exchange("toledo-continuous", None, b"\x02\x2d\x30\x2000A345000000\r", (BAD,)),
    # NCI SCP-01 ------------------------------------------------------------------------
    Exchange("nci", b"W\r", b"\n0001.23lb\r\n00\r\x03", (W, "1.23", "lb", "ok", True),
             pan("1.23", "lb")),
    Exchange("nci", b"W\r", b"\n0000.00lb\r\n20\r\x03", (W, "0.00", "lb", "ok", True),
             pan("0.00", "lb", at_zero=True)),
    Exchange("nci", b"W\r", b"\n10\r\x03", (W, None, "", "motion", False),
             pan("1.20", "lb", moving=True)),
    Exchange("nci", b"W\r", b"\n01\r\x03", (W, None, "", "underload", False),
             pan("-0.50", "lb")),
    Exchange("nci", b"W\r", b"\n02\r\x03", (W, None, "", "overload", False),
             pan("99.00", "lb", over=True)),
    Exchange("nci", b"S\r", b"\n00\r\x03", (R, "status"), pan("1.23", "lb")),
    Exchange("nci", b"X\r", b"\n?\r\x03", (R, "unknown_command"), pan("1.23", "lb")),
    Exchange("nci", b"W\r", b"\n 2lb  5.3oz\r\n00\r\x03", (W, "2.33125", "lb", "ok", True)),
    Exchange("nci", b"W\r", b"\n01.234KG\r\nS00\r\x03", (W, "1.234", "kg", "ok", True)),
    Exchange("nci", b"W\r", b"\n^^^^^^lb\r\n00\r\x03", (W, None, "", "overload", False)),
    Exchange("nci", b"W\r", b"\n------lb\r\n00\r\x03", (W, None, "", "zero_error", False)),
    Exchange("nci", b"W\r", b"\n40\r\x03", (W, None, "", "device_error", False)),
    Exchange("nci", b"W\r", b"\n0001.23lb\r\nAB\r\x03", (BAD,)),
    # SMA -------------------------------------------------------------------------------
    Exchange("sma", b"\nW\r", b"\n 1G      12.345kg \r", (W, "12.345", "kg", "ok", True),
             pan("12.345", "kg")),
    Exchange("sma", b"\nW\r", b"\nZ1G       0.000kg \r", (W, "0.000", "kg", "ok", True),
             pan("0.000", "kg", at_zero=True)),
    Exchange("sma", b"\nW\r", b"\n 1GM      4.200kg \r", (W, "4.200", "kg", "motion", False),
             pan("4.200", "kg", moving=True)),
    Exchange("sma", b"\nW\r", b"\nU1G      -0.120kg \r", (W, "-0.120", "kg", "underload", True),
             pan("-0.120", "kg")),
    Exchange("sma", b"\nW\r", b"\nO1G      70.000kg \r", (W, None, "", "overload", False),
             pan("70.000", "kg", over=True)),
    Exchange("sma", b"\nA\r", b"\nSMA:1/1.0\r", (R, "identity"), pan("0.000", "kg")),
    Exchange("sma", b"\nX\r", b"\n?\r", (R, "unknown_command"), pan("0.000", "kg")),
    Exchange("sma", b"\nW\r", b"\n!\r", (R, "error")),
    Exchange("sma", b"\nW\r", b"\nE1G  ----------kg \r", (W, None, "", "zero_error", False)),
    Exchange("sma", b"\nW\r", b"\n 1N      26.000lb \r", (W, "26.000", "lb", "ok", True)),
    Exchange("sma", b"\nW\r", b"\n 1X      26.000lb \r", (BAD,)),
    # CAS -------------------------------------------------------------------------------
    Exchange("cas", None, b"ST,GS,+  4.876kg\r\n", (W, "4.876", "kg", "ok", True),
             pan("4.876", "kg")),
    Exchange("cas", None, b"US,GS,+  4.870kg\r\n", (W, "4.870", "kg", "motion", False),
             pan("4.870", "kg", moving=True)),
    Exchange("cas", None, b"ST,GS,-  0.120kg\r\n", (W, "-0.120", "kg", "ok", True),
             pan("-0.120", "kg")),
    Exchange("cas", None, b"OL,GS,+999.999kg\r\n", (W, None, "", "overload", False),
             pan("70.000", "kg", over=True)),
    Exchange("cas", None, b"ST,NT,+  0.120kg\r\n", (W, "0.120", "kg", "ok", True)),
    Exchange("cas", None, b"ST,GS,1\xc1,000013.5 kg\r\n", (W, "13.5", "kg", "ok", True)),
    Exchange("cas", None, b"ST,GS,+  9.500lb\r\n", (W, "9.500", "lb", "ok", True)),
    Exchange("cas", None, b"  4.876kg\r\n", (BAD,)),  # the 10-byte form has no status
    Exchange("cas", None, b"ST,XX,+  4.876kg\r\n", (BAD,)),
    # Adam ------------------------------------------------------------------------------
    Exchange("adam", b"G\r\n", b"G +    123.45 g\r\n", (W, "123.45", "g", "ok", True),
             pan("123.45", "g")),
    Exchange("adam", b"G\r\n", b"G -      1.50 g\r\n", (W, "-1.50", "g", "ok", True),
             pan("-1.50", "g")),
    Exchange("adam", b"G\r\n", b"  -OL-\r\n", (W, None, "", "overload", False),
             pan("9000.00", "g", over=True)),
    Exchange("adam", b"P\r\n", b"", None, pan("0.00", "g", at_zero=True)),  # nothing for zero
    Exchange("adam", b"P\r\n", b"-      1.234 kg\r\n", (W, "-1.234", "kg", "ok", True)),
    Exchange("adam", b"P\r\n", b"   1.234kg\r\n", (W, "1.234", "kg", "ok", True)),
    Exchange("adam", b"P\r\n", b"G +     10.00 ct\r\n", (W, None, "ct", "unknown", False)),
    Exchange("adam", b"P\r\n", b"G + 1.2.3 g\r\n", (BAD,)),
]  # fmt: skip
