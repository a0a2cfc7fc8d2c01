"""Drawing the units to inspect: random, reproducible from the recorded seed."""

import hashlib
from collections import Counter

import pytest

from station.sampling import SamplingError, draw_units, new_seed


def test_same_seed_same_units_other_seed_other_units():
    first = draw_units(5000, 200, seed=20261128)
    assert first == draw_units(5000, 200, seed=20261128)
    assert first != draw_units(5000, 200, seed=20261129)
    assert len(set(first)) == 200 and all(1 <= u <= 5000 for u in first)


def test_a_shorter_draw_is_the_start_of_a_longer_one():
    # The drawing rule judges a class on the first n units of the draw order.
    assert draw_units(800, 50, seed=7) == draw_units(800, 125, seed=7)[:50]


def test_the_whole_lot_is_a_permutation():
    assert sorted(draw_units(37, 37, seed=1)) == list(range(1, 38))
    assert draw_units(10, 0, seed=1) == []


def test_the_documented_procedure_reproduces_the_draw():
    # Re-implemented here straight from the module's description, as an auditor would.
    def numbers(seed):
        block = 0
        while True:
            d = hashlib.sha256(
                b"inbound-station/draw-units/v1"
                + seed.to_bytes(8, "big")
                + block.to_bytes(8, "big")
            ).digest()
            yield from (int.from_bytes(d[i : i + 8], "big") for i in range(0, 32, 8))
            block += 1

    def below(k, stream):
        limit = 2**64 - 2**64 % k
        return next(u for u in stream if u < limit) % k

    seed, lot, n = 123456789, 300, 20
    stream, units = numbers(seed), list(range(1, lot + 1))
    for i in range(n):
        j = i + below(lot - i, stream)
        units[i], units[j] = units[j], units[i]
    assert draw_units(lot, n, seed) == units[:n]


def test_every_unit_is_equally_likely_to_be_drawn_first():
    firsts = Counter(draw_units(8, 1, seed)[0] for seed in range(4000))
    assert set(firsts) == set(range(1, 9))
    assert all(400 < count < 600 for count in firsts.values())  # 500 expected each


def test_seeds_are_fresh_and_fit_a_bigint_column():
    seeds = {new_seed() for _ in range(50)}
    assert len(seeds) == 50 and all(0 <= s < 2**63 for s in seeds)


@pytest.mark.parametrize(
    ("lot", "n", "seed", "message"),
    [
        (0, 0, 1, "lot size must be >= 1"),
        (10, 11, 1, "sample size must be between 0 and the lot size 10"),
        (10, 2, -1, "seed must be between 0"),
        (10, 2.5, 1, "sample size must be a whole number"),
    ],
)
def test_bad_draws_are_refused(lot, n, seed, message):
    with pytest.raises(SamplingError, match=message):
        draw_units(lot, n, seed)
