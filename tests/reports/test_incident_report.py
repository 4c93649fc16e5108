"""The analysis report of incident A (kq-oa/home, 11-05 10:00-12:03) of the synthetic month."""

from __future__ import annotations

import json

import pytest

from alerting.model import Entry, TimelineEntry
from alerting.store import AlertStore
from monitor.core.config.model import Config
from monitor.ledger import SqliteLedger
from monitor.reports import IncidentReport, build_incident_report, incident_report_json
from monitor.reports.incident.build import _timeline
from monitor.reports.render import render_incident_html
from tests.reports.synthetic import NOW, local
from tests.reports.synthetic_alerts import A_ID, A_OPENED
from tests.support.receivers import sample_incident


@pytest.fixture
async def report(config: Config, ledger: SqliteLedger, store: AlertStore) -> IncidentReport:
    built = await build_incident_report(config, ledger, store, A_ID, NOW)
    assert built is not None
    return built


async def test_unknown_id(config: Config, ledger: SqliteLedger, store: AlertStore) -> None:
    assert await build_incident_report(config, ledger, store, "no-such-id", NOW) is None


def test_basic_information(report: IncidentReport) -> None:
    basic = report.basic
    assert (basic.app_id, basic.app_name, basic.check_id, basic.check_kind) == (
        "kq-oa", "柯桥区协同办公", "home", "http")
    assert (basic.department, basic.tier, basic.owner_name) == ("区大数据中心", 1, "张三")
    assert (basic.severity, basic.state) == ("critical", "resolved")
    assert basic.address == "10.8.0.21"
    assert basic.handlers.acknowledged_by == "李四"
    assert basic.handlers.resolved_by == "李四"
    assert basic.handlers.note_authors == ("李四", "王五", "赵六")


def test_timeline_order_and_notifications(report: IncidentReport) -> None:
    types = [item.type for item in report.timeline]
    assert types == [
        "first_failure", "opened", "notified", "notified", "notify_failed", "acknowledged",
        "notified", "note", "note", "resolution_breached", "note", "note", "note", "resolved",
        "notified", "report",
    ]
    times = [item.at for item in report.timeline]
    assert times == sorted(times)
    sent = [i for i in report.timeline if i.type == "notified"]
    assert [(i.notifier_id, i.event, i.at - A_OPENED) for i in sent] == [
        ("oncall-robot", "incident.opened", 2), ("ops-mail", "incident.opened", 5),
        ("oncall-robot", "incident.acknowledged", 302),
        ("oncall-robot", "incident.resolved", 7082)]
    assert sent[0].recipients == ("13800000001",)
    assert (sent[1].target, sent[1].recipients) == ("ops-mail:owner", ("owner@example.org",))
    [failed] = [i for i in report.timeline if i.type == "notify_failed"]
    assert (failed.notifier_id, failed.delivery_state, failed.at) == (
        "ops-hook", "expired", A_OPENED + 30)
    assert report.timeline[-1].at == NOW


def test_durations_and_sla(report: IncidentReport) -> None:
    d = report.durations
    assert (d.started_at, d.opened_at) == (local(11, 5, 10), A_OPENED)
    assert (d.detection_seconds, d.response_seconds, d.resolution_seconds) == (300, 300, 7080)
    assert d.outage_seconds == 7380
    assert not d.ongoing
    assert (report.response.outcome, report.response.limit_seconds) == ("within", 900)
    assert (report.resolution.outcome, report.resolution.due_at) == ("breached",
                                                                      A_OPENED + 3600)


def test_failing_check_evidence(report: IncidentReport) -> None:
    [home] = report.checks  # kq-oa/port did not fail in the window
    assert home.check_id == "home"
    assert (home.window_start, home.window_end) == (local(11, 5, 9, 50), local(11, 5, 12, 13))
    # runs every 5 min on the hour marks: 09:50 .. 12:10 is 29 runs, 10:00 .. 11:55 failed
    assert (home.results, home.failures) == (29, 24)
    assert [(c.key, c.count) for c in home.error_kinds] == [("status", 24)]
    assert (home.first_error_at, home.last_error_at) == (local(11, 5, 10), local(11, 5, 11, 55))
    assert home.first_error == "status: HTTP 503"
    assert len(home.minutes) == 29
    assert sum(m.failures for m in home.minutes) == 24
    assert all((m.latency_mean_ms is None) == (m.failures == 1) for m in home.minutes)
    assert report.raw_available
    assert not home.truncated


