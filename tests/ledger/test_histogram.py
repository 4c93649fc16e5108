"""LatencyHistogram: buckets, the stated error bound, merging and the sparse serialisation."""

from __future__ import annotations

import math
import random

import pytest

from monitor.ledger.histogram import (
    BUCKETS,
    MAX_S,
    MIN_S,
    OVERFLOW,
    RATIO,
    RELATIVE_ERROR,
    LatencyHistogram,
    bucket_of,
    bucket_value,
)


def histogram_of(values: list[float]) -> LatencyHistogram:
    histogram = LatencyHistogram()
    for value in values:
        histogram.observe(value)
    return histogram


def test_the_stated_error_is_below_the_midpoint_rule() -> None:
    assert abs(RELATIVE_ERROR - 0.0476) < 1e-4
    assert RELATIVE_ERROR <= (RATIO - 1) / 2
    assert MAX_S >= 120.0


@pytest.mark.parametrize(
    ("value", "index"),
    [
        (0.0, 0),
        (-1.0, 0),
        (math.nan, 0),
        (MIN_S * 0.999, 0),
        (MIN_S, 1),
        (MIN_S * RATIO * 1.0001, 2),
        (MAX_S * 0.9999, BUCKETS),
        (MAX_S, OVERFLOW),
        (1e6, OVERFLOW),
    ],
)
def test_bucket_of(value: float, index: int) -> None:
    assert bucket_of(value) == index


def test_every_value_in_range_is_answered_within_the_relative_error() -> None:
    value = MIN_S
    while value < MAX_S:
        answer = bucket_value(bucket_of(value))
        assert abs(answer - value) / value <= RELATIVE_ERROR * (1 + 1e-9), value
        value *= 1.0137  # not a power of RATIO: lands all over the buckets


def test_under_and_overflow_answers() -> None:
    assert histogram_of([0.00001]).quantile(0.5) == MIN_S / 2
    assert histogram_of([500.0]).quantile(0.5) == MAX_S


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_quantiles_match_nearest_rank_within_the_error(seed: int) -> None:
    rng = random.Random(seed)
    values = [rng.expovariate(1 / 0.4) + 0.002 for _ in range(rng.randint(1, 5000))]
    histogram = histogram_of(values)
    ordered = sorted(values)
    for q in (0.0, 0.01, 0.25, 0.5, 0.75, 0.95, 0.99, 1.0):
        exact = ordered[max(1, math.ceil(q * len(values))) - 1]
        answer = histogram.quantile(q)
        assert answer is not None
        assert abs(answer - exact) / exact <= RELATIVE_ERROR + 1e-12


def test_quantile_of_nothing_and_bad_q() -> None:
    assert LatencyHistogram().quantile(0.5) is None
    with pytest.raises(ValueError, match="within"):
        histogram_of([0.1]).quantile(1.5)


def test_merging_is_addition_of_counts() -> None:
    a, b = histogram_of([0.01, 0.02, 0.02]), histogram_of([0.02, 5.0])
    expected = histogram_of([0.01, 0.02, 0.02, 0.02, 5.0])

    assert a + b == expected
    assert LatencyHistogram.merged([a, b]) == expected
    assert a.copy().add_bytes(b.to_bytes()) == expected
    assert a == histogram_of([0.01, 0.02, 0.02])  # + and merged leave their inputs alone
    assert (a + b).count == 5


@pytest.mark.parametrize(("count", "width"), [(1, 1), (255, 1), (256, 2), (70_000, 4)])
def test_serialisation_round_trips_with_the_smallest_count_width(count: int, width: int) -> None:
    histogram = LatencyHistogram({3: count, 40: 1, OVERFLOW: 2})
    blob = histogram.to_bytes()

    assert len(blob) == 1 + 3 * (1 + width)
    assert LatencyHistogram.from_bytes(blob) == histogram


def test_an_hour_of_a_minute_check_is_small() -> None:
    rng = random.Random(5)
    histogram = histogram_of([rng.gauss(0.12, 0.01) for _ in range(60)])
    assert len(histogram.to_bytes()) <= 1 + 2 * len(histogram.buckets()) <= 25
    assert LatencyHistogram().to_bytes() == b""
    assert LatencyHistogram.from_bytes(b"") == LatencyHistogram()


@pytest.mark.parametrize("blob", [b"\x21\x01\x01", b"\x13\x01\x01", b"\x12\x01\x01"])
def test_foreign_bytes_are_refused(blob: bytes) -> None:
    with pytest.raises(ValueError, match="not a latency histogram"):
        LatencyHistogram.from_bytes(blob)
