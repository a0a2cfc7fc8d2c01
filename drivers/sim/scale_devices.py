"""What each simulated scale sends, written from the protocol tables (not from our parsers).

A device gets the host's bytes through `receive` and answers with whole frames; streaming
devices also produce one frame per `period_s` through `stream`. `PanState` is what the
load cell sees at that instant, already in the device's unit and resolution.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class PanState:
    value: Decimal  # signed, in the device unit, quantised to the display division
    unit: str
    moving: bool
    over: bool
    under: bool
    at_zero: bool


class SimDevice:
    serial_number = "0123456789"
    period_s = 0.1  # repetition period of continuous output
    streaming = False

    def __init__(self, unit: str, decimals: int) -> None:
        self.unit, self.decimals = unit, decimals
        self._pending = b""

    def receive(self, data: bytes, pan: PanState) -> list[bytes]:
        raise NotImplementedError

    def stream(self, pan: PanState) -> bytes | None:
        return None

    def _lines(self, data: bytes, end: bytes) -> list[bytes]:
        self._pending += data
        *lines, self._pending = self._pending.split(end)
        return lines

    def fixed(self, value: Decimal) -> str:
        return f"{value:.{self.decimals}f}"


class MtSicsDevice(SimDevice):
    """MT-SICS level 0/1: S, SI, SIR, Z, T, TA, TAC, I1, I4, @."""

    def __init__(self, unit: str = "g", decimals: int = 2) -> None:
        super().__init__(unit, decimals)
        self.tare = Decimal(0)

    def receive(self, data: bytes, pan: PanState) -> list[bytes]:
        out = []
        for line in self._lines(data, b"\r\n"):
            if self.streaming:  # any command ends SIR, but one more line is already on its way
                self.streaming = False
                out.append(self._weight("S", pan, immediate=True))
            out.append(self._answer(line.decode("latin-1").strip(), pan))
        return out

    def _answer(self, cmd: str, pan: PanState) -> bytes:
        sn = f'"{self.serial_number}"'
        fixed = {"I1": 'I1 A "01" "2.30" "2.22" "" ""', "I4": f"I4 A {sn}", "@": f"I4 A {sn}",
                 "TAC": "TAC A"}  # fmt: skip
        if cmd in fixed:
            if cmd in ("@", "TAC"):
                self.tare = Decimal(0)
            return fixed[cmd].encode() + b"\r\n"
        if cmd in ("S", "SI"):
            return self._weight("S", pan, immediate=cmd == "SI")
        if cmd == "SIR":
            self.streaming = True
            return self._weight("S", pan, immediate=True)
        if cmd in ("Z", "T"):
            if pan.moving:
                return f"{cmd} I\r\n".encode()
            if cmd == "T":
                self.tare = pan.value
                return self._line("T", "S", pan.value)
            return b"Z A\r\n"
        if cmd == "TA":
            return self._line("TA", "A", self.tare)
        return b"ES\r\n"

    def _weight(self, ident: str, pan: PanState, immediate: bool) -> bytes:
        if pan.over:
            return f"{ident} +\r\n".encode()
        if pan.under:
            return f"{ident} -\r\n".encode()
        if pan.moving and not immediate:
            return f"{ident} I\r\n".encode()
        return self._line(ident, "D" if pan.moving else "S", pan.value - self.tare)

    def _line(self, ident: str, status: str, value: Decimal) -> bytes:
        return f"{ident} {status} {self.fixed(value):>10} {self.unit}\r\n".encode()

    def stream(self, pan: PanState) -> bytes | None:
        return self._weight("S", pan, immediate=True) if self.streaming else None


class Toledo8217Device(SimDevice):
    """Single-letter commands; weight only when stable, else a status record; echo mode."""

    def __init__(self, unit: str = "kg", decimals: int = 3) -> None:
        super().__init__(unit, 3 if unit == "kg" else 2)
        self.echo = False

    def receive(self, data: bytes, pan: PanState) -> list[bytes]:
        out = []
        for byte in data:
            char = chr(byte & 0x7F)
            if self.echo:
                if char == "F":
                    self.echo = False
                else:
                    out.append(char.encode())
                continue
            if char == "W":
                out.append(self._weight(pan))
            elif char in "ZTC":
                out.append(self._status(pan))
            elif char == "E":
                self.echo = True
                out.append(b"\x02E\r")
        return out

    def status_byte(self, pan: PanState) -> int:
        negative = pan.under or pan.value < 0
        return 0x40 | pan.moving | pan.over << 1 | negative << 2 | pan.at_zero << 4

    def _status(self, pan: PanState) -> bytes:
        return b"\x02?" + bytes([self.status_byte(pan)]) + b"\r"

    def _weight(self, pan: PanState) -> bytes:
        if pan.moving or pan.over or pan.under or pan.value < 0:
            return self._status(pan)
        text = f"{pan.value:06.3f}" if self.unit == "kg" else f"{pan.value:06.2f}"
        return b"\x02" + text.encode() + b"\r"


class ToledoContinuousDevice(SimDevice):
    """STX, SWA SWB SWC, 6 weight digits, 6 tare digits, CR, optional checksum."""

    streaming = True

    def __init__(self, unit: str = "kg", decimals: int = 3, checksum: bool = False) -> None:
        super().__init__(unit, decimals)
        self.checksum = checksum

    def receive(self, data: bytes, pan: PanState) -> list[bytes]:
        return []

    def stream(self, pan: PanState) -> bytes | None:
        swa = 0x20 | 0x08 | (self.decimals + 2)  # increment x1, decimal point position
        negative = pan.value < 0
        swb = 0x20 | negative << 1 | (pan.over or pan.under) << 2 | pan.moving << 3
        swb |= (self.unit == "kg") << 4
        swc = 0x20 | (self.unit == "g")
        digits = f"{int(abs(pan.value).scaleb(self.decimals)):06d}"[-6:]
        body = b"\x02" + bytes([swa, swb, swc]) + digits.encode() + b"000000\r"
        if self.checksum:
            body += bytes([(-sum(b & 0x7F for b in body)) & 0x7F])
        return body


class NciDevice(SimDevice):
    """W, S, Z with CR; status only while moving, negative or out of range."""

    def __init__(self, unit: str = "lb", decimals: int = 2) -> None:
        super().__init__(unit, decimals)

    def receive(self, data: bytes, pan: PanState) -> list[bytes]:
        out = []
        for line in self._lines(data, b"\r"):
            cmd = line.decode("latin-1").strip()
            if cmd == "W" and not (pan.moving or pan.over or pan.under or pan.value < 0):
                weight = f"{self.fixed(pan.value):>07}{self.unit}".encode()
                out.append(b"\n" + weight + b"\r\n" + self._status(pan) + b"\r\x03")
            elif cmd in ("W", "S", "Z"):
                out.append(b"\n" + self._status(pan) + b"\r\x03")
            else:
                out.append(b"\n?\r\x03")
        return out

    @staticmethod
    def _status(pan: PanState) -> bytes:
        under = pan.under or pan.value < 0
        return bytes([0x30 | pan.moving | pan.at_zero << 1, 0x30 | under | pan.over << 1])


class SmaDevice(SimDevice):
    """<LF>c<CR> commands: W, Z, R (repeat), A/B (about), ESC (stop)."""

    ABOUT = (b"SMA:1/1.0", b"MFG:INBOUND-SIM", b"MOD:SMA-SIM", b"REV:1.0", b"SN_:0123456789",
             b"END:")  # fmt: skip

    def __init__(self, unit: str = "kg", decimals: int = 3) -> None:
        super().__init__(unit, decimals)
        self._about = 0

    def receive(self, data: bytes, pan: PanState) -> list[bytes]:
        if b"\x1b" in data:
            self.streaming = False
            data = data.split(b"\x1b")[-1]
        out = []
        for frame in self._lines(data, b"\r"):
            cmd = frame.lstrip(b"\n").decode("latin-1")
            self.streaming = False
            if cmd == "W":
                out.append(self.record(pan))
            elif cmd == "R":
                self.streaming = True
            elif cmd == "Z":
                out.append(self.record(pan))
            elif cmd in ("A", "B"):
                self._about = 0 if cmd == "A" else self._about + 1
                line = self.ABOUT[self._about] if self._about < len(self.ABOUT) else b"?"
                out.append(b"\n" + line + b"\r")
            else:
                out.append(b"\n?\r")
        return out

    def record(self, pan: PanState) -> bytes:
        status = "O" if pan.over else "U" if (pan.under or pan.value < 0) else " "
        if status == " " and pan.at_zero:
            status = "Z"
        motion = "M" if pan.moving else " "
        field = f"{self.fixed(pan.value):>10}"
        return f"\n{status}1G{motion} {field}{self.unit:<3}\r".encode()

    def stream(self, pan: PanState) -> bytes | None:
        return self.record(pan) if self.streaming else None


class CasDevice(SimDevice):
    """Continuous AND-18 lines: ST/US/OL, GS, sign + 7-char value, unit."""

    streaming = True

    def receive(self, data: bytes, pan: PanState) -> list[bytes]:
        return []

    def __init__(self, unit: str = "kg", decimals: int = 3) -> None:
        super().__init__(unit, decimals)

    def stream(self, pan: PanState) -> bytes | None:
        if pan.over:
            return f"OL,GS,+{'9' * 3}.{'9' * 3}{self.unit}\r\n".encode()
        head = "US" if pan.moving else "ST"
        sign = "-" if pan.value < 0 else "+"
        return f"{head},GS,{sign}{self.fixed(abs(pan.value)):>7}{self.unit}\r\n".encode()


class AdamDevice(SimDevice):
    """Print-format lines; G/N/P ask for one, or continuous output; nothing for zero on P."""

    def __init__(self, unit: str = "g", decimals: int = 2, continuous: bool = False) -> None:
        super().__init__(unit, decimals)
        self.streaming = continuous

    def receive(self, data: bytes, pan: PanState) -> list[bytes]:
        out = []
        for line in self._lines(data, b"\r\n"):
            cmd = line.decode("latin-1").strip()
            if cmd in ("G", "N") or cmd == "P" and not pan.at_zero:
                out.append(self.line(pan))
        return out

    def line(self, pan: PanState) -> bytes:
        if pan.over:
            return b"  -OL-\r\n"
        sign = "-" if pan.value < 0 else "+"
        return f"G {sign}{self.fixed(abs(pan.value)):>10} {self.unit}\r\n".encode()

    def stream(self, pan: PanState) -> bytes | None:
        return self.line(pan) if self.streaming else None


DEVICES = {
    "mt-sics": MtSicsDevice,
    "toledo-8217": Toledo8217Device,
    "toledo-continuous": ToledoContinuousDevice,
    "nci": NciDevice,
    "sma": SmaDevice,
    "cas": CasDevice,
    "adam": AdamDevice,
}
# baud rate each simulated device expects unless told otherwise (as the real defaults)
DEFAULT_BAUD = {"adam": 4800}
