"""The status wall's view model (monitor.console.pages.wall.view and wallincidents) and the live
stream's diff (monitor.console.pages.wall.live.change), as plain functions over a loaded config and
hand-made states."""

from __future__ import annotations

import dataclasses
import textwrap
from pathlib import Path

import pytest

from alerting.model import Incident, IncidentState, Severity
from monitor.config import load_config
from monitor.console.pages.wall.health import health
from monitor.console.pages.wall.incidents import incident_views
from monitor.console.pages.wall.live import Snapshot, change
from monitor.console.pages.wall.view import (
    Filters,
    count,
    department_counts,
    departments,
    filter_options,
    layout,
    tile_states,
)
from monitor.core.config.model import Config
from monitor.ledger.types import CheckState
from tests.support.target import write_config

T0 = 1_764_000_000.0  # 2025-11-25 00:00:00+08:00
NOW = T0 + 3600.0  # 01:00


def _app(app_id: str, name: str, department: str, category: str, tier: int,
         checks: tuple[str, ...] = ("home",)) -> str:
    lines = [f'  - id: "{app_id}"', f'    name: "{name}"', f'    department: "{department}"',
             f'    category: "{category}"', f"    tier: {tier}", "    checks:"]
    for check in checks:
        lines += [f'      - id: "{check}"', '        kind: "tcp"', '        host: "127.0.0.1"',
                  "        port: 9"]
    return "\n".join(lines) + "\n"


def make_config(tmp_path: Path, *, language: str = "zh-CN", extra: str = "") -> Config:
    body = textwrap.dedent(f"""\
        service:
          listen: "127.0.0.1:0"
          data_dir: "{tmp_path / 'data'}"
          language: "{language}"
        sla:
          response: "15m"
          resolution: "1h"
        apps:
    """)
    body += (_app("oa", "协同办公", "大数据中心", "办公", 2, ("home", "api"))
             + _app("gov", "政务服务", "大数据中心", "服务", 1)
             + _app("pay", "缴费平台", "大数据中心", "服务", 3)
             + _app("grid", "网格治理", "政法委", "治理", 1)
             + _app("misc", "杂项", "", "办公", 3)
             + extra)
    tmp_path.mkdir(parents=True, exist_ok=True)
    return load_config(write_config(tmp_path, body))


def state(app_id: str, check_id: str, ok: bool | None, *, changed: float = T0,
          error_kind: str | None = "status", message: str = "status 503") -> CheckState:
    return CheckState(
        app_id=app_id, check_id=check_id, kind="tcp", last_ok=ok,
        last_run_at=None if ok is None else NOW - 5, last_latency_s=0.01,
        last_error_kind=None if ok else error_kind, last_message="" if ok else message,
        last_status_code=None, cert_days_left=None, consecutive_failures=0 if ok else 3,
        consecutive_passes=1 if ok else 0, last_change_at=changed, runs_total=10,
        failures_total=3)


def incident(incident_id: str, app_id: str, *, state_: IncidentState = IncidentState.OPEN,
             severity: Severity = Severity.CRITICAL, opened: float = T0 + 60,
             acked: float | None = None, by: str | None = None,
             response_breached: bool = False) -> Incident:
    return Incident(
        id=incident_id, app_id=app_id, app_name=app_id, check_id="home", severity=severity,
        state=state_, summary="status 503", started_at=opened - 60, opened_at=opened,
        acknowledged_at=acked, acknowledged_by=by, response_breached=response_breached,
        resolved_at=NOW if state_ is IncidentState.RESOLVED else None)


@pytest.fixture
def config(tmp_path: Path) -> Config:
    return make_config(tmp_path)


def all_up(config: Config) -> dict[tuple[str, str], CheckState]:
    return {(a.id, c.id): state(a.id, c.id, True) for a in config.apps for c in a.checks}


def test_tiles_are_grouped_by_department_with_problems_first(config: Config) -> None:
    states = all_up(config)
    states["pay", "home"] = state("pay", "home", False)
    del states["gov", "home"]  # never ran: unknown
    tiles = tile_states(config, states, [], NOW)
    depts = departments(config, layout(config), tiles)

    assert [(d.key, d.name, d.label) for d in depts] == [
        ("d0", "大数据中心", "大数据中心"), ("d1", "政法委", "政法委"), ("d2", "", "未分组")]
    # down, then unknown, then up; within a status by tier.
    assert [t.app.id for t in depts[0].tiles] == ["pay", "gov", "oa"]
    assert [t.state.status for t in depts[0].tiles] == ["down", "unknown", "up"]
    assert dict(depts[0].counts) == {"down": 1, "ack": 0, "unknown": 1, "up": 1, "total": 3}
    assert count(tiles.values()) == {"down": 1, "ack": 0, "unknown": 1, "up": 3, "total": 5}