def test_impact(report: IncidentReport) -> None:
    # f (old-app, 10:25 - 10:32) overlaps A (10:00 - 12:03) but is another app's outage: it is
    # not A's impact (it stays listed as overlapping, for the record), and apps are named.
    assert report.impact.apps == ("kq-oa",)
    assert report.impact.app_names == ("柯桥区协同办公",)
    assert report.impact.related_incidents == ("f",)
    assert report.impact.duration_seconds == 7380
    assert report.impact.users is None


def test_notes_are_routed_to_sections(report: IncidentReport) -> None:
    a = report.analysis
    assert [n.text for n in a.direct_cause] == ["数据库连接池耗尽", "数据库连接池耗尽，重启后恢复"]
    assert [n.text for n in a.root_cause] == ["连接泄漏未释放\n未关闭的游标导致"]
    assert [(x.what, x.owner, x.deadline, x.deadline_valid, x.by) for x in a.actions] == [
        ("修复连接泄漏", "张三", "2026-12-15", True, "王五"),
        ("add pool metrics", "Li Si", "2026-13-01", False, "王五"),
    ]
    assert [(n.text, n.by) for n in a.lessons] == [("watch the pool", "王五"),
                                                  ("连接池需要监控", "赵六")]
    assert [n.text for n in a.steps] == ["收到，处理中", "已重启应用服务器，观察中", "重启后恢复"]


async def test_auto_resolved_incident_without_notes(
    config: Config, ledger: SqliteLedger, store: AlertStore
) -> None:
    report = await build_incident_report(config, ledger, store, "c", NOW)
    assert report is not None
    assert report.impact.related_incidents == ()
    assert report.analysis.direct_cause == ()
    assert report.analysis.steps == ()
    assert report.basic.handlers == type(report.basic.handlers)(None, None, ())
    assert [c.check_id for c in report.checks] == ["home"]
    assert [(k.key, k.count) for k in report.checks[0].error_kinds] == [("timeout", 192)]


async def test_open_incident(config: Config, ledger: SqliteLedger, store: AlertStore) -> None:
    report = await build_incident_report(config, ledger, store, "g", NOW)
    assert report is not None
    assert report.durations.ongoing
    assert report.durations.outage_seconds == NOW - report.incident.started_at
    assert (report.response.outcome, report.resolution.outcome) == ("breached", "breached")


def test_json_form(report: IncidentReport) -> None:
    body = json.loads(json.dumps(incident_report_json(report), ensure_ascii=False))
    assert list(body) == ["generated_at", "incident", "basic", "timeline", "durations", "sla",
                          "raw_available", "checks", "impact", "analysis", "methods", "family"]
    assert body["incident"]["id"] == A_ID
    assert body["incident"]["timeline"][0]["type"] == "first_failure"  # the API's own form
    assert body["timeline"][2] == {
        "at": "2026-11-05T10:05:02+08:00", "type": "notified", "notifier_id": "oncall-robot",
        "event": "incident.opened", "target": "oncall-robot", "delivery_state": "sent",
        "recipients": ["13800000001"]}
    assert body["sla"]["resolution"]["outcome"] == "breached"
    assert body["analysis"]["actions"][0] == {
        "what": "修复连接泄漏", "owner": "张三", "deadline": "2026-12-15", "deadline_valid": True,
        "at": "2026-11-05T11:06:40+08:00", "by": "王五"}
    assert body["checks"][0]["error_kinds"] == {"status": 24}
    assert body["impact"] == {"apps": ["kq-oa"], "app_names": ["柯桥区协同办公"],
                              "related_incidents": ["f"], "duration_seconds": 7380.0,
                              "users": None}


def test_the_impact_section_names_the_app_not_ids_of_others(report: IncidentReport) -> None:
    html = render_incident_html(report)
    section = html[html.index('id="impact"'):]
    section = section[:section.index("</section>")]
    assert "柯桥区协同办公" in section
    assert "old-app" not in section


def test_a_mitigation_note_is_a_timeline_line() -> None:
    incident = sample_incident(timeline=(
        TimelineEntry(100.0, Entry.OPENED),
        TimelineEntry(200.0, Entry.NOTE, by="李四", note="已缓解：切换到备用线路"),
        TimelineEntry(300.0, Entry.NOTE, by="李四", note="根本原因：证书过期"),
    ))
    types = [item.type for item in _timeline(incident, [], 400.0)]
    assert types == ["opened", "mitigated", "note", "report"]
