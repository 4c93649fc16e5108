"""Every InfluxQL query of every dashboard, run against a real InfluxDB 1.x holding a simulated
run of the service: interpolated as Grafana would, it must parse, run without error and return
data. Each panel target, template variable query and annotation query is one test case per
scenario (a selection of the dashboard's variables and a time range).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from tests.dashboards import grafana
from tests.dashboards.grafana import ALL, Scope, Selection, Style
from tests.dashboards.simulation import DEPARTMENTS, DOWN_APP, Simulation
from tests.support.influxdb1 import InfluxDB1, errors

FALLBACK_RANGE = "now-2d"  # the simulation holds two days


@dataclass(frozen=True)
class Scenario:
    name: str
    style: Style
    selections: Mapping[str, Selection] = field(default_factory=dict)
    range_from: str | None = None  # None: the dashboard's default when relative (now-1h)


SCENARIOS: dict[str, tuple[Scenario, ...]] = {
    "wall": (
        Scenario("all", "browser"),
        Scenario("filtered", "backend",
                 {"department": ["区卫健局", "区大数据中心"], "tier": ["1", "2"]},
                 FALLBACK_RANGE),
    ),
    "app-detail": (
        Scenario("health", "browser", {"app": [DOWN_APP]}),
        Scenario("health-2checks", "backend", {"app": [DOWN_APP], "check": ["home", "api"]},
                 FALLBACK_RANGE),
    ),
    "monthly": (
        Scenario("all", "browser"),
        Scenario("filtered", "backend", {"department": ["区卫健局", "区大数据中心"],
                                         "category": ["医疗健康", "办公协同"]}),
    ),
}


@dataclass(frozen=True)
class Case:
    dashboard: str
    scenario: Scenario
    what: str  # for people: the panel's (Chinese) title, the variable or annotation name
    query: str
    time_from: str | None = None
    repeat: str | None = None
    alias_tags: tuple[str, ...] = ()  # $tag_x in the alias: every series must carry tag x


def _cases() -> list[Any]:
    params = []
    for name in grafana.DASHBOARDS:
        board = grafana.load(name)
        for scenario in SCENARIOS[name]:
            for panel in grafana.all_panels(board):
                kind = panel["type"]
                for target in panel.get("targets", []):
                    case = Case(name, scenario, f"{panel['title']} ({kind})", target["query"],
                                panel.get("timeFrom"), grafana.repeat_of(board, panel),
                                tuple(re.findall(r"\$tag_(\w+)", target.get("alias", ""))))
                    ref = f"{name}-p{panel['id']}-{kind}-{target['refId']}-{scenario.name}"
                    params.append(pytest.param(case, id=ref))
            for variable in board["templating"]["list"]:
                if variable["type"] == "query":
                    case = Case(name, scenario, f"variable {variable['name']}", variable["query"])
                    ref = f"{name}-var-{variable['name']}-{scenario.name}"
                    params.append(pytest.param(case, id=ref))
            for n, annotation in enumerate(grafana.annotation_queries(board), 1):
                case = Case(name, scenario, f"annotation {annotation['name']}",
                            annotation["target"]["query"])
                params.append(pytest.param(case, id=f"{name}-annotation{n}-{scenario.name}"))
    return params


def _scope(case: Case, sim: Simulation) -> Scope:
    board = grafana.load(case.dashboard)
    default = board["time"]["from"]
    relative = re.fullmatch(r"now-\d+[smhd]", default)  # now/M may hold too little data
    range_from = case.scenario.range_from or (default if relative else FALLBACK_RANGE)
    return Scope(now=sim.now, dashboard_from=range_from, style=case.scenario.style,
                 zone=ZoneInfo(board["timezone"]), board=board,
                 selections=dict(case.scenario.selections))


def _run(influx: InfluxDB1, query: str) -> list[dict[str, Any]]:
    answer = influx.query(query)
    assert not errors(answer), f"InfluxDB error {errors(answer)} for:\n{query}"
    results = answer["results"]
    assert len(results) == 1, query
    series: list[dict[str, Any]] = results[0].get("series", [])
    return series


def _has_data(series: Sequence[Mapping[str, Any]]) -> bool:
    return any(
        value is not None
        for s in series for row in s.get("values", [])
        for column, value in zip(s["columns"], row, strict=True) if column != "time"
    )


def variable_options(influx: InfluxDB1, scope: Scope, name: str) -> list[str]:
    """The options Grafana lists for a query variable (SHOW TAG VALUES -> the value column)."""
    query = scope.interpolate(grafana.variables(scope.board)[name]["query"])
    return sorted({str(row[1]) for s in _run(influx, query) for row in s["values"]})


@pytest.mark.parametrize("case", _cases())
def test_query_returns_data(case: Case, influxdb1: InfluxDB1, simulation: Simulation) -> None:
    scope = _scope(case, simulation)
    scopes = [scope]
    if case.repeat:  # Grafana repeats the row/panel once per selected value of the variable
        selected = scope.selections.get(case.repeat, ALL)
        values = (variable_options(influx=influxdb1, scope=scope, name=case.repeat)
                  if selected == ALL else list(selected))
        assert values, f"no values to repeat {case.what} over"
        scopes = [scope.with_selection(case.repeat, [value]) for value in values]
    for each in scopes:
        query = each.interpolate(case.query, case.time_from)
        series = _run(influxdb1, query)
        assert _has_data(series), f"{case.dashboard}: {case.what}: no data for\n{query}"
        for tag in case.alias_tags:
            assert all(s.get("tags", {}).get(tag) for s in series), f"{case.what}: no tag {tag}"


# -------------------------------------------------------- what the wall shows, value by value

def _wall_scope(sim: Simulation, **selections: Selection) -> Scope:
    board = grafana.load("wall")
    return Scope(now=sim.now, dashboard_from=board["time"]["from"], style="browser",
                 zone=ZoneInfo(board["timezone"]), board=board, selections=selections)


def _panel(board: Mapping[str, Any], title: str) -> dict[str, Any]:
    [panel] = [p for p in grafana.all_panels(board) if p["title"] == title]
    return panel


def _values(influx: InfluxDB1, scope: Scope, title: str) -> list[tuple[dict[str, str], list[Any]]]:
    """(tags, first row without time) of each series a panel's first target returns."""
    panel = _panel(scope.board, title)
    query = scope.interpolate(panel["targets"][0]["query"], panel.get("timeFrom"))
    return [(s.get("tags", {}), s["values"][0][1:]) for s in _run(influx, query)]


