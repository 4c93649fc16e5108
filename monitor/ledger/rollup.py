"""Hourly rollups: what an hour of results adds up to, built incrementally by every writer."""

from __future__ import annotations

from dataclasses import dataclass, field

from monitor.ledger.histogram import LatencyHistogram
from monitor.ledger.types import HourRollup
from probes.base import ErrorKind, ProbeResult

HOUR_S = 3600


def hour_of(ts: float) -> int:
    """The start of the UTC hour holding `ts` (epoch hours are UTC-aligned)."""
    return int(ts // HOUR_S) * HOUR_S


def counts_latency(result: ProbeResult) -> bool:
    """Whether a run's duration measures the app's answer (see HourRollup)."""
    return result.ok or result.error_kind is ErrorKind.SLOW


@dataclass(slots=True)
class RollupAccumulator:
    """The running counts of one check's hour; mutable, owned by one writer."""

    runs: int = 0
    failures: int = 0
    latency_sum_s: float = 0.0
    latency_max_s: float = 0.0
    histogram: LatencyHistogram = field(default_factory=LatencyHistogram)
    unknown: int = 0  # runs the monitor could not judge: counted apart, not in `runs`

    def add(self, result: ProbeResult) -> None:
        if result.unknown:
            self.unknown += 1
            return
        self.runs += 1
        if not result.ok:
            self.failures += 1
        if counts_latency(result):
            latency = result.latency_s
            self.latency_sum_s += latency
            self.latency_max_s = max(latency, self.latency_max_s)
            self.histogram.observe(latency)

    def to_rollup(self, app_id: str, check_id: str, hour_start: int) -> HourRollup:
        """A snapshot: the histogram is copied so later adds do not change it."""
        return HourRollup(
            app_id=app_id,
            check_id=check_id,
            hour_start=hour_start,
            runs=self.runs,
            failures=self.failures,
            latency_sum_s=self.latency_sum_s,
            latency_max_s=self.latency_max_s,
            histogram=self.histogram.copy(),
            unknown=self.unknown,
        )
