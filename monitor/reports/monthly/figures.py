"""Adding hourly rollups up into days, checks, apps and the month, without I/O.

Availability counts runs: a run failed when its probe failed for any reason, slow included
(the rollup's `failures`). Hours that overlap a recorded maintenance window covering the app
are left out whole (rollups are hourly, so a 22:30-23:10 window drops 22:00-23:59), for both
counts and latency. Latency percentiles come from merging the hourly histograms, which hold
passing and slow runs only (see HourRollup).

Merging goes hour -> day per check, then day -> month and across checks, so each stored
histogram is merged once and the month's ~720 hours per check cost one pass.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Final

from alerting.storetypes import MaintenanceRecord
from monitor.core.config.windows import SCOPE_ALL
from monitor.ledger.histogram import LatencyHistogram
from monitor.ledger.rollup import HOUR_S, hour_of
from monitor.ledger.types import HourRollup
from monitor.reports.monthly.model import DailyPoint, LatencyFigures, Usage
from monitor.reports.period import Period, to_ms, truncated_pct

SCOPE_APPS_PREFIX: Final = "app:"  # the recorded scope of a window naming apps: "app:a,b"
WEEK_DAYS: Final = 7


@dataclass(slots=True)
class Tally:
    """Running counts of some runs; mutable while a report is built, then read once."""

    probes: int = 0
    failed: int = 0
    histogram: LatencyHistogram = field(default_factory=LatencyHistogram)

    def add_rollup(self, rollup: HourRollup) -> None:
        self.probes += rollup.runs
        self.failed += rollup.failures
        self.histogram.add(rollup.histogram)

    def add(self, other: Tally) -> None:
        self.probes += other.probes
        self.failed += other.failed
        self.histogram.add(other.histogram)

    def usage(self) -> Usage:
        return Usage(self.probes, self.failed, truncated_pct(self.probes - self.failed,
                                                             self.probes))

    def latency(self) -> LatencyFigures:
        h = self.histogram
        return LatencyFigures(to_ms(h.quantile(0.5)), to_ms(h.quantile(0.95)),
                              to_ms(h.quantile(0.99)), h.count)

    def daily_point(self, date: str) -> DailyPoint:
        return DailyPoint(date, self.usage(), to_ms(self.histogram.quantile(0.95)))


@dataclass(slots=True)
class CheckTally:
    days: list[Tally]  # one per day of the month
    excluded_probes: int = 0
    unknown_probes: int = 0  # runs the monitor could not judge (no data, not counted)
    hours_with_data: set[int] = field(default_factory=set)  # hours holding a judged run


def tally_check(rollups: Iterable[HourRollup], period: Period, excluded: frozenset[int]
                ) -> CheckTally:
    """One check's rollups of the month, by day, minus the excluded hours."""
    result = CheckTally([Tally() for _ in period.dates])
    days = result.days
    for rollup in rollups:
        if rollup.hour_start in excluded:
            result.excluded_probes += rollup.runs
            continue
        result.unknown_probes += rollup.unknown
        if rollup.runs:
            result.hours_with_data.add(rollup.hour_start)
        days[period.day_index(rollup.hour_start)].add_rollup(rollup)
    return result


def sum_days(per_check: Sequence[Sequence[Tally]], day_count: int) -> list[Tally]:
    """Day-by-day sums across checks (or apps)."""
    days = [Tally() for _ in range(day_count)]
    for tallies in per_check:
        for day, tally in zip(days, tallies, strict=True):
            day.add(tally)
    return days


def total(days: Iterable[Tally]) -> Tally:
    whole = Tally()
    for day in days:
        whole.add(day)
    return whole


def covers(scope: str, app_id: str) -> bool:
    """Whether a recorded window scope ("*" or "app:a,b") covers the app."""
    if scope == SCOPE_ALL:
        return True
    if not scope.startswith(SCOPE_APPS_PREFIX):
        return False
    return app_id in scope[len(SCOPE_APPS_PREFIX):].split(",")


def window_hours(window: MaintenanceRecord, period: Period) -> frozenset[int]:
    """The month's UTC hours [h, h + 1h) that overlap the window [start, end)."""
    hour = int(window.start // HOUR_S) * HOUR_S
    hours = set()
    while hour < window.end:
        if period.start <= hour < period.end:
            hours.add(hour)
        hour += HOUR_S
    return frozenset(hours)


def excluded_hours(app_id: str, windows: Iterable[tuple[MaintenanceRecord, frozenset[int]]]
                   ) -> frozenset[int]:
    """Every hour left out for the app: the union over the windows covering it."""
    hours: set[int] = set()
    for window, window_hours_ in windows:
        if covers(window.scope, app_id):
            hours |= window_hours_
    return frozenset(hours)


def worst_week(days: Sequence[Tally]) -> tuple[int, int] | None:
    """(failed, probes) of the 7 consecutive days with the largest failed share; None if no
    such days had probes. Compared as fractions, exactly."""
    worst: tuple[int, int] | None = None
    for first in range(max(1, len(days) - WEEK_DAYS + 1)):
        week = days[first:first + WEEK_DAYS]
        failed, probes = sum(d.failed for d in week), sum(d.probes for d in week)
        if probes and (worst is None or failed * worst[1] > worst[0] * probes):
            worst = (failed, probes)
    return worst


def no_data_hours(period: Period, now: float, excluded: frozenset[int],
                  with_data: set[int]) -> int:
    """Hours of the period (up to `now`) outside maintenance without a single judged run: the
    service was down, the monitor could not tell (unknown runs), or the app was not yet set."""
    end = min(period.end, now)
    first = hour_of(period.start)
    hours = range(first, int(end // HOUR_S) * HOUR_S, HOUR_S)
    return sum(1 for hour in hours if hour >= period.start and hour not in excluded
               and hour not in with_data)
