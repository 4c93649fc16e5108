"""The audit's pieces on their own: quarter ends and deadlines, record checks, visitor figures,
trends and declared tiers."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from monitor.config import load_config
from monitor.governance.inventory.classify import trend
from monitor.governance.inventory.declared import declared_tiers
from monitor.governance.inventory.fields import normalise_name, normalise_url
from monitor.governance.inventory.quarter import (
    QuarterEndsError,
    next_quarter_end,
    parse_quarter_ends,
    rectification_deadline,
)
from monitor.governance.inventory.visitors import NONE, OK, STALE, visitors
from monitor.governance.traffic.store import DayTraffic

D = dt.date
QUARTERS = parse_quarter_ends(None)


@pytest.mark.parametrize(("today", "end", "days"), [
    (D(2026, 11, 24), D(2026, 12, 31), 37),
    (D(2026, 12, 31), D(2026, 12, 31), 0),  # the quarter end itself: 0 days left
    (D(2027, 1, 1), D(2027, 3, 31), 89),  # across the year boundary
    (D(2026, 12, 30), D(2026, 12, 31), 1),
    (D(2028, 1, 1), D(2028, 3, 31), 90),  # leap year: February has 29 days
    (D(2026, 4, 1), D(2026, 6, 30), 90),
    (D(2026, 7, 1), D(2026, 9, 30), 91),
])
def test_next_quarter_end(today: D, end: D, days: int) -> None:
    found = next_quarter_end(today, QUARTERS)
    assert (found, (found - today).days) == (end, days)


def test_custom_quarter_ends_wrap_into_next_year() -> None:
    ends = parse_quarter_ends("12-15, 06-15")
    assert ends == ((6, 15), (12, 15))
    assert next_quarter_end(D(2026, 12, 16), ends) == D(2027, 6, 15)
    assert next_quarter_end(D(2026, 12, 15), ends) == D(2026, 12, 15)
    # 02-29 is accepted and falls on 02-28 outside leap years.
    assert next_quarter_end(D(2027, 1, 1), parse_quarter_ends("02-29")) == D(2027, 2, 28)
    assert next_quarter_end(D(2028, 1, 1), parse_quarter_ends("02-29")) == D(2028, 2, 29)


@pytest.mark.parametrize("text", ["", "13-01", "00-10", "04-31", "3/31", "Q1"])
def test_bad_quarter_ends(text: str) -> None:
    with pytest.raises(QuarterEndsError):
        parse_quarter_ends(text)


@pytest.mark.parametrize(("today", "deadline"), [
    (D(2026, 10, 1), D(2026, 12, 16)),  # early in the quarter: 15 days before its end
    (D(2026, 12, 2), D(2026, 12, 16)),  # exactly two weeks left before that date
    (D(2026, 12, 3), D(2026, 12, 17)),  # closer: two weeks from today
    (D(2026, 12, 20), D(2026, 12, 31)),  # closer still: capped at the quarter end
    (D(2026, 12, 31), D(2026, 12, 31)),
])
def test_rectification_deadline(today: D, deadline: D) -> None:
    assert rectification_deadline(today, D(2026, 12, 31)) == deadline


@pytest.mark.parametrize(("url", "normal"), [
    ("https://OA.Example.org/", "https://oa.example.org"),
    ("HTTPS://oa.example.org:443", "https://oa.example.org"),
    ("http://oa.example.org:80/app//", "http://oa.example.org/app"),
    ("https://oa.example.org:8443/App?x=1#top", "https://oa.example.org:8443/App?x=1"),
    ("http://[::1]:8080/", "http://[::1]:8080"),
])
def test_normalise_url(url: str, normal: str) -> None:
    assert normalise_url(url) == normal


def test_normalise_name() -> None:
    assert normalise_name("ＯＡ 办公") == normalise_name("oa办公") == "oa办公"
    assert normalise_name("协同办公") != normalise_name("协同办公二期")


def day(n: str, pv: int, uv: int) -> DayTraffic:
    return DayTraffic("a", n, pv, uv, ("push",))


def test_visitors_requests_only_source() -> None:
    # A request counter gives pv without uv: visited, but the month's visitors are unknown.
    records = [day(f"2026-10-{d:02d}", 5 if d == 3 else 0, 0) for d in range(1, 32)]
    found = visitors(records, D(2026, 11, 2), ["2026-10"])
    assert found.status == OK
    assert found.last_visit_day == "2026-10-03"
    assert found.zero_days == 28
    assert (found.months[0].uv_sum, found.months[0].pv, found.months[0].complete) == \
        (None, 5, True)


def test_visitors_today_ends_a_streak() -> None:
    records = [day("2026-11-01", 0, 0), day("2026-11-02", 4, 1)]
    found = visitors(records, D(2026, 11, 2), [])
    assert (found.zero_days, found.last_visit_day) == (0, "2026-11-02")


def test_visitors_capped_at_the_lookback() -> None:
    today = D(2026, 11, 24)
    first = today - dt.timedelta(days=180)
    records = [day((first + dt.timedelta(days=n)).isoformat(), 0, 0) for n in range(180)]
    found = visitors(records, today, [])
    assert (found.zero_days, found.capped, found.last_visit_day) == (180, True, None)
    # Counting that began later is not capped: no claim before the first record.
    later = visitors(records[100:], today, [])
    assert (later.zero_days, later.capped, later.zero_since) == (80, False, records[100].day)


def test_visitors_stale_and_none() -> None:
    today = D(2026, 11, 24)
    assert visitors([], today, ["2026-10"]).status == NONE
    assert visitors([], today, ["2026-10"]).months[0].uv_sum is None
    # Stale: no record in the 30 days before today.
    assert visitors([day("2026-10-25", 0, 0)], today, []).status == OK
    assert visitors([day("2026-10-24", 0, 0)], today, []).status == STALE


@pytest.mark.parametrize(("metric", "values", "direction"), [
    ("availability_pct", [99.9, 99.95, 99.99], "flat"),  # within 0.1 percentage points
    ("availability_pct", [99.0, 99.5, 99.2], "up"),
    ("availability_pct", [None, 99.5, 99.3], "down"),  # from the first month with a figure
    ("availability_pct", [99.0, 99.5, None], "unknown"),  # no figure for the last month
    ("availability_pct", [None, None, 99.0], "unknown"),
    ("uv_sum", [100, 50, 109], "flat"),  # within 10 %
    ("uv_sum", [100, 50, 111], "up"),
    ("uv_sum", [3, 3, 2], "flat"),  # at least one visitor of tolerance
    ("uv_sum", [3, 3, 1], "down"),
])
def test_trend(metric: str, values: list[float | int | None], direction: str) -> None:
    assert trend(metric, ["m1", "m2", "m3"], values).direction == direction


def test_declared_tiers_from_yaml_and_spreadsheet(tmp_path: Path) -> None:
    (tmp_path / "apps.csv").write_text(
        "应用编号,应用名称,等级,地址\n"
        "s-with,甲,2,https://s1.example.org/\n"
        "s-without,乙,,https://s2.example.org/\n", encoding="utf-8")
    path = tmp_path / "c.yaml"
    path.write_text(
        'apps_file: "apps.csv"\napps:\n'
        '  - { id: "y-with", name: "丙", tier: 3, url: "https://y1.example.org/" }\n'
        '  - { id: "y-without", name: "丁", url: "https://y2.example.org/" }\n',
        encoding="utf-8")
    config = load_config(path)
    assert {a.id: a.tier for a in config.apps}["s-without"] == 3  # defaulted by the loader
    assert declared_tiers(config) == {"s-with", "y-with"}
    path.unlink()  # the file went away after loading: cannot tell, so nothing is reported
    assert declared_tiers(config) is None
