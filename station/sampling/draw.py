"""Which units of a lot to inspect: a random draw that anyone can repeat from its seed.

The draw does not use Python's `random` (whose sampling algorithms may change between
versions) but a fixed, documented procedure, so a draw recorded today can be checked by an
auditor years later, in any language:

* random numbers: SHA-256 of b"inbound-station/draw-units/v1", the seed as 8 bytes
  big-endian and a block counter (0, 1, 2, ...) as 8 bytes big-endian; each 32-byte digest
  gives four unsigned 64-bit numbers, big-endian, used in order;
* a number below k: take the next 64-bit number u, skip it while u >= 2**64 - 2**64 % k
  (so every result is equally likely), then u % k;
* the draw: a partial Fisher-Yates shuffle of the unit numbers 1..N; for i = 0..n-1 swap
  position i with position i + (a number below N - i); the first n positions, in order,
  are the units to inspect.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterator

from station.sampling.tables import SamplingError

DOMAIN = b"inbound-station/draw-units/v1"
MAX_SEED = 2**63 - 1  # fits a signed 64-bit column


def new_seed() -> int:
    """A fresh seed to record with the lot before drawing."""
    return secrets.randbelow(MAX_SEED + 1)


def draw_units(lot_size: int, sample_size: int, seed: int) -> list[int]:
    """The unit numbers (1-based) to inspect, in draw order; the same seed gives the same list."""
    _check(lot_size, sample_size, seed)
    numbers = _numbers(seed)
    moved: dict[int, int] = {}  # the shuffled positions that differ from 1..N
    drawn = []
    for i in range(sample_size):
        j = i + _below(lot_size - i, numbers)
        unit_j = moved.get(j, j + 1)
        moved[j] = moved.get(i, i + 1)
        drawn.append(unit_j)
    return drawn


def fraction(seed: int, purpose: bytes) -> float:
    """A number in [0, 1) from a seed, for decisions other than the draw (e.g. skip-lot)."""
    digest = hashlib.sha256(DOMAIN + b"/" + purpose + seed.to_bytes(8, "big")).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def _check(lot_size: int, sample_size: int, seed: int) -> None:
    for name, value in (("lot size", lot_size), ("sample size", sample_size), ("seed", seed)):
        if isinstance(value, bool) or not isinstance(value, int):
            raise SamplingError(f"{name} must be a whole number, got {value!r}")
    if lot_size < 1:
        raise SamplingError(f"lot size must be >= 1, got {lot_size}")
    if not 0 <= sample_size <= lot_size:
        raise SamplingError(
            f"sample size must be between 0 and the lot size {lot_size}, got {sample_size}"
        )
    if not 0 <= seed <= MAX_SEED:
        raise SamplingError(f"seed must be between 0 and {MAX_SEED}, got {seed}")


def _numbers(seed: int) -> Iterator[int]:
    block = 0
    while True:
        digest = hashlib.sha256(
            DOMAIN + seed.to_bytes(8, "big") + block.to_bytes(8, "big")
        ).digest()
        for offset in range(0, 32, 8):
            yield int.from_bytes(digest[offset : offset + 8], "big")
        block += 1


def _below(k: int, numbers: Iterator[int]) -> int:
    limit = 2**64 - 2**64 % k
    for u in numbers:
        if u < limit:
            return u % k
    raise AssertionError("the number stream is endless")