def test_wall_tiles_show_each_app_up_or_down(influxdb1: InfluxDB1, simulation: Simulation) -> None:
    scope = _wall_scope(simulation)
    assert variable_options(influxdb1, scope, "department") == sorted(DEPARTMENTS)
    status: dict[str, int] = {}
    for department in DEPARTMENTS:  # one repeated row per department
        rows = _values(influxdb1, scope.with_selection("department", [department]), "应用状态")
        status |= {tags["app_name"]: value for tags, [value] in rows}
    expected = {app.name: 1 for app in simulation.config.apps} | {DOWN_APP: 0}
    assert status == expected


def test_wall_counts(influxdb1: InfluxDB1, simulation: Simulation) -> None:
    scope = _wall_scope(simulation)
    apps = len(simulation.config.apps)
    assert _values(influxdb1, scope, "正常应用") == [({}, [apps - 1])]
    assert _values(influxdb1, scope, "故障应用") == [({}, [1])]
    assert _values(influxdb1, scope, "未关闭故障") == [({}, [1])]
    assert _values(influxdb1, scope, "超时故障") == [({}, [1])]
    # Filtered to the education bureau: nothing down, nothing open (panels show noValue "0").
    edu = scope.with_selection("department", ["区教育局"])
    assert _values(influxdb1, edu, "故障应用") == [({}, [0])]
    assert _values(influxdb1, edu, "未关闭故障") == []


def _table(influx: InfluxDB1, scope: Scope, title: str) -> list[tuple[dict[str, str], list[Any]]]:
    """(tags, row without time) of every row a table panel's first target returns."""
    panel = _panel(scope.board, title)
    query = scope.interpolate(panel["targets"][0]["query"], panel.get("timeFrom"))
    return [(s.get("tags", {}), row[1:]) for s in _run(influx, query) for row in s["values"]]


def test_wall_open_incidents_table(influxdb1: InfluxDB1, simulation: Simulation) -> None:
    [(tags, row)] = _table(influxdb1, _wall_scope(simulation), "未关闭故障单")
    assert (tags["app_name"], tags["check"], tags["severity"]) == (DOWN_APP, "home", "major")
    state, opened_ms, response_ms, resolution_ms, response_breached, resolution_breached, _ = row
    assert state == "open"
    assert (response_ms - opened_ms, resolution_ms - opened_ms) == (900_000, 3_600_000)
    assert (response_breached, resolution_breached) == (1, 0)


def test_wall_worst_latency_first(influxdb1: InfluxDB1, simulation: Simulation) -> None:
    rows = [row for _, row in _table(influxdb1, _wall_scope(simulation), "延迟最高 TOP10")]
    p95, app_name, mean = max(rows, key=lambda row: float(row[0]))
    assert app_name == "预约挂号"  # the slow app leads the P95 ranking
    assert p95 >= mean > 2.5


def test_monthly_incident_figures(influxdb1: InfluxDB1, simulation: Simulation) -> None:
    """Three incidents in the range: OA (acknowledged after 8 min, resolved after 30), the
    health API (acknowledged after 20 min: response breached; resolved after 30) and the
    health home page (open, response breached)."""
    board = grafana.load("monthly")
    scope = Scope(now=simulation.now, dashboard_from=FALLBACK_RANGE, style="backend",
                  zone=ZoneInfo(board["timezone"]), board=board)
    assert _values(influxdb1, scope, "故障数") == [({}, [3])]
    assert _values(influxdb1, scope, "平均响应时长 (MTTA)") == [({}, [(8 * 60 + 20 * 60) / 2])]
    assert _values(influxdb1, scope, "平均修复时长 (MTTR)") == [({}, [30 * 60])]
    [(_, [response_rate])] = _values(influxdb1, scope, "响应及时率")
    assert response_rate == pytest.approx(100 / 3)  # the open one counts: already breached
    assert _values(influxdb1, scope, "解决及时率") == [({}, [100])]  # open, not yet due: left out
    by_department = {tags["department"]: n for tags, [n] in
                     _values(influxdb1, scope, "故障数（按部门）")}
    assert by_department == {"区卫健局": 2, "区大数据中心": 1}
