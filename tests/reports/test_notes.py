"""The note convention (monitor/reports/notes.py) and how the analysis routes notes."""

from __future__ import annotations

import pytest

from alerting.engine import acknowledge, add_note, resolve
from alerting.model import Entry, Incident, IncidentState, Severity, TimelineEntry
from monitor.reports.incident.analysis import analyse
from monitor.reports.incident.notes import NotePart, parse_action, split_note
from tests.reports.synthetic_alerts import POLICY


@pytest.mark.parametrize(("note", "parts"), [
    ("重启了服务", [NotePart(None, "重启了服务")]),
    ("直接原因: 磁盘满", [NotePart("direct_cause", "磁盘满")]),
    ("直接原因：磁盘满", [NotePart("direct_cause", "磁盘满")]),  # full-width colon
    ("Root Cause: log rotation off", [NotePart("root_cause", "log rotation off")]),
    ("先扩容\n经验: 加磁盘告警\n并定期巡检", [NotePart(None, "先扩容"),
                                              NotePart("lessons", "加磁盘告警\n并定期巡检")]),
    ("整改: 开启日志轮转; 负责人: 张三; 期限: 2026-12-01", [
        NotePart("action", "开启日志轮转; 负责人: 张三; 期限: 2026-12-01")]),
    ("直接原因:", []),  # an empty section is dropped
    ("原因分析: 见上", [NotePart(None, "原因分析: 见上")]),  # not a known prefix
])
def test_split_note(note: str, parts: list[NotePart]) -> None:
    assert split_note(note) == parts


def test_parse_action() -> None:
    action = parse_action("开启日志轮转； 负责人：张三； 期限：2026-12-01")
    assert (action.what, action.owner, action.deadline, action.deadline_valid) == (
        "开启日志轮转", "张三", "2026-12-01", True)
    bare = parse_action("升级数据库")
    assert (bare.what, bare.owner, bare.deadline, bare.deadline_valid) == (
        "升级数据库", None, None, False)
    odd = parse_action("deadline: next week; fix it; owner: ops")
    assert (odd.what, odd.owner, odd.deadline, odd.deadline_valid) == (
        "fix it", "ops", "next week", False)


def incident() -> Incident:
    return Incident(id="x", app_id="a", app_name="A", check_id="c", severity=Severity.MINOR,
                    state=IncidentState.OPEN, summary="s", started_at=0.0, opened_at=60.0,
                    timeline=(TimelineEntry(0.0, Entry.FIRST_FAILURE),))


def test_a_resolve_without_note_reads_its_cause_once() -> None:
    inc, _ = resolve(incident(), by="ops", cause="根本原因: 配置错误\n误删路由", note=None,
                     now=600.0, policy=POLICY)
    analysis = analyse(inc)
    assert [n.text for n in analysis.root_cause] == ["配置错误\n误删路由"]
    assert analysis.direct_cause == ()
    assert analysis.steps == ()


def test_plain_cause_is_the_direct_cause_and_notes_keep_time_order() -> None:
    inc, _ = acknowledge(incident(), "ops", "direct cause: disk full", 100.0, POLICY)
    inc, _ = add_note(inc, "dba", "cleaned /var/log", 200.0)
    inc, _ = resolve(inc, by="ops", cause="disk full", note="done", now=300.0, policy=POLICY)
    analysis = analyse(inc)
    assert [(n.text, n.at) for n in analysis.direct_cause] == [("disk full", 100.0),
                                                               ("disk full", 300.0)]
    assert [n.text for n in analysis.steps] == ["cleaned /var/log", "done"]
