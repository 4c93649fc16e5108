"""The quarterly notice (季度通报): the next quarter end, days left, the rectification deadline.

All dates are local calendar days in service.timezone. A quarter end that is today counts as
"the next" one (0 days left): the province counts the state at the end of that day.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from monitor.core.config.monthdays import MonthDayError, parse_month_days
from monitor.governance.inventory.thresholds import (
    DEADLINE_BEFORE_QUARTER_END_DAYS,
    DEADLINE_MIN_DAYS,
    DEFAULT_QUARTER_ENDS,
)

QuarterEndsError = MonthDayError  # --quarter-ends is not a comma-separated list of MM-DD


def parse_quarter_ends(text: str | None) -> tuple[tuple[int, int], ...]:
    """"03-31,06-30,09-30,12-31" -> ((3, 31), (6, 30), ...), sorted, duplicates dropped."""
    return parse_month_days(DEFAULT_QUARTER_ENDS if text is None else tuple(
        part.strip() for part in text.split(",") if part.strip()))


def _on(year: int, month: int, day: int) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError:  # 02-29 outside a leap year
        return dt.date(year, month, day - 1)


def next_quarter_end(today: dt.date, ends: Sequence[tuple[int, int]]) -> dt.date:
    """The first quarter end on or after `today`, looking into next year past the last one."""
    for year in (today.year, today.year + 1):
        for month, day in ends:
            candidate = _on(year, month, day)
            if candidate >= today:
                return candidate
    raise QuarterEndsError("no quarter ends given")  # unreachable with a non-empty list


def rectification_deadline(today: dt.date, quarter_end: dt.date) -> dt.date:
    """The later of (quarter end - 15 days) and (today + 14 days), never after the quarter end.

    Normally an owner gets until two weeks before the notice, leaving time to re-check; close
    to the quarter end that would be in the past or leave days, so they get two weeks, or
    whatever is left of the quarter when that is less."""
    early = quarter_end - dt.timedelta(days=DEADLINE_BEFORE_QUARTER_END_DAYS)
    soonest = today + dt.timedelta(days=DEADLINE_MIN_DAYS)
    return min(max(early, soonest), quarter_end)
