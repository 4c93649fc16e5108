"""A mergeable latency histogram with fixed log-spaced buckets.

Layout (part of the stored format: changing it needs a new `_LAYOUT` tag):

- index 0 holds values below `MIN_S` (100 µs), the underflow;
- indexes 1..`BUCKETS` cover [MIN_S * R**(i-1), MIN_S * R**i) with R = `RATIO` = 1.1,
  147 buckets reaching ~121.5 s;
- index `BUCKETS + 1` holds values at or above `MAX_S`, the overflow.

Error: `quantile(q)` finds the bucket holding the nearest-rank sample (rank ceil(q*n)) exactly and
answers with the point of that bucket whose relative distance to both edges is equal,
2aR/(1+R) for a bucket [a, aR). The true sample is within the bucket, so the relative error is at
most (R-1)/(R+1) = 4.76 % (a little under the (R-1)/2 = 5 % of the arithmetic midpoint). Underflow
answers MIN_S/2 (absolute error <= 50 µs); overflow answers MAX_S (a lower bound).

Storage: sparse, only nonzero buckets, as struct-packed (index u8, count) pairs after one header
byte naming the layout and the count width (1, 2 or 4 bytes, the smallest that fits). A 60 s
check's hour (60 samples in a few buckets) takes ~10-20 bytes. Decoding is one `struct.iter_unpack`
(C speed) and merging adds only nonzero buckets, because monthly reports merge 720 hourly
histograms for each of ~1,000 checks.
"""

from __future__ import annotations

import math
import struct
from collections.abc import Iterable
from typing import Final

MIN_S: Final = 0.0001
RATIO: Final = 1.1
BUCKETS: Final = 147  # ceil(log(120 s / 100 µs) / log(1.1))
MAX_S: Final = MIN_S * RATIO**BUCKETS  # ~121.5 s, the upper edge of the last bucket
OVERFLOW: Final = BUCKETS + 1
RELATIVE_ERROR: Final = (RATIO - 1) / (RATIO + 1)

_LOG_R: Final = math.log(RATIO)
_LAYOUT: Final = 0x10  # high nibble of the header byte; the low nibble is the count width
_PAIR_FORMATS: Final = {1: struct.Struct("<BB"), 2: struct.Struct("<BH"), 4: struct.Struct("<BI")}
_WIDTH_LIMITS: Final = ((1, 0xFF), (2, 0xFFFF), (4, 0xFFFF_FFFF))


def bucket_of(value_s: float) -> int:
    """The bucket index a latency falls into."""
    if not value_s >= MIN_S:  # also sends NaN to the underflow rather than raising
        return 0
    if value_s >= MAX_S:
        return OVERFLOW
    # min() guards the float rounding of log() right below MAX_S.
    return min(1 + int(math.log(value_s / MIN_S) / _LOG_R), BUCKETS)


def bucket_value(index: int) -> float:
    """The value quantile() answers for a bucket (see the module docstring for the error)."""
    if index <= 0:
        return MIN_S / 2
    if index >= OVERFLOW:
        return MAX_S
    lower = MIN_S * RATIO ** (index - 1)
    return 2 * lower * RATIO / (1 + RATIO)


class LatencyHistogram:
    """Counts of latencies (seconds) per bucket. Mutable: build, `observe`, `add`, then read."""

    __slots__ = ("_counts",)

    def __init__(self, counts: dict[int, int] | None = None) -> None:
        self._counts: dict[int, int] = counts if counts is not None else {}

    def observe(self, value_s: float) -> None:
        """Count one latency."""
        index = bucket_of(value_s)
        self._counts[index] = self._counts.get(index, 0) + 1

    def add(self, other: LatencyHistogram) -> LatencyHistogram:
        """Merge `other` into this histogram (in place) and return self."""
        counts = self._counts
        for index, count in other._counts.items():
            counts[index] = counts.get(index, 0) + count
        return self

    def add_bytes(self, blob: bytes) -> LatencyHistogram:
        """Merge a serialised histogram without building an object for it (the report path)."""
        counts = self._counts
        for index, count in _pairs(blob):
            counts[index] = counts.get(index, 0) + count
        return self

    def __add__(self, other: LatencyHistogram) -> LatencyHistogram:
        return self.copy().add(other)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, LatencyHistogram):
            return NotImplemented
        return self._counts == other._counts

    __hash__ = None  # type: ignore[assignment]  # mutable: equality by value, so not hashable

    def __repr__(self) -> str:
        return f"LatencyHistogram(count={self.count}, buckets={len(self._counts)})"

    @classmethod
    def merged(cls, histograms: Iterable[LatencyHistogram]) -> LatencyHistogram:
        """A new histogram holding the sum of `histograms`."""
        total = cls()
        for histogram in histograms:
            total.add(histogram)
        return total

    def copy(self) -> LatencyHistogram:
        return LatencyHistogram(dict(self._counts))

    @property
    def count(self) -> int:
        return sum(self._counts.values())

    def buckets(self) -> dict[int, int]:
        """Nonzero counts by bucket index (a copy)."""
        return dict(self._counts)

    def quantile(self, q: float) -> float | None:
        """The q-quantile (0 <= q <= 1) by nearest rank, within RELATIVE_ERROR; None if empty."""
        if not 0.0 <= q <= 1.0:
            raise ValueError(f"quantile must be within [0, 1], got {q}")
        total = self.count
        if total == 0:
            return None
        rank = max(1, math.ceil(q * total))
        seen = 0
        for index in sorted(self._counts):
            seen += self._counts[index]
            if seen >= rank:
                return bucket_value(index)
        return bucket_value(max(self._counts))  # unreachable: seen reaches total

    def to_bytes(self) -> bytes:
        """The sparse serialisation; b"" when empty."""
        if not self._counts:
            return b""
        largest = max(self._counts.values())
        width = next(w for w, limit in _WIDTH_LIMITS if largest <= limit)
        pair = _PAIR_FORMATS[width]
        items = sorted(self._counts.items())
        out = bytearray([_LAYOUT | width])
        out += b"".join(pair.pack(index, count) for index, count in items)
        return bytes(out)

    @classmethod
    def from_bytes(cls, blob: bytes) -> LatencyHistogram:
        """Read what to_bytes() wrote; ValueError on anything else."""
        return cls(dict(_pairs(blob)))


def _pairs(blob: bytes) -> Iterable[tuple[int, int]]:
    """(index, count) pairs of a serialised histogram."""
    if not blob:
        return ()
    header = blob[0]
    pair = _PAIR_FORMATS.get(header & 0x0F)
    if header & 0xF0 != _LAYOUT or pair is None or (len(blob) - 1) % pair.size:
        raise ValueError(f"not a latency histogram (header 0x{header:02x}, {len(blob)} bytes)")
    return pair.iter_unpack(memoryview(blob)[1:])
