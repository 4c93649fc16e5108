"""Quarters of the province's notice (季度通报): "2026Q4" -> its first and last local day.

The quarters are the config's `governance.quarter_ends` (MM-DD, sorted): quarter n of a year
ends on the n-th of them and starts the day after the one before (the year's first quarter:
the day after last year's last end). With the default ends, 2026Q4 is 10-01 .. 12-31.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

_CODE: Final = re.compile(r"^\s*(\d{4})\s*[Qq]\s*(\d)\s*$")


class QuarterError(ValueError):
    """Not a quarter of the configured list ("2026Q4"); str() is the offending text."""


@dataclass(frozen=True, slots=True)
class Quarter:
    year: int
    number: int  # 1-based, among the configured quarter ends
    start: dt.date  # first day
    end: dt.date  # last day: the province's notice

    @property
    def code(self) -> str:
        return f"{self.year}Q{self.number}"

    @property
    def months(self) -> tuple[str, ...]:
        """Every calendar month the quarter touches, YYYY-MM, oldest first."""
        out = []
        year, month = self.start.year, self.start.month
        while (year, month) <= (self.end.year, self.end.month):
            out.append(f"{year:04d}-{month:02d}")
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return tuple(out)


def _on(year: int, month: int, day: int) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError:  # 02-29 outside a leap year
        return dt.date(year, month, day - 1)


def quarter_of(year: int, number: int, ends: Sequence[tuple[int, int]]) -> Quarter:
    if not 1 <= number <= len(ends):
        raise QuarterError(f"{year}Q{number}")
    end = _on(year, *ends[number - 1])
    before = _on(year, *ends[number - 2]) if number > 1 else _on(year - 1, *ends[-1])
    return Quarter(year, number, before + dt.timedelta(days=1), end)


def parse_quarter(text: str, ends: Sequence[tuple[int, int]]) -> Quarter:
    """"2026Q4" (or 2026q4) -> the quarter; QuarterError otherwise."""
    match = _CODE.match(text)
    if match is None:
        raise QuarterError(text)
    return quarter_of(int(match[1]), int(match[2]), ends)


def quarter_containing(day: dt.date, ends: Sequence[tuple[int, int]]) -> Quarter:
    """The quarter `day` falls in."""
    for year in (day.year, day.year + 1):
        for number in range(1, len(ends) + 1):
            quarter = quarter_of(year, number, ends)
            if quarter.start <= day <= quarter.end:
                return quarter
    raise QuarterError(day.isoformat())  # unreachable with a non-empty list
