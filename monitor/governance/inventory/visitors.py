"""Visitor figures of one app from the traffic store's daily counts (monitor/traffic).

What the store says and what it cannot:

* A day is present when a source wrote to it, zeros included; an absent day is *no data*, not
  zero visitors (monitor/governance/traffic/store.py). So a zero-visitor streak counts recorded days
  without visitors since the last recorded visit; absent days neither count nor break it.
  The streak can only be shorter than the calendar span it covers: never flags early.
* Distinct visitors across days cannot be recovered from daily counts (one person on two days
  counts twice). A month's visitors are therefore the SUM of its daily uv, an upper bound of
  its distinct visitors: a sum under the low-frequency line proves the distinct count is under
  it too, so the test never flags an app that really had enough visitors (it may miss one whose
  few users come back daily). Shown as `uv_sum` so nobody reads it as an exact count.
* An upper bound needs every day: a month with a day missing is `complete: false` and cannot
  prove "under the line" (its sum may still prove "over" it).
* A day with requests (pv > 0) but uv 0 comes from a source that counts requests only (a
  Prometheus counter): a day with visitors, whose month's visitor sum is unknown (None).
* No record for TRAFFIC_STALE_DAYS: the source has likely stopped, so the figures are "stale"
  and, like "none" (no record at all), not used to classify the app.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from monitor.governance.inventory.model import TRAFFIC_OK
from monitor.governance.inventory.thresholds import TRAFFIC_LOOKBACK_DAYS, TRAFFIC_STALE_DAYS
from monitor.governance.traffic.store import DayTraffic

NONE: Final = "none"  # no record in the lookback
STALE: Final = "stale"  # records, but none in the last TRAFFIC_STALE_DAYS days
OK: Final = TRAFFIC_OK


@dataclass(frozen=True, slots=True)
class MonthVisitors:
    month: str  # YYYY-MM
    uv_sum: int | None  # sum of daily uv; None: no data, or a day counted requests only
    pv: int
    days_with_data: int
    days: int  # days in the month

    @property
    def complete(self) -> bool:
        return self.days_with_data == self.days


@dataclass(frozen=True, slots=True)
class Visitors:
    status: str  # OK, STALE or NONE
    last_day: str | None  # last day with a record
    zero_days: int  # recorded days without visitors since the last visit (today left out)
    zero_since: str | None  # the first of them
    zero_until: str | None  # the last of them
    last_visit_day: str | None  # the last day with visitors (None: none in the lookback)
    capped: bool  # no visit in the whole lookback: "at least zero_days"
    months: tuple[MonthVisitors, ...]  # the given months, oldest first
    sources: tuple[str, ...]

    @property
    def span_days(self) -> int:
        """Calendar days from zero_since to zero_until: the streak plus the days without data."""
        if self.zero_since is None or self.zero_until is None:
            return 0
        first, last = dt.date.fromisoformat(self.zero_since), dt.date.fromisoformat(
            self.zero_until)
        return (last - first).days + 1


def lookback_start(today: dt.date) -> dt.date:
    return today - dt.timedelta(days=TRAFFIC_LOOKBACK_DAYS)


def _visited(day: DayTraffic) -> bool:
    return day.uv > 0 or day.pv > 0


def visitors(records: Sequence[DayTraffic], today: dt.date, months: Sequence[str]) -> Visitors:
    """Figures from the records of [lookback_start(today), today], oldest first. Today is
    incomplete: a visit today ends a streak, a quiet morning does not lengthen one."""
    ordered = sorted(records, key=lambda r: r.day)
    sources = tuple(sorted({s for r in ordered for s in r.sources}))
    month_figures = tuple(_month(month, ordered) for month in months)
    if not ordered:
        return Visitors(NONE, None, 0, None, None, None, False, month_figures, sources)
    last = ordered[-1].day
    stale_from = (today - dt.timedelta(days=TRAFFIC_STALE_DAYS)).isoformat()
    status = OK if last >= stale_from else STALE
    streak, since, until, last_visit = 0, None, None, None
    today_text = today.isoformat()
    if ordered[-1].day == today_text and _visited(ordered[-1]):
        last_visit = today_text
    else:
        for record in reversed(ordered):
            if record.day == today_text:
                continue
            if _visited(record):
                last_visit = record.day
                break
            streak, since, until = streak + 1, record.day, until or record.day
    capped = last_visit is None and ordered[0].day == lookback_start(today).isoformat()
    return Visitors(status, last, streak, since, until, last_visit, capped, month_figures,
                    sources)


def _month(month: str, records: Sequence[DayTraffic]) -> MonthVisitors:
    mine = [r for r in records if r.day.startswith(month + "-")]
    year, number = (int(part) for part in month.split("-"))
    requests_only = any(r.pv > 0 and r.uv == 0 for r in mine)
    return MonthVisitors(month, None if requests_only or not mine else sum(r.uv for r in mine),
                         sum(r.pv for r in mine), len(mine),
                         calendar.monthrange(year, number)[1])
