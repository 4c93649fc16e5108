"""Durations in the reader's language, in the style of each page, from the catalog's words."""

from __future__ import annotations

import pytest

from monitor.core.catalog import EN, ZH
from monitor.core.durations import countdown, report_span, span, took, weekday


@pytest.mark.parametrize(("seconds", "zh", "en"), [
    (0, "0分0秒", "0m 0s"),
    (75, "1分15秒", "1m 15s"),
    (3900, "1小时5分", "1h 5m"),
    (2 * 86400 + 3 * 3600 + 59, "2天3小时", "2d 3h"),
])
def test_spans_read_as_people_say_them(seconds: int, zh: str, en: str) -> None:
    assert span(seconds, ZH) == zh
    assert span(seconds, EN) == en
    assert span(None, EN) == ""


def test_countdowns_read_like_the_wall_writes_them() -> None:
    assert countdown(None, ZH) == ""
    assert [countdown(s, ZH) for s in (65, 3 * 3600 + 120)] == ["1分05秒", "3小时2分"]
    assert [countdown(s, EN) for s in (65, 3 * 3600 + 120)] == ["1m 05s", "3h 2m"]


def test_probe_times_and_report_spans() -> None:
    assert [took(s, ZH) for s in (0.85, 2.0, 2.64)] == ["850 毫秒", "2 秒", "2.6 秒"]
    assert [took(s, EN) for s in (0.85, 2.0, 2.64)] == ["850ms", "2s", "2.6s"]
    assert [report_span(s, ZH) for s in (500, 3900, 7)] == ["8 分 20 秒", "1 小时 5 分", "7 秒"]
    assert [report_span(s, EN) for s in (500, 3900, 7)] == ["8 min 20 s", "1 h 5 min", "7 s"]


def test_weekdays_start_on_monday() -> None:
    assert [weekday(i, ZH) for i in (0, 6)] == ["周一", "周日"]
    assert [weekday(i, EN) for i in (0, 6)] == ["Mon", "Sun"]
