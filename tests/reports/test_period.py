"""Month bounds in the service's time zone, and how figures are quantised."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from monitor.reports.period import MonthError, month_period, truncated_pct

NOW = dt.datetime(2027, 1, 1, tzinfo=dt.UTC).timestamp()


def test_shanghai_month_is_whole_utc_hours() -> None:
    period = month_period("2026-11", ZoneInfo("Asia/Shanghai"), NOW)
    assert period.start == dt.datetime(2026, 10, 31, 16, tzinfo=dt.UTC).timestamp()
    assert period.start % 3600 == 0
    assert period.hours == 720
    assert (period.dates[0], period.dates[-1], len(period.dates)) == ("2026-11-01",
                                                                       "2026-11-30", 30)
    assert period.day_index(period.start) == 0
    assert period.day_index(period.start + 86400 - 1) == 0
    assert period.day_index(period.end - 1) == 29


def test_december_and_daylight_saving() -> None:
    december = month_period("2026-12", ZoneInfo("Asia/Shanghai"), NOW)
    assert december.end == dt.datetime(2026, 12, 31, 16, tzinfo=dt.UTC).timestamp()
    march = month_period("2026-03", ZoneInfo("Europe/Berlin"), NOW)
    assert march.hours == 31 * 24 - 1  # the spring-forward night has 23 hours


@pytest.mark.parametrize("text", ["2026-00", "2026-13", "202611", "2026-1", " 2026-11", ""])
def test_malformed(text: str) -> None:
    with pytest.raises(MonthError, match="YYYY-MM"):
        month_period(text, ZoneInfo("Asia/Shanghai"), NOW)


def test_not_begun() -> None:
    with pytest.raises(MonthError, match="not begun"):
        month_period("2027-02", ZoneInfo("Asia/Shanghai"), NOW)


def test_truncated_pct_never_rounds_up_to_100() -> None:
    assert truncated_pct(43_199, 43_200) == 99.997
    assert truncated_pct(999_999, 1_000_000) == 99.999
    assert truncated_pct(2, 3) == 66.666
    assert truncated_pct(5, 5) == 100.0
    assert truncated_pct(0, 0) is None
