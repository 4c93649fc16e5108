"""Month-days ("03-31"): the quarterly notice days of `governance.quarter_ends` and of
`inventory audit --quarter-ends`, parsed in one place."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import Final

from monitor.core.configtext import ConfigValueError

_MONTH_DAY: Final = re.compile(r"^(\d{1,2})-(\d{1,2})$")
# A leap year, so "02-29" is accepted as a month-day; in other years it falls on 02-28.
_CHECK_YEAR: Final = 2024


class MonthDayError(ConfigValueError):
    """Not a non-empty list of MM-DD."""


def parse_month_days(items: Iterable[str]) -> tuple[tuple[int, int], ...]:
    """("03-31", "06-30") -> ((3, 31), (6, 30)), sorted, duplicates dropped."""
    ends = set()
    for item in items:
        match = _MONTH_DAY.match(item)
        if match is None:
            raise MonthDayError("monthday.bad", item=item)
        month, day = int(match.group(1)), int(match.group(2))
        try:
            dt.date(_CHECK_YEAR, month, day)
        except ValueError as exc:
            raise MonthDayError("monthday.no_such_day", item=item) from exc
        ends.add((month, day))
    if not ends:
        raise MonthDayError("monthday.none")
    return tuple(sorted(ends))
