"""The test's stand-in for Grafana's interpolation renders what Grafana renders."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from tests.dashboards import grafana
from tests.dashboards.grafana import ALL, Scope

ZONE = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 24, 13, 30, tzinfo=ZONE).timestamp()
MS = round(NOW * 1000)
QUERY = ('SELECT mean("up") FROM "probe" WHERE $timeFilter AND "department" =~ /^$department$/ '
         'AND "tier" =~ /^$tier$/ GROUP BY time($__interval) fill(none)')


def _scope(style: grafana.Style = "browser", **selections: grafana.Selection) -> Scope:
    return Scope(NOW, "now-6h", style, ZONE, grafana.load("wall"), selections)


def test_browser_style_relative_range_and_regex_alternation() -> None:
    query = _scope(department=["区大数据中心", "区卫健局"], tier=["1"]).interpolate(QUERY)
    assert query == (
        'SELECT mean("up") FROM "probe" WHERE time >= now() - 6h and time <= now() '
        'AND "department" =~ /^(区大数据中心|区卫健局)$/ AND "tier" =~ /^1$/ '
        "GROUP BY time(1m) fill(none)")


def test_all_becomes_the_all_value() -> None:
    query = _scope(department=ALL).interpolate(QUERY)
    assert '"department" =~ /^.*$/ AND "tier" =~ /^.*$/' in query


def test_backend_style_is_absolute() -> None:
    query = _scope("backend").interpolate(QUERY)
    assert f"time >= {MS - 6 * 3600_000}ms and time <= {MS}ms" in query


@pytest.mark.parametrize(("time_from", "start"), [
    ("15m", "now() - 15m"),
    ("30d", "now() - 30d"),
    ("now/d", f"{round(datetime(2026, 11, 24, tzinfo=ZONE).timestamp() * 1000)}ms"),
    ("now/M", f"{round(datetime(2026, 11, 1, tzinfo=ZONE).timestamp() * 1000)}ms"),
])
def test_panel_relative_time(time_from: str, start: str) -> None:
    query = _scope().interpolate("SELECT 1 WHERE $timeFilter", time_from)
    assert query == f"SELECT 1 WHERE time >= {start} and time <= now()"


def test_values_are_regex_escaped_and_unknown_variables_refused() -> None:
    query = _scope(department=["a.b", "c/d"]).interpolate('"department" =~ /^$department$/')
    assert query == r'"department" =~ /^(a\.b|c\/d)$/'
    with pytest.raises(KeyError):
        _scope().interpolate("$nosuchvariable")


def test_from_and_to_are_epoch_milliseconds() -> None:
    assert _scope().interpolate("${__from} ${__to}") == f"{MS - 6 * 3600_000} {MS}"
