"""Software stability: one settled weight per placement, decided from the samples."""

from drivers.scales.stability import StabilityFilter, StabilityRule

RULE = StabilityRule(window_s=0.5, min_samples=4, range_mg=100, slope_mg_per_s=200,
                     min_load_mg=2000, zero_band_mg=500, stale_after_s=0.3)  # fmt: skip


def feed(f: StabilityFilter, samples, start=0.0, step=0.1, stable=True):
    committed, t = [], start
    for mg in samples:
        got = f.feed(mg, stable, t)
        if got is not None:
            committed.append((round(t, 2), got))
        t += step
    return committed, t


def test_one_weight_per_placement_and_rearm_on_removal():
    f = StabilityFilter(RULE)
    first, t = feed(f, [0, 0, 50_000, 160_000, 168_250] + [168_200] * 10)
    assert [mg for _, mg in first] == [168_200]
    removed, t = feed(f, [100_000, 0, 0, 0], start=t)
    assert removed == []
    again, _ = feed(f, [168_200] * 8, start=t)
    assert [mg for _, mg in again] == [168_200]


def test_device_motion_flag_blocks_a_commit():
    f = StabilityFilter(RULE)
    assert feed(f, [168_200] * 10, stable=False)[0] == []
    assert [mg for _, mg in feed(f, [168_200] * 10, start=1.0)[0]] == [168_200]


def test_spread_and_creep_block_a_commit():
    f = StabilityFilter(RULE)
    assert feed(f, [100_000, 100_300] * 6)[0] == []  # spread 300 mg > 100 mg
    creeping = [100_000 + 25 * i for i in range(12)]  # 250 mg/s, spread under 100 in window?
    f = StabilityFilter(StabilityRule(**{**RULE.__dict__, "range_mg": 1000}))
    assert feed(f, creeping)[0] == []


def test_small_loads_and_stale_samples_are_not_stable():
    f = StabilityFilter(RULE)
    assert feed(f, [1_500] * 10)[0] == []  # under min_load
    f = StabilityFilter(RULE)
    assert feed(f, [50_000] * 10, step=0.4)[0] == []  # gaps longer than stale_after


def test_error_samples_empty_the_window_but_not_the_placement():
    f = StabilityFilter(RULE)
    committed, t = feed(f, [50_000] * 8)
    assert len(committed) == 1
    f.feed(None, False, t)  # overload, no weight, or a reconnect
    f.reset()
    assert feed(f, [50_000] * 8, start=t + 0.1)[0] == []  # same item: no second commit


def test_a_different_item_without_emptying_the_pan_rearms():
    f = StabilityFilter(RULE)
    committed, t = feed(f, [50_000] * 8 + [80_000] * 8)
    assert [mg for _, mg in committed] == [50_000, 80_000]
