"""The dashboards as Grafana reads them: valid JSON of the expected shape, a consistent layout,
datasource references through the `datasource` variable, existing template variables, and
queries that name only the measurements, tags and fields the service writes.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

import pytest

from tests.dashboards import grafana
from tests.dashboards.simulation import simulate

CJK = re.compile(r"[\u4e00-\u9fff]")
TITLES = {"wall": "应用监控大屏", "app-detail": "应用详情", "monthly": "月度运行概览"}
UIDS = {"wall": "appmon-wall", "app-detail": "appmon-app-detail", "monthly": "appmon-monthly"}
GRID_COLUMNS = 24
GROUP_BY = re.compile(r'GROUP BY ((?:time\([^)]*\)|"\w+")(?:, (?:time\([^)]*\)|"\w+"))*)')

DASHBOARDS = pytest.mark.parametrize("name", grafana.DASHBOARDS)


@pytest.fixture(scope="module")
def schema(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[set[str], set[str]]]:
    """measurement -> (tag keys, field keys), read from the lines points.py produces."""
    sim = simulate(Path(tmp_path_factory.mktemp("schema")), now=1_700_000_000.0)
    found: dict[str, tuple[set[str], set[str]]] = {}
    for line in sim.lines:
        key, fields, _ = re.split(r"(?<!\\) ", line, maxsplit=2)
        measurement, *tags = re.split(r"(?<!\\),", key)
        tag_keys, field_keys = found.setdefault(measurement, (set(), set()))
        tag_keys.update(t.split("=", 1)[0] for t in tags)
        field_keys.update(f.split("=", 1)[0] for f in re.split(r',(?=\w+=)', fields))
    return found


@DASHBOARDS
def test_top_level_shape(name: str) -> None:
    board = grafana.load(name)
    assert board["schemaVersion"] == 39
    assert (board["uid"], board["title"]) == (UIDS[name], TITLES[name])
    assert board["timezone"] in {"browser", "Asia/Shanghai"}
    assert board["refresh"]
    assert board["time"]["from"]
    assert board["time"]["to"] == "now"
    assert board.get("id") is None  # provisioned dashboards must not carry a database id
    assert "appmon" in board["tags"]


def test_wall_is_made_for_the_wall() -> None:
    board = grafana.load("wall")
    assert board["refresh"] == "10s"
    assert "10s" in board["timepicker"]["refresh_intervals"]
    variables = grafana.variables(board)
    for name in ("department", "category", "tier"):
        variable = variables[name]
        assert variable["multi"], name
        assert variable["includeAll"], name
        assert variable["query"].startswith('SHOW TAG VALUES FROM "probe" WITH KEY = '), name
    kinds = [p["type"] for p in grafana.all_panels(board)]
    assert kinds.count("stat") >= 6
    [row] = [p for p in board["panels"] if p["type"] == "row" and p.get("repeat")]
    assert row["repeat"] == "department"  # one row of app tiles per department


def test_uids_are_unique() -> None:
    assert len({grafana.load(name)["uid"] for name in grafana.DASHBOARDS}) == 3


@DASHBOARDS
def test_panel_ids_are_unique(name: str) -> None:
    ids = [p["id"] for p in grafana.all_panels(grafana.load(name))]
    assert all(isinstance(i, int) for i in ids)
    assert len(ids) == len(set(ids)), sorted(ids)


@DASHBOARDS
def test_every_panel_has_a_grid_position_inside_24_columns(name: str) -> None:
    for panel in grafana.all_panels(grafana.load(name)):
        pos = panel["gridPos"]
        assert set(pos) >= {"x", "y", "w", "h"}, panel["id"]
        assert all(isinstance(pos[k], int) for k in "xywh"), panel["id"]
        assert min(pos["x"], pos["y"]) >= 0, panel["id"]
        assert min(pos["w"], pos["h"]) >= 1, panel["id"]
        assert pos["x"] + pos["w"] <= GRID_COLUMNS, panel["id"]


@DASHBOARDS
def test_panels_do_not_overlap(name: str) -> None:
    cells: dict[tuple[int, int], int] = {}
    for panel in grafana.load(name)["panels"]:
        pos = panel["gridPos"]
        for x in range(pos["x"], pos["x"] + pos["w"]):
            for y in range(pos["y"], pos["y"] + pos["h"]):
                assert (x, y) not in cells, f"panels {cells[(x, y)]} and {panel['id']} overlap"
                cells[(x, y)] = panel["id"]


@DASHBOARDS
def test_titles_are_chinese(name: str) -> None:
    board = grafana.load(name)
    assert CJK.search(board["title"])
    for panel in grafana.all_panels(board):
        title = panel.get("title", "")
        assert CJK.search(title) or title.startswith("$"), (panel["id"], title)
    for variable in board["templating"]["list"]:
        assert CJK.search(variable.get("label", "")), variable["name"]


@DASHBOARDS
def test_datasource_comes_from_the_datasource_variable(name: str) -> None:
    board = grafana.load(name)
    variable = grafana.variables(board)["datasource"]
    assert (variable["type"], variable["query"]) == ("datasource", "influxdb")
    assert variable["current"]["value"] == grafana.DATASOURCE_UID  # the provisioned uid
    for panel in grafana.all_panels(board):
        if panel["type"] == "row":
            continue
        assert panel["datasource"] == grafana.DATASOURCE_REF, panel["id"]
        assert panel["targets"], panel["id"]
        for target in panel["targets"]:
            assert target["datasource"] == grafana.DATASOURCE_REF, (panel["id"], target)
            assert target["rawQuery"] is True, panel["id"]
            assert target["query"].strip(), panel["id"]
            assert target["resultFormat"] in {"time_series", "table"}, panel["id"]
    for variable in board["templating"]["list"]:
        if variable["type"] == "query":
            assert variable["datasource"] == grafana.DATASOURCE_REF, variable["name"]
    for annotation in grafana.annotation_queries(board):
        assert annotation["datasource"] == grafana.DATASOURCE_REF, annotation["name"]


@DASHBOARDS
def test_referenced_variables_exist(name: str) -> None:
    board = grafana.load(name)
    defined = set(grafana.variables(board))
    for where, query in grafana.query_texts(board):
        missing = grafana.referenced_variables(query) - defined - grafana.BUILTIN_VARIABLES
        assert not missing, f"{where}: unknown variables {missing}"
    for panel in grafana.all_panels(board):
        for text in (panel.get("title", ""), panel.get("repeat", "")):
            assert grafana.referenced_variables(text) <= defined, panel["id"]
        for target in panel.get("targets", []):
            alias = grafana.ALIAS_RE.sub("", target.get("alias", ""))
            assert grafana.referenced_variables(alias) <= defined, (panel["id"], alias)


@DASHBOARDS
def test_variables_filter_with_the_regex_form(name: str) -> None:
    """Multi-value variables go into queries as `"tag" =~ /^$var$/` (Grafana fills in (a|b))."""
    board = grafana.load(name)
    variables = grafana.variables(board)
    for where, query in grafana.query_texts(board):
        for var in grafana.referenced_variables(query) & set(variables):
            uses = re.findall(rf'("\w+") (=~) /\^\${var}\$/', query)
            assert len(uses) == query.count(f"${var}"), f"{where}: ${var} outside =~ /^$…$/"
    for variable in variables.values():
        if variable.get("includeAll"):
            assert variable["allValue"] == ".*", variable["name"]  # apps without the tag too


@DASHBOARDS
def test_queries_use_the_series_schema(
    name: str, schema: Mapping[str, tuple[set[str], set[str]]]
) -> None:
    """Measurements, tag keys and field keys: exactly those monitor/influx/lines.py defines."""
    tags = set().union(*(t for t, _ in schema.values()))
    fields = set().union(*(f for _, f in schema.values()))
    assert set(schema) == {"probe", "incident", "traffic"}
    for where, query in grafana.query_texts(grafana.load(name)):
        aliases = set(re.findall(r'AS "([^"]+)"', query))
        for measurement in re.findall(r'FROM "(\w+)"', query):
            assert measurement in schema, f"{where}: measurement {measurement}"
        for clause in re.findall(GROUP_BY, query):
            for tag in re.findall(r'"(\w+)"', clause):
                assert tag in tags, f"{where}: GROUP BY unknown tag {tag}"
        for tag in re.findall(r'"(\w+)" (?:=~|!=) ', query):
            assert tag in tags, f"{where}: filter on unknown tag {tag}"
        for key in re.findall(r'WITH KEY = "(\w+)"', query):
            assert key in tags, f"{where}: variable over unknown tag {key}"
        for arg in re.findall(r'\w+\("(\w+)"', query):
            assert arg in fields or arg in aliases, f"{where}: unknown field {arg}"
        for name_, _ in re.findall(r'"(\w+)" (=|>=) (?:\d|\$\{)', query):
            assert name_ in fields or name_ in aliases, f"{where}: condition on {name_}"


@DASHBOARDS
def test_annotations_are_influxql_on_the_incident_measurement(name: str) -> None:
    for annotation in grafana.annotation_queries(grafana.load(name)):
        target = annotation["target"]
        assert target["query"] == annotation["query"]  # legacy field and migrated target agree
        assert 'FROM "incident"' in target["query"]
        assert "$timeFilter" in target["query"]
        assert target["fromAnnotations"] is True
        for column in ("textColumn", "titleColumn"):
            assert target[column] == annotation[column]
            assert re.search(rf'"{target[column]}"', target["query"]), column


def test_app_detail_has_the_panels_it_promises() -> None:
    board = grafana.load("app-detail")
    queries = " ".join(q for _, q in grafana.query_texts(board))
    for needle in ('percentile("latency_s", 95)', 'percentile("latency_s", 99)', '"dns_s"',
                   '"connect_s"', '"tls_s"', '"first_byte_s"', '"status_code"', '"error_kind"',
                   '"cert_days_left"', '"pv"', '"uv"'):
        assert needle in queries, needle
    names = {a["name"] for a in grafana.annotation_queries(board)}
    assert names == {"故障开始", "故障恢复"}
    assert {"app", "check"} <= set(grafana.variables(board))


def test_monthly_groups_by_every_dimension() -> None:
    board = grafana.load("monthly")
    assert board["time"] == {"from": "now/M", "to": "now"}
    queries = [q for _, q in grafana.query_texts(board)]
    for tag in ("department", "category", "tier"):
        grouped = [q for q in queries if re.search(rf'GROUP BY "{tag}"\s*$', q)]
        assert any('FROM "probe"' in q for q in grouped), f"availability by {tag}"
        assert any('FROM "incident"' in q for q in grouped), f"incidents by {tag}"