def test_a_down_tile_names_the_failing_check_and_since_when(config: Config) -> None:
    states = all_up(config)
    states["oa", "api"] = state("oa", "api", False, changed=T0 + 60)
    tile = tile_states(config, states, [], NOW)["oa"]
    assert tile.status == "down"
    assert tile.detail == "端口 · status 503"
    assert tile.since_ms == int((T0 + 60) * 1000)
    assert tile.since_text == "自 00:01 起"
    # Up tiles say nothing: nothing on them changes from run to run, so the stream stays quiet.
    assert tile_states(config, all_up(config), [], NOW)["oa"].detail == ""
    assert tile_states(config, all_up(config), [], NOW)["oa"].since_ms is None


def test_a_tile_down_since_another_day_shows_the_date(config: Config) -> None:
    states = all_up(config)
    states["gov", "home"] = state("gov", "home", False, changed=T0 - 3600)
    assert tile_states(config, states, [], NOW)["gov"].since_text == "自 11-24 23:00 起"


def test_an_app_that_never_ran_is_unknown(config: Config) -> None:
    tiles = tile_states(config, {}, [], NOW)
    assert {t.status for t in tiles.values()} == {"unknown"}
    assert tiles["oa"].detail == "尚未运行"


def test_incidents_colour_the_tile(config: Config) -> None:
    states = all_up(config)  # the checks pass again, but the incidents are still active
    active = [incident("i1", "gov"),
              incident("i2", "grid", state_=IncidentState.ACKNOWLEDGED, acked=T0 + 120,
                       by="张三"),
              incident("i3", "pay", state_=IncidentState.RESOLVED)]
    tiles = tile_states(config, states, active, NOW)
    assert tiles["gov"].status == "down"
    assert tiles["gov"].detail == "端口 · status 503"
    assert tiles["gov"].since_ms == int(T0 * 1000)  # the incident's first failure
    assert tiles["grid"].status == "ack"
    assert tiles["grid"].detail.startswith("张三 处理中 · ")
    assert tiles["pay"].status == "up"  # a resolved incident is history


def test_an_open_incident_outranks_an_acknowledged_one(config: Config) -> None:
    active = [incident("i1", "gov", state_=IncidentState.ACKNOWLEDGED, acked=T0 + 90, by="李四"),
              incident("i2", "gov")]
    assert tile_states(config, all_up(config), active, NOW)["gov"].status == "down"


def test_maintenance_marks_the_tile(config: Config) -> None:
    tiles = tile_states(config, all_up(config), [], NOW, frozenset({"pay"}))
    assert tiles["pay"].maintenance
    assert not tiles["oa"].maintenance
    assert tiles["pay"].patch() == {"s": "up", "d": "", "since": None, "w": "", "m": True}


def test_department_counts_are_down_and_acknowledged(config: Config) -> None:
    states = all_up(config)
    states["pay", "home"] = state("pay", "home", False)
    active = [incident("i2", "grid", state_=IncidentState.ACKNOWLEDGED, acked=T0 + 120)]
    shape = layout(config)
    counts = department_counts(shape, tile_states(config, states, active, NOW))
    assert counts == {"d0": [1, 0], "d1": [0, 1], "d2": [0, 0]}


def test_incidents_open_first_with_sla_deadlines_in_ms(config: Config) -> None:
    active = [
        incident("minor-open", "pay", severity=Severity.MINOR, opened=T0),
        incident("acked", "grid", state_=IncidentState.ACKNOWLEDGED, acked=T0 + 360, by="张三"),
        incident("critical-open", "gov", opened=T0 + 120, response_breached=True),
        incident("gone", "oa", state_=IncidentState.RESOLVED),
    ]
    views = incident_views(config, active, NOW)
    assert [v.id for v in views] == ["critical-open", "minor-open", "acked"]
    critical, _minor, acked = views
    assert critical.response_due_ms == int((T0 + 120 + 900) * 1000)
    assert critical.resolution_due_ms == int((T0 + 120 + 3600) * 1000)
    assert critical.response_due_text == "00:17"
    assert critical.response_breached
    assert critical.response_took_s is None  # still counting down
    assert (critical.department, critical.category, critical.tier) == ("大数据中心", "服务", 1)
    # Acknowledged: the response clock has stopped at 5 minutes; resolution still runs.
    assert acked.response_took_s == 300.0
    assert acked.response_took_text == "5分00秒"
    assert acked.acknowledged_by == "张三"
    assert acked.resolution_due_ms == int((T0 + 60 + 3600) * 1000)


