"""The wall never lies (pure parts): the stale-data rule, the monitor's own health, late
acknowledgements marked 超时响应, departments with problems first, header counts that follow
the filter, and the filter names the README gives (?department=&category=&tier=)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from alerting.model import IncidentKind, IncidentState
from alerting.runner import MONITOR_KEY
from monitor.config import load_config
from monitor.console.pages.wall.health import GUARD_CUT, GUARD_OFF, GUARD_OK, health
from monitor.console.pages.wall.incidents import incident_views
from monitor.console.pages.wall.live import incidents_html
from monitor.console.pages.wall.view import (
    Filters,
    departments,
    layout,
    tile_states,
    visible_counts,
)
from monitor.core.config.model import Config
from tests.console.test_wall_view import NOW, T0, all_up, incident, make_config, state
from tests.support.target import write_config


@pytest.fixture
def config(tmp_path: Path) -> Config:
    return make_config(tmp_path)


def test_data_older_than_two_intervals_is_stale(config: Config) -> None:
    states = all_up(config)  # every last run at NOW - 5; the interval is the default 60 s
    vitals = health(config, states, [], started_at=T0, backlog=3, in_flight=2)
    assert vitals.stale_after_ms == 120_000
    assert vitals.newest_ms == round((NOW - 5) * 1000)
    assert vitals.stale_s(NOW) is None
    assert vitals.stale_s(NOW - 5 + 120) is None  # exactly two intervals: still fresh
    assert vitals.stale_s(NOW - 5 + 121) == 121  # the banner's N: seconds since the newest
    assert (vitals.checks, vitals.in_flight, vitals.backlog) == (6, 2, 3)
    patch = vitals.patch()
    assert patch["stale_after"] == 120_000
    assert patch["basis"] == patch["newest"]


def test_before_any_result_staleness_counts_from_the_start(config: Config) -> None:
    vitals = health(config, {}, [], started_at=NOW, backlog=0, in_flight=0)
    assert vitals.newest_ms is None
    assert vitals.stale_s(NOW + 60) is None
    assert vitals.stale_s(NOW + 200) == 200


def test_the_connectivity_guard_state(tmp_path: Path) -> None:
    plain = make_config(tmp_path / "a")
    assert health(plain, {}, [], started_at=T0, backlog=0, in_flight=0).guard == GUARD_OFF
    guarded = make_config(tmp_path / "b")
    guarded = dataclasses.replace(guarded, service=dataclasses.replace(
        guarded.service, connectivity=make_connectivity(tmp_path / "c")))
    assert health(guarded, {}, [], started_at=T0, backlog=0, in_flight=0).guard == GUARD_OK
    cut = dataclasses.replace(incident("m1", MONITOR_KEY[0]), check_id=MONITOR_KEY[1],
                              kind=IncidentKind.MONITOR)
    assert health(guarded, {}, [cut], started_at=T0, backlog=0, in_flight=0).guard == GUARD_CUT


def make_connectivity(tmp_path: Path) -> object:
    tmp_path.mkdir(parents=True, exist_ok=True)
    text = (f'service:\n  data_dir: "{tmp_path}"\n  connectivity:\n'
            '    targets: ["tcp://127.0.0.1:9"]\n    interval: "10s"\n'
            'apps:\n  - id: "a"\n    name: "甲"\n    checks:\n'
            '      - {id: "home", kind: "tcp", host: "127.0.0.1", port: 9}\n')
    return load_config(write_config(tmp_path, text)).service.connectivity


def test_a_late_acknowledgement_is_marked_in_red(config: Config) -> None:
    late = incident("i1", "grid", state_=IncidentState.ACKNOWLEDGED, acked=T0 + 60 + 1200,
                    by="张三", response_breached=True)
    in_time = incident("i2", "pay", state_=IncidentState.ACKNOWLEDGED, acked=T0 + 120,
                       by="李四")
    html = incidents_html(config, incident_views(config, [late, in_time], NOW))
    items = html.split("<li ")[1:]
    late_item = next(i for i in items if 'data-incident="i1"' in i)
    in_time_item = next(i for i in items if 'data-incident="i2"' in i)
    assert "data-late-ack" in late_item
    assert "超时响应" in late_item
    assert 'class="stopped late-ack"' in late_item
    assert "超时响应" not in in_time_item
    assert 'class="stopped"' in in_time_item


def test_departments_with_problems_come_first(config: Config) -> None:
    states = all_up(config)
    states["grid", "home"] = state("grid", "home", False)  # 政法委: one down
    tiles = tile_states(config, states, [], NOW)
    depts = departments(config, layout(config), tiles)
    assert [d.name for d in depts] == ["政法委", "大数据中心", ""]
    # An acknowledged incident comes after a department with one down, before healthy ones.
    acked = incident("i1", "misc", state_=IncidentState.ACKNOWLEDGED, acked=T0 + 90, by="张三")
    tiles = tile_states(config, states, [acked], NOW)
    assert [d.name for d in departments(config, layout(config), tiles)] == [
        "政法委", "", "大数据中心"]
    # Within a department: down first; the rank (tier, name) is what wall.js keeps tiles by.
    states["pay", "home"] = state("pay", "home", False)
    tiles = tile_states(config, states, [], NOW)
    big = next(d for d in departments(config, layout(config), tiles) if d.name == "大数据中心")
    assert [t.app.id for t in big.tiles] == ["pay", "gov", "oa"]
    assert [t.rank for t in big.tiles] == [2, 0, 1]


def test_header_counts_follow_the_filter(config: Config) -> None:
    states = all_up(config)
    states["grid", "home"] = state("grid", "home", False)
    tiles = tile_states(config, states, [], NOW)
    depts = departments(config, layout(config), tiles)
    assert visible_counts(depts, Filters()) == {
        "down": 1, "ack": 0, "unknown": 0, "up": 4, "total": 5}
    assert visible_counts(depts, Filters(department="大数据中心")) == {
        "down": 0, "ack": 0, "unknown": 0, "up": 3, "total": 3}
    assert visible_counts(depts, Filters(tier=1))["down"] == 1


def test_the_filter_reads_the_readme_names_and_the_old_ones() -> None:
    readme = Filters.from_query({"department": "大数据中心", "category": "服务", "tier": "1"})
    assert readme == Filters("大数据中心", "服务", 1)
    assert Filters.from_query({"dept": "大数据中心", "cat": "服务", "tier": "1"}) == readme
    assert readme.active
    assert not Filters.from_query({}).active
