"""Days as the traffic tables key them: "YYYY-MM-DD" in service.timezone.

A string rather than an epoch: a day is a calendar fact of one time zone (a Shanghai day is not
a UTC day), and the string sorts, compares and reads the same in SQL, JSON and reports.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Final
from zoneinfo import ZoneInfo

_DAY_RE: Final = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse_day(text: str) -> dt.date:
    """The date of "YYYY-MM-DD"; ValueError (fit for an operator) for anything else."""
    if not isinstance(text, str) or not _DAY_RE.match(text):
        raise ValueError(f"bad day {text!r}: expected YYYY-MM-DD")
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise ValueError(f"bad day {text!r}: {exc}") from None


def check_day(text: str) -> str:
    """`text` if it is a valid day, else ValueError."""
    parse_day(text)
    return text


def day_of(ts: float, tz: ZoneInfo) -> str:
    """The day an epoch instant falls on in `tz`."""
    return dt.datetime.fromtimestamp(ts, tz).date().isoformat()


def day_start(day: str, tz: ZoneInfo) -> float:
    """Epoch seconds of the day's first instant in `tz` (the Influx point's timestamp)."""
    date = parse_day(day)
    return dt.datetime(date.year, date.month, date.day, tzinfo=tz).timestamp()


def shift(day: str, days: int) -> str:
    return (parse_day(day) + dt.timedelta(days=days)).isoformat()