def test_an_incident_of_an_app_no_longer_configured_still_shows(config: Config) -> None:
    views = incident_views(config, [incident("x", "removed-app")], NOW)
    assert [(v.app_name, v.department, v.tier) for v in views] == [("removed-app", "", 0)]


def test_filters_from_a_bookmarked_query(config: Config) -> None:
    f = Filters.from_query({"dept": "大数据中心", "cat": "服务", "tier": "1"})
    assert f == Filters("大数据中心", "服务", 1)
    assert [a.id for a in config.apps if f.matches(a)] == ["gov"]
    assert Filters.from_query({"tier": "9", "dept": ""}) == Filters()
    assert all(Filters().matches(a) for a in config.apps)
    assert Filters(tier=3).admits("", "办公", 3)
    assert not Filters(category="服务").admits("大数据中心", "办公", 1)


def test_filter_options_come_from_the_config(config: Config) -> None:
    assert filter_options(config) == {
        "departments": ["大数据中心", "政法委"],
        "categories": ["办公", "服务", "治理"],
        "tiers": ["1", "2", "3"],
    }


def test_the_layout_key_changes_with_the_config_only(tmp_path: Path, config: Config) -> None:
    shape = layout(config)
    assert shape.dept_of == {"oa": "d0", "gov": "d0", "pay": "d0", "grid": "d1", "misc": "d2"}
    assert layout(config).key == shape.key
    other = make_config(tmp_path / "b", extra=_app("new", "新应用", "政法委", "治理", 2))
    assert layout(other).key != shape.key
    assert layout(make_config(tmp_path / "c", language="en")).key != shape.key


def test_english_words(tmp_path: Path) -> None:
    config = make_config(tmp_path, language="en")
    states = {("oa", "home"): state("oa", "home", False, changed=T0 + 60)}
    tiles = tile_states(config, states, [], NOW)
    assert tiles["oa"].detail == "Port · status 503"
    assert tiles["oa"].since_text == "since 00:01"
    assert tiles["gov"].detail == "not run yet"
    assert departments(config, layout(config), tiles)[-1].label == "No department"


def snapshot(config: Config, states: dict[tuple[str, str], CheckState],
             active: list[Incident]) -> Snapshot:
    shape = layout(config)
    tiles = tile_states(config, states, active, NOW)
    return Snapshot(config, shape, tiles, count(tiles.values()),
                    department_counts(shape, tiles), incident_views(config, active, NOW),
                    health(config, states, active, started_at=T0, backlog=0, in_flight=0))


def test_the_stream_sends_everything_first_then_only_changes(config: Config) -> None:
    states = all_up(config)
    first = snapshot(config, states, [])
    full = change(None, first)
    assert full is not None
    assert set(full["tiles"]) == {a.id for a in config.apps}
    assert full["layout"] == first.shape.key
    assert full["incidents_n"] == 0
    assert "当前没有进行中的故障" in full["incidents_html"]

    assert change(first, snapshot(config, states, [])) is None  # nothing new: no event

    states["grid", "home"] = state("grid", "home", False)
    active = [incident("i9", "grid")]
    second = snapshot(config, states, active)
    diff = change(first, second)
    assert diff is not None
    assert diff["tiles"] == {"grid": second.tiles["grid"].patch()}
    assert diff["counts"]["down"] == 1
    assert diff["depts"]["d1"] == [1, 0]
    assert diff["incidents_n"] == 1
    assert 'href="/incidents/i9"' in diff["incidents_html"]
    assert f'data-deadline="{int((T0 + 60 + 900) * 1000)}"' in diff["incidents_html"]

    # Acknowledging changes the block (the response countdown stops) and the tile.
    acked = [dataclasses.replace(active[0], state=IncidentState.ACKNOWLEDGED,
                                 acknowledged_at=T0 + 300, acknowledged_by="张三")]
    third = snapshot(config, states, acked)
    diff = change(second, third)
    assert diff is not None
    assert diff["tiles"]["grid"]["s"] == "ack"
    assert 'data-clock="response" data-deadline' not in diff["incidents_html"]
    assert "张三 已响应，用时 4分00秒" in diff["incidents_html"]
