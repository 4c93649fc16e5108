"""How report figures read on a page: one formatter per report, bound to its language and zone.

Figures keep the model's precision (percentages already truncated to three decimals, latency
to 0.1 ms) so the page says exactly what the JSON says; only durations and times are put in
words. Templates also get the raw value in a `data-value` attribute where a test or a script
may want to compare it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import ROUND_DOWN, Decimal
from typing import Final
from zoneinfo import ZoneInfo

from monitor.core.checknames import check_title
from monitor.core.durations import report_span
from monitor.core.i18n import EN, error_label, text
from monitor.reports.labels import has_label, label
from monitor.reports.texts import report_text

MISSING: Final = "—"  # no value: nothing to divide, no sample, not happened
# Availability shading: at or above this it is green; below the target it is red, between
# amber. 99.9 is "three nines", the usual line between good and merely acceptable.
GOOD_PCT: Final = 99.9
# Percentages people read: two decimals, cut (never rounded up, so 100% means nothing failed).
READ_PCT_PLACES: Final = Decimal("0.01")


def percent_text(value: float | None) -> str:
    """99.93%, 100%, 0.50%: two decimals cut, no space; 100 stays 100%."""
    if value is None:
        return MISSING
    cut = Decimal(repr(value)).quantize(READ_PCT_PLACES, rounding=ROUND_DOWN)
    return "100%" if cut == 100 else f"{cut}%"


def day_text(lang: str, day: dt.date) -> str:
    """2026年12月1日 / 1 December 2026."""
    return report_text(lang, "date.day", y=day.year, d=day.day,
                       m=report_text(lang, f"date.mon.{day.month}"))


def month_day_text(lang: str, day: dt.date) -> str:
    """12月1日 / 1 December: a day within a year already named."""
    return report_text(lang, "date.month_day", d=day.day,
                       m=report_text(lang, f"date.mon.{day.month}"))


def month_text(lang: str, month: str) -> str:
    """"2026-11" -> 2026年11月 / November 2026."""
    year, number = (int(part) for part in month.split("-"))
    return report_text(lang, "date.month", y=year, m=report_text(lang, f"date.mon.{number}"))


class Formatter:
    def __init__(self, lang: str, timezone: str) -> None:
        self.lang = lang
        self.tz = ZoneInfo(timezone)

    # --- words ---------------------------------------------------------------------------
    def t(self, key: str, **values: object) -> str:
        """A page label (labels.py), else a shared message (monitor.core.i18n)."""
        if has_label(key):
            return label(self.lang, key, **values)
        return text(self.lang, key, **values)

    def has(self, key: str) -> bool:
        return has_label(key)

    @property
    def sep(self) -> str:
        """Between sentences of one cell: full-width semicolons in Chinese."""
        return "; " if self.lang == EN else "；"

    def join(self, parts: Iterable[str]) -> str:
        """A list inside a sentence: full-width semicolons in Chinese."""
        return ("; " if self.lang == EN else "；").join(parts)

    def severity(self, value: str) -> str:
        return text(self.lang, f"severity.{value}")

    def state(self, value: str) -> str:
        return text(self.lang, f"incident.state.{value}")

    def error(self, kind: str | None) -> str:
        return error_label(self.lang, kind) or MISSING

    # --- numbers ---------------------------------------------------------------------------
    @staticmethod
    def pct(value: float | None) -> str:
        return MISSING if value is None else f"{value:.3f}"

    @staticmethod
    def percent(value: float | None) -> str:
        """A percentage as people read it: 99.93%."""
        return percent_text(value)

    @staticmethod
    def ms(value: float | None) -> str:
        return MISSING if value is None else f"{value:.1f}"

    @staticmethod
    def num(value: int | float | None) -> str:
        return MISSING if value is None else f"{value:,}"

    @staticmethod
    def value(value: float | None) -> str:
        """For data-value attributes: the model's number as Python prints it, '' for None."""
        return "" if value is None else repr(value)

    def check(self, check_id: str, name: str | None, kind: str | None) -> str:
        """A check as people read it: its name, else its kind's name, never a bare id."""
        return check_title(name, kind, check_id, self.lang)

    def duration(self, seconds: float | None) -> str:
        """A span in words, to the second below an hour: '8 分 20 秒' / '8 min 20 s'."""
        return MISSING if seconds is None else report_span(seconds, self.lang)

    # --- times -----------------------------------------------------------------------------
    def at(self, ts: float | None) -> str:
        """Local date and time to the second."""
        if ts is None:
            return MISSING
        return dt.datetime.fromtimestamp(ts, self.tz).strftime("%Y-%m-%d %H:%M:%S")

    def short(self, ts: float | None) -> str:
        """Month-day and minute, for the one-line incident list."""
        if ts is None:
            return MISSING
        return dt.datetime.fromtimestamp(ts, self.tz).strftime("%m-%d %H:%M")

    def day(self, ts: float | dt.date | None) -> str:
        """A date in words: 2026年11月5日 / 5 November 2026."""
        if ts is None:
            return MISSING
        if isinstance(ts, dt.date):
            return day_text(self.lang, ts)
        return day_text(self.lang, dt.datetime.fromtimestamp(ts, self.tz).date())

    def when(self, ts: float | None) -> str:
        """A moment in words, to the minute: 11月5日 10:05 / 5 November 10:05."""
        if ts is None:
            return MISSING
        moment = dt.datetime.fromtimestamp(ts, self.tz)
        return f"{month_day_text(self.lang, moment.date())} {moment:%H:%M}"

    def clock(self, ts: float) -> str:
        return dt.datetime.fromtimestamp(ts, self.tz).strftime("%H:%M")

    # --- pictures --------------------------------------------------------------------------
    @staticmethod
    def shade(pct: float | None, target: float) -> str:
        """CSS class of an availability cell."""
        if pct is None:
            return "na"
        if pct >= GOOD_PCT:
            return "good"
        return "fair" if pct >= target else "poor"

    @staticmethod
    def share(part: float | None, whole: float | None) -> float:
        """0-100 width of a small bar."""
        if not part or not whole:
            return 0.0
        return round(min(100.0, 100.0 * part / whole), 1)
