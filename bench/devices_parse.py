"""Scale parse throughput per protocol, frames per second on one core.

    .venv/bin/python bench/devices_parse.py [--frames 20000]

Each protocol's bytes come from its simulator (varied weights, motion, negatives), fed
in 64-byte reads through the framer and parser. Baseline, same bytes and same run:
splitting on the frame terminator and decoding each piece (no checks at all).
"""

from __future__ import annotations

import argparse
import random
import time
from decimal import Decimal

from drivers.scales import PROTOCOL_NAMES, scale_protocol
from drivers.scales.base import Weighing
from drivers.sim.scale import UNITS
from drivers.sim.scale_devices import DEVICES, PanState

REQUEST = {"mt-sics": b"SI\r\n", "toledo-8217": b"W", "nci": b"W\r", "sma": b"\nW\r",
           "adam": b"G\r\n"}  # fmt: skip
TERMINATOR = {"toledo-8217": b"\r", "toledo-continuous": b"\r", "nci": b"\x03", "sma": b"\r"}


def stream(name: str, count: int) -> bytes:
    rng = random.Random(7)
    unit, decimals = UNITS[name]
    device = DEVICES[name](unit, decimals)
    out = []
    for _ in range(count):
        value = Decimal(rng.randint(-500, 50_000)).scaleb(-decimals)
        pan = PanState(value, unit, rng.random() < 0.2, False, False, value == 0)
        if name in REQUEST:
            out.append(b"".join(device.receive(REQUEST[name], pan)))
        else:
            out.append(device.stream(pan))
    return b"".join(out)


def measure(fn, data: bytes) -> tuple[float, int]:
    start = time.process_time()
    frames = fn(data)
    return time.process_time() - start, frames


def ours(name: str):
    protocol = scale_protocol(name)

    def run(data: bytes) -> int:
        framer, weights = protocol.make_framer(), 0
        for i in range(0, len(data), 64):
            for chunk in framer.feed(data[i : i + 64]):
                if chunk.is_frame and isinstance(protocol.parse(chunk.data), Weighing):
                    weights += 1
        return weights

    return run


def baseline(name: str):
    end = TERMINATOR.get(name, b"\r\n")
    return lambda data: sum(1 for piece in data.split(end) if piece.decode("latin-1"))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--frames", type=int, default=20000)
    args = parser.parse_args()
    print(f"{'protocol':18} {'frames/s':>10} {'baseline/s':>11} {'ratio':>6}  bytes/frame")
    for name in PROTOCOL_NAMES:
        data = stream(name, args.frames)
        spent, frames = min((measure(ours(name), data) for _ in range(3)), key=lambda r: r[0])
        base, _ = min((measure(baseline(name), data) for _ in range(3)), key=lambda r: r[0])
        rate, base_rate = args.frames / spent, args.frames / base
        print(f"{name:18} {rate:10.0f} {base_rate:11.0f} {base_rate / rate:5.0f}x"
              f"  {len(data) / args.frames:.1f}  ({frames} readings)")  # fmt: skip


if __name__ == "__main__":
    main()
