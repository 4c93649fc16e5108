"""Correlated outages (大面积故障) in the reports: a month with one family of five apps'
outages (and two ordinary incidents), written through the real alert store into an empty data
directory of its own, and both reports built and rendered from it.

The monthly totals count the family once while each app's row counts its own incident; the
parent is no app and carries no SLA figures. The analysis report of the parent lists its apps;
a child's names its parent.
"""

from __future__ import annotations

import json
import textwrap
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from alerting.model import (
    ChildRef,
    Entry,
    Incident,
    IncidentKind,
    IncidentState,
    Severity,
    TimelineEntry,
)
from alerting.store import AlertStore, Changes
from monitor.config import load_config
from monitor.core.config.model import Config
from monitor.ledger import SqliteLedger, Tuning
from monitor.reports import build_incident_report, build_monthly, incident_report_json, to_json
from monitor.reports.render import render_incident_html, render_monthly_html
from tests.reports.synthetic import MONTH, NOW, local

APPS = [f"app{n}" for n in range(1, 7)]  # app1..app5 fail together; app6 alone
PARENT = "20261110100000-correlated"
EVIL = "<script>x</script>"  # an app's name is data: escaped on every page


def config_yaml(data_dir: Path) -> str:
    apps = "".join(f"""
          - id: "{app}"
            name: "应用{n}{EVIL if app == 'app3' else ''}"
            department: "部门{n % 2}"
            category: "类别"
            tier: 2
            checks:
              - {{ id: "home", kind: "http", url: "https://{app}.example.org/" }}
""" for n, app in enumerate(APPS, 1))
    return textwrap.dedent(f"""\
        service:
          data_dir: "{data_dir}"
          timezone: "Asia/Shanghai"
        sla:
          response: "15m"
          resolution: "1h"
        apps:""") + apps


def _incident(ident: str, app: str, opened: float, *, parent: str | None = None,
              ack_after: float | None = 300, resolve_after: float | None = 1800,
              severity: Severity = Severity.MAJOR) -> Incident:
    timeline = [TimelineEntry(opened - 60, Entry.FIRST_FAILURE),
                TimelineEntry(opened, Entry.OPENED)]
    if parent:
        timeline.append(TimelineEntry(opened + 30, Entry.CORRELATED, note=parent))
    return Incident(
        id=ident, app_id=app, app_name=app, check_id="home", severity=severity,
        state=IncidentState.RESOLVED if resolve_after is not None else IncidentState.OPEN,
        summary=f"{app}: HTTP 502", started_at=opened - 60, opened_at=opened,
        acknowledged_at=None if ack_after is None else opened + ack_after,
        acknowledged_by=None if ack_after is None else "值班员",
        resolved_at=None if resolve_after is None else opened + resolve_after,
        auto_resolved=resolve_after is not None, check_kind="http", parent_id=parent,
        timeline=tuple(timeline))


def incidents() -> list[Incident]:
    start = local(11, 10, 10)
    children = [_incident(f"c{n}", app, start + 20 * n, parent=PARENT,
                          severity=Severity.CRITICAL if app == "app2" else Severity.MAJOR)
                for n, app in enumerate(APPS[:5], 1)]
    parent = Incident(
        id=PARENT, app_id="_correlated", app_name="_correlated", check_id="correlated",
        severity=Severity.CRITICAL, state=IncidentState.RESOLVED, summary="机房网络中断",
        started_at=start - 40, opened_at=start + 60, resolved_at=start + 2000,
        kind=IncidentKind.CORRELATED,  # never acknowledged: it has no clocks to breach
        children=tuple(ChildRef(c.id, c.app_id, c.app_name, c.check_id, c.summary,
                                c.started_at, check_kind="http") for c in children),
        timeline=(TimelineEntry(start + 60, Entry.OPENED),
                  TimelineEntry(start + 100, Entry.JOINED, note="3")))
    return [*children, parent,
            _incident("solo1", "app1", local(11, 20, 9)),
            _incident("solo6", "app6", local(11, 21, 9))]


@dataclass
class Month:
    config: Config
    ledger: SqliteLedger
    store: AlertStore


@pytest.fixture
async def month(tmp_path: Path) -> AsyncIterator[Month]:
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    path = tmp_path / "config.yaml"
    path.write_text(config_yaml(data_dir), encoding="utf-8")
    config = load_config(path)
    ledger = await SqliteLedger.open(data_dir, raw_retention_s=365 * 86400.0,
                                     tuning=Tuning(prune_interval_s=None))
    store = await AlertStore.open(data_dir)
    await store.apply(Changes(incidents=incidents()))
    try:
        yield Month(config, ledger, store)
    finally:
        await store.close()
        await ledger.close()


