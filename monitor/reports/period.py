"""The report month in the service's time zone, and how report numbers are quantised.

Rollups are UTC hours, so a month is the set of hours whose start lies in
[local midnight of the 1st, local midnight of the next 1st). For every zone with a whole-hour
offset (Asia/Shanghai included) that is exactly the month; in a half-hour zone the boundary
hour goes to the month it starts in. Days are local calendar days, cut the same way.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final
from zoneinfo import ZoneInfo

MONTH_PATTERN: Final = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
# Percentages keep three decimals: one failed probe in a month of 1-minute runs is 0.0023 %.
PCT_PLACES: Final = 3
# Latencies in milliseconds with one decimal: finer than the histogram's ~5 % error anyway.
MS_PLACES: Final = 1
# Mean response and resolution times in seconds with one decimal.
SECONDS_PLACES: Final = 1


class MonthError(ValueError):
    """The --month argument is not YYYY-MM, or names a month that has not begun."""


@dataclass(frozen=True, slots=True)
class Period:
    """One calendar month: `start` inclusive, `end` exclusive, epoch seconds."""

    month: str
    timezone: str
    start: float
    end: float
    day_starts: tuple[float, ...]  # local midnight of each day of the month
    dates: tuple[str, ...]  # the same days as YYYY-MM-DD

    def day_index(self, ts: float) -> int:
        """Which day of the month `ts` falls on (0-based); ts must lie within the month."""
        return bisect.bisect_right(self.day_starts, ts) - 1

    @property
    def hours(self) -> int:
        return round((self.end - self.start) / 3600)


def month_period(month: str, tz: ZoneInfo, now: float) -> Period:
    """The Period of `month` ("YYYY-MM"); MonthError if malformed or not yet begun at `now`."""
    match = MONTH_PATTERN.match(month)
    if match is None:
        raise MonthError(f"month must be YYYY-MM, got {month!r}")
    year, number = int(match.group(1)), int(match.group(2))
    first = dt.date(year, number, 1)
    after = dt.date(year + number // 12, number % 12 + 1, 1)
    days = [first + dt.timedelta(days=n) for n in range((after - first).days)]
    starts = tuple(_midnight(day, tz) for day in days)
    start, end = starts[0], _midnight(after, tz)
    if start > now:
        raise MonthError(f"month {month} has not begun yet")
    return Period(month, tz.key, start, end, starts, tuple(d.isoformat() for d in days))


def _midnight(day: dt.date, tz: ZoneInfo) -> float:
    return dt.datetime(day.year, day.month, day.day, tzinfo=tz).timestamp()


def truncated_pct(part: int, whole: int) -> float | None:
    """100 * part / whole truncated (not rounded) to PCT_PLACES decimals; None when whole is 0.

    Truncating means 100 is only ever shown when part == whole: a month with one failed probe
    in 43,200 reads 99.997, never a rounded-up 100. Integer arithmetic keeps it exact.
    """
    if whole <= 0:
        return None
    scale = 10**PCT_PLACES
    return (100 * scale * part // whole) / scale


def mean_seconds(values: Iterable[float]) -> float | None:
    """The mean rounded to SECONDS_PLACES; None for no values."""
    items = list(values)
    if not items:
        return None
    return round(sum(items) / len(items), SECONDS_PLACES)


def to_ms(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds * 1000, MS_PLACES)

