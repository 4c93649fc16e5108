"""Probe figures of one app for the audit, from the ledger's hourly rollups.

Monthly availability is the monthly report's own computation (monitor.reports.monthly.figures: runs
summed across the app's checks, a run failed when its probe failed for any reason, hours that
overlap a recorded maintenance window covering the app left out whole), so the audit and the
运维月报 show the same number for the same month. Weeks and the unreachable stretch use the
same rollups and the same left-out hours.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from alerting.storetypes import MaintenanceRecord
from monitor.core.config.model import AppConfig
from monitor.governance.inventory.thresholds import WEEKS_CHECKED
from monitor.ledger.types import HourRollup, Ledger
from monitor.reports.monthly.figures import (
    WEEK_DAYS,
    Tally,
    excluded_hours,
    sum_days,
    tally_check,
    total,
    window_hours,
)
from monitor.reports.monthly.model import Usage
from monitor.reports.period import Period, month_period


@dataclass(frozen=True, slots=True)
class MonthProbes:
    month: str
    usage: Usage  # availability_pct None: no probe ran in the counted hours
    excluded_hours: int


@dataclass(frozen=True, slots=True)
class WeekProbes:
    start: str  # first day, YYYY-MM-DD
    end: str  # last day, inclusive
    usage: Usage


@dataclass(frozen=True, slots=True)
class DownStretch:
    """The app's current stretch of counted hours in which every run of every check failed."""

    since: float  # start of its first hour
    hours: int  # counted hours in it (hours with runs)
    failed_probes: int
    # End of the last hour with a passing run (rollups are hourly: the run itself was within
    # that hour); None: no passing run in what was read.
    last_pass_at: float | None
    capped: bool  # reaches the start of what was read: "down since at least `since`"


@dataclass(frozen=True, slots=True)
class Probes:
    months: tuple[MonthProbes, ...]  # oldest first
    weeks: tuple[WeekProbes, ...]  # oldest first, the last ending yesterday
    down: DownStretch | None  # None: the last counted hour had a passing run, or no runs


def day_period(first: dt.date, days: int, tz: ZoneInfo, label: str) -> Period:
    """A Period of `days` local days from `first` (figures.tally_check cuts days by it)."""
    dates = [first + dt.timedelta(days=n) for n in range(days + 1)]
    starts = tuple(dt.datetime(d.year, d.month, d.day, tzinfo=tz).timestamp() for d in dates)
    return Period(label, tz.key, starts[0], starts[-1], starts[:-1],
                  tuple(d.isoformat() for d in dates[:-1]))


async def read_rollups(ledger: Ledger, app: AppConfig, start: float, end: float
                       ) -> list[list[HourRollup]]:
    """Every check's rollups of [start, end), one list per check."""
    return [await ledger.hourly(app.id, check.id, start, end) for check in app.checks]


def probes(app_id: str, rollups: Sequence[Sequence[HourRollup]],
           windows: Sequence[MaintenanceRecord], *, months: Sequence[str], today: dt.date,
           tz: ZoneInfo, now: float) -> Probes:
    """The months' availability, the weeks before today, and the current down stretch."""
    month_figures = []
    for month in months:
        period = month_period(month, tz, now)
        month_figures.append(_usage_over(app_id, rollups, windows, period, month))
    weeks_period = day_period(today - dt.timedelta(days=WEEK_DAYS * WEEKS_CHECKED),
                              WEEK_DAYS * WEEKS_CHECKED, tz, "weeks")
    days = _days(app_id, rollups, windows, weeks_period)
    weeks = tuple(
        WeekProbes(weeks_period.dates[n], weeks_period.dates[n + WEEK_DAYS - 1],
                   total(days[n:n + WEEK_DAYS]).usage())
        for n in range(0, len(days), WEEK_DAYS))
    first_read = min(month_period(months[0], tz, now).start, weeks_period.start) \
        if months else weeks_period.start
    down = _down(app_id, rollups, windows, start=first_read, now=now, tz=tz)
    return Probes(tuple(month_figures), weeks, down)


def _excluded(app_id: str, windows: Sequence[MaintenanceRecord], period: Period
              ) -> frozenset[int]:
    return excluded_hours(app_id, [(w, window_hours(w, period)) for w in windows])


def _days(app_id: str, rollups: Sequence[Sequence[HourRollup]],
          windows: Sequence[MaintenanceRecord], period: Period) -> list[Tally]:
    excluded = _excluded(app_id, windows, period)
    per_check = [
        tally_check((r for r in check if period.start <= r.hour_start < period.end), period,
                    excluded).days
        for check in rollups]
    return sum_days(per_check, len(period.dates))


def _usage_over(app_id: str, rollups: Sequence[Sequence[HourRollup]],
                windows: Sequence[MaintenanceRecord], period: Period, month: str
                ) -> MonthProbes:
    excluded = _excluded(app_id, windows, period)
    return MonthProbes(month, total(_days(app_id, rollups, windows, period)).usage(),
                       len(excluded))


def _down(app_id: str, rollups: Sequence[Sequence[HourRollup]],
          windows: Sequence[MaintenanceRecord], *, start: float, now: float, tz: ZoneInfo
          ) -> DownStretch | None:
    """Walk the counted hours back from the newest while every run failed."""
    # A one-"day" Period of everything read: window_hours only needs its start and end.
    period = Period("read", tz.key, start, now, (start,), ("",))
    excluded = _excluded(app_id, windows, period)
    hours: dict[int, list[int]] = {}
    for check in rollups:
        for r in check:
            if r.runs and r.hour_start not in excluded:
                counts = hours.setdefault(r.hour_start, [0, 0])
                counts[0] += r.runs
                counts[1] += r.failures
    since, count, failed, last_pass = None, 0, 0, None
    for hour in sorted(hours, reverse=True):
        runs, failures = hours[hour]
        if failures < runs:
            last_pass = float(hour + 3600)
            break
        since, count, failed = float(hour), count + 1, failed + failures
    if since is None:
        return None
    return DownStretch(since, count, failed, last_pass, capped=last_pass is None)