async def test_monthly_counts_the_family_once_and_each_app_in_its_row(month: Month) -> None:
    report = await build_monthly(month.config, month.ledger, month.store, MONTH, NOW)
    rows = {a.id: a.incidents.count for a in report.apps}
    assert rows == {"app1": 2, "app2": 1, "app3": 1, "app4": 1, "app5": 1, "app6": 1}
    assert "_correlated" not in rows
    assert report.totals.events == 3  # the family, solo1, solo6
    assert report.totals.incidents.count == 7  # the apps' incidents, each with its clocks
    # SLA figures: the apps' seven incidents, all within; the parent (never acknowledged)
    # would have been a breach had it counted.
    figures = report.totals.incidents
    assert (figures.response_within, figures.response_breaches) == (7, 0)
    assert (figures.resolution_within, figures.resolution_breaches) == (7, 0)
    assert [(c.key, c.count) for c in report.incidents_by_severity] == [
        ("critical", 1), ("major", 2), ("minor", 0)]  # the family at its worst app's
    [family] = report.correlated
    assert (family.id, family.apps, family.incidents) == (
        PARENT, tuple(APPS[:5]), ("c1", "c2", "c3", "c4", "c5"))
    assert (family.summary, family.state, family.severity) == ("机房网络中断", "resolved",
                                                               "critical")
    assert PARENT not in [line.id for line in report.incidents]
    assert "只算一次" in {m.key: m.text for m in report.methods}["correlated"]

    body = json.loads(json.dumps(to_json(report), ensure_ascii=False))
    assert body["totals"]["incidents"] == 3
    assert list(body["totals"]) == ["availability_pct", "incidents", "mtta_seconds",
                                    "mttr_seconds", "response_within_sla_pct",
                                    "resolution_within_sla_pct"]
    assert body["totals"]["response_within_sla_pct"] == 100.0
    assert {a["id"]: a["incidents"] for a in body["apps"]} == rows
    assert body["summary"]["incident_figures"]["count"] == 7
    assert [c["id"] for c in body["correlated_events"]] == [PARENT]
    assert body["correlated_events"][0]["apps"] == APPS[:5]
    assert [line["parent_id"] for line in body["incident_list"]][:5] == [PARENT] * 5


async def test_monthly_page_shows_the_family_once(month: Month) -> None:
    report = await build_monthly(month.config, month.ledger, month.store, MONTH, NOW)
    page = render_monthly_html(report)
    assert page.count(f'data-correlated="{PARENT}"') == 1
    assert 'data-apps="5"' in page
    assert "大面积故障 · 5 个应用" in page
    assert page.count(f'data-parent="{PARENT}"') == 5  # its apps' incidents under it
    assert '<div class="big" data-value="3">3</div>' in page  # the incidents card: events
    assert "含大面积故障 1 起（5 个应用故障）" in page
    assert 'data-method="correlated"' in page
    assert EVIL not in page
    assert "&lt;script&gt;x&lt;/script&gt;" in page


async def test_parent_analysis_lists_its_apps(month: Month) -> None:
    report = await build_incident_report(month.config, month.ledger, month.store, PARENT, NOW)
    assert report is not None
    assert report.is_correlated
    assert [c.id for c in report.children] == ["c1", "c2", "c3", "c4", "c5"]
    first = report.children[0]
    assert (first.app_id, first.state, first.outage_seconds, first.ongoing) == (
        "app1", "resolved", 1860.0, False)
    assert report.impact.apps == tuple(APPS[:5])
    assert not set(report.impact.related_incidents) & {c.id for c in report.children}
    assert [(e.app_id, e.check_id) for e in report.checks] == [(a, "home") for a in APPS[:5]]
    assert "correlated" in {m.key for m in report.methods}

    page = render_incident_html(report)
    assert "大面积故障 · 5 个应用" in page
    for child in report.children:
        assert f'<tr data-child="{child.id}">' in page
    assert "data-no-sla" in page
    assert 'data-sla="response"' not in page
    assert "更多应用并入" in page  # the joined entry, in words
    assert EVIL not in page
    assert "应用3&lt;script&gt;" in page

    body = json.loads(json.dumps(incident_report_json(report), ensure_ascii=False))
    assert [c["app_id"] for c in body["family"]["children"]] == APPS[:5]
    assert body["family"]["children"][0]["state"] == "resolved"
    assert body["family"]["parent"] is None
    assert body["checks"][0]["app_id"] == "app1"


async def test_child_analysis_names_its_parent(month: Month) -> None:
    report = await build_incident_report(month.config, month.ledger, month.store, "c3", NOW)
    assert report is not None
    assert report.parent is not None
    assert (report.parent.id, report.parent.summary, report.parent.apps) == (
        PARENT, "机房网络中断", 5)
    assert PARENT not in report.impact.related_incidents
    page = render_incident_html(report)
    assert f'data-parent="{PARENT}"' in page
    assert "属于大面积故障" in page
    assert "并入大面积故障" in page  # the correlated entry, in words
    assert 'data-sla="response"' in page  # a child keeps its own clocks
    body = json.loads(json.dumps(incident_report_json(report), ensure_ascii=False))
    assert body["family"]["parent"]["id"] == PARENT
    assert body["family"]["children"] == []
