"""Message texts: pure functions of the payload snapshot, zh-CN by default and English."""

from __future__ import annotations

import pytest

from alerting import render
from alerting.model import Event, Incident, IncidentState, Severity
from tests.support.receivers import T_OPENED, sample_delivery, sample_incident

ACKED = sample_incident(state=IncidentState.ACKNOWLEDGED, acknowledged_at=T_OPENED + 125,
                        acknowledged_by="李四", response_breached=False)
RESOLVED = sample_incident(state=IncidentState.RESOLVED, acknowledged_at=T_OPENED + 1200,
                           acknowledged_by="李四", response_breached=True,
                           resolved_at=T_OPENED + 1800, auto_resolved=True)


@pytest.mark.parametrize(
    ("event", "incident", "zh", "en"),
    [
        (Event.OPENED, None, "【严重故障】", "[CRITICAL] "),
        (Event.REMINDER, None, "【严重故障·未确认提醒】", "[CRITICAL · REMINDER] "),
        (Event.ESCALATED, None, "【严重故障·升级】", "[CRITICAL · ESCALATED] "),
        (Event.ACKNOWLEDGED, ACKED, "【已确认】", "[ACKNOWLEDGED] "),
        (Event.RESOLVED, RESOLVED, "【已恢复】", "[RESOLVED] "),
    ],
)
def test_titles(event: Event, incident: Incident | None, zh: str, en: str) -> None:
    payload = sample_delivery(event, incident).payload
    name, summary = "柯桥区协同办公 / 首页", "状态码异常：HTTP 502"
    assert render.title(payload, event, "zh-CN") == f"{zh}{name}：{summary}"
    assert render.title(payload, event, "en") == f"{en}{name}: {summary}"


def test_an_unnamed_check_is_called_by_its_kind_never_by_its_id() -> None:
    payload = sample_delivery(incident=sample_incident(check_name=None)).payload
    assert "柯桥区协同办公 / 网页：" in render.title(payload, Event.OPENED, "zh-CN")
    english = sample_delivery(incident=sample_incident(check_name=None), language="en").payload
    assert "柯桥区协同办公 / Web page: " in render.title(english, Event.OPENED, "en")
    assert dict(render.facts(payload, Event.OPENED, "zh-CN"))["检查项"] == "网页"


def test_severity_labels_and_a_long_summary_keeps_the_title_one_short_line() -> None:
    incident = sample_incident(severity=Severity.MINOR, summary="超时\n" * 200)
    title = render.title(sample_delivery(incident=incident).payload, "incident.opened", "zh-CN")
    assert title.startswith("【一般故障】")
    assert "\n" not in title
    assert len(title) == render.MAX_TITLE_CHARS
    assert title.endswith("…")


def test_opened_rows() -> None:
    rows = dict(render.facts(sample_delivery().payload, "incident.opened", "zh-CN"))
    assert rows == {
        "应用": "柯桥区协同办公（区大数据中心 · 办公协同 · 一级）",
        "检查项": "首页",
        "级别": "严重故障",
        "故障现象": "状态码异常：HTTP 502",
        "首次失败": "2025-11-24 23:59:00",
        "告警时间": "2025-11-25 00:00:00",
        "响应时限": "2025-11-25 00:15:00",
        "恢复时限": "2025-11-25 01:00:00",
        "负责人": "张三",
        "事件编号": "inc-0001",
    }


def test_breached_deadlines_are_marked() -> None:
    incident = sample_incident(response_breached=True)
    rows = dict(render.facts(sample_delivery(Event.REMINDER, incident).payload,
                             "incident.reminder", "en"))
    assert rows["Respond by"] == "2025-11-25 00:15:00 (SLA breached)"
    assert rows["Resolve by"] == "2025-11-25 01:00:00"


def test_acknowledged_rows_say_who_and_how_fast() -> None:
    rows = dict(render.facts(sample_delivery(Event.ACKNOWLEDGED, ACKED).payload,
                             "incident.acknowledged", "zh-CN"))
    assert rows["确认人"] == "李四 · 2025-11-25 00:02:05"
    assert rows["响应用时"] == "2分5秒（达标）"
    assert "响应时限" not in rows
    assert rows["恢复时限"] == "2025-11-25 01:00:00"


def test_resolved_rows_in_english() -> None:
    payload = sample_delivery(Event.RESOLVED, RESOLVED, language="en").payload
    rows = dict(render.facts(payload, "incident.resolved", "en"))
    assert rows["Acknowledged by"] == "李四 · 2025-11-25 00:20:00"
    assert rows["Response time"] == "20m (SLA breached)"
    assert rows["Resolved by"] == "automatic"
    assert rows["Time to resolve"] == "30m (within SLA)"
    assert "Resolve by" not in rows
    assert render.lead(payload, "incident.resolved", "en") == (
        "Checks pass again: resolved automatically.")


@pytest.mark.parametrize(
    ("seconds", "zh", "en"),
    [(0, "0秒", "0s"), (59.6, "1分", "1m"), (3725, "1小时2分", "1h 2m"),
     (90061, "1天1小时", "1d 1h"), (None, "—", "—")],
)
def test_durations(seconds: float | None, zh: str, en: str) -> None:
    assert render.format_duration(seconds, "zh-CN") == zh
    assert render.format_duration(seconds, "en") == en


def test_markdown_carries_the_ack_link_only_when_asked_and_only_for_open_events() -> None:
    opened = sample_delivery().payload
    link = "[立即确认](http://127.0.0.1:8080/ack/inc-0001?sig=abc)"
    assert link in render.markdown(opened, "incident.opened", "zh-CN", with_ack_link=True)
    assert link not in render.markdown(opened, "incident.opened", "zh-CN", with_ack_link=False)
    resolved = sample_delivery(Event.RESOLVED, RESOLVED).payload
    assert render.ack_link(resolved, "incident.resolved") is None
    text = render.markdown(resolved, "incident.resolved", "zh-CN", with_ack_link=True)
    assert "立即确认" not in text
    assert text.startswith("### ✅ 【已恢复】")


def test_digest_lists_every_delivery() -> None:
    items = [(sample_delivery(incident=sample_incident(n, app_name=f"应用{n}")).payload,
              "incident.opened") for n in (1, 2)]
    items.append((sample_delivery(Event.RESOLVED, RESOLVED).payload, "incident.resolved"))
    title, text = render.digest(items, "zh-CN")
    assert title == "3 条告警合并发送"
    lines = [line for line in text.splitlines() if line[:3] in ("1. ", "2. ", "3. ")]
    assert lines[0].startswith("1. 🔴 【严重故障】应用1 / 首页：")
    assert lines[0].endswith("· 11-25 00:00 [确认](http://127.0.0.1:8080/ack/inc-0001?sig=abc)")
    assert lines[2] == "3. ✅ 【已恢复】柯桥区协同办公 / 首页：状态码异常：HTTP 502 · 11-25 00:30"
    assert render.digest(items, "en")[0] == "3 alerts in one message"


def test_html_is_a_complete_escaped_page() -> None:
    payload = sample_delivery(incident=sample_incident(app_name="<b>OA</b>")).payload
    page = render.html(payload, "incident.opened", "zh-CN")
    assert page.startswith("<!DOCTYPE html>")
    assert page.rstrip().endswith("</html>")
    assert "&lt;b&gt;OA&lt;/b&gt;" in page
    assert "<b>OA</b>" not in page
    assert '<html lang="zh-CN">' in page
    assert "立即确认" in page


def test_cut_utf8_stays_on_character_and_line_boundaries() -> None:
    text = "\n".join(f"第{n}行：故障内容" for n in range(100))
    cut = render.cut_utf8(text, 500, "zh-CN")
    assert len(cut.encode()) <= 500
    assert cut.endswith("\n\n……（内容过长，已截断）")
    assert cut.split("\n\n……")[0].splitlines()[-1].endswith("故障内容")  # a whole last line
    assert render.cut_utf8("短", 500, "zh-CN") == "短"
    assert render.cut_utf8("长" * 50, 10, "en") == "长长长"  # no room for the note: just fit


def test_a_warning_says_so_and_carries_no_deadlines() -> None:
    incident = sample_incident(kind="warning", summary="证书即将过期：10 天后到期")
    payload = sample_delivery(Event.OPENED, incident).payload
    assert render.title(payload, Event.OPENED, "zh-CN").startswith("【预警】")
    assert "不计响应和解决时限" in render.lead(payload, Event.OPENED, "zh-CN")
    rows = dict(render.facts(payload, Event.OPENED, "zh-CN"))
    assert "响应时限" not in rows
    assert "恢复时限" not in rows
    assert rows["级别"] == "预警"  # not 严重故障: nothing has failed yet


def test_the_monitors_own_outage_and_a_flapping_reminder_say_what_they_are() -> None:
    monitor = sample_incident(kind="monitor", summary="tcp://192.0.2.53:53: 连接超时")
    payload = sample_delivery(Event.OPENED, monitor).payload
    assert render.title(payload, Event.OPENED, "zh-CN").startswith("【监测中断】")
    assert "不开故障单、不计入可用率" in render.lead(payload, Event.OPENED, "zh-CN")
    flapping = sample_incident(flapping=True)
    payload = sample_delivery(Event.REMINDER, flapping).payload
    assert render.lead(payload, Event.REMINDER, "zh-CN").startswith("仍不稳定")


@pytest.mark.parametrize(
    ("event", "incident"),
    [(Event.OPENED, None), (Event.REMINDER, None), (Event.ESCALATED, None),
     (Event.ACKNOWLEDGED, ACKED), (Event.RESOLVED, RESOLVED)],
)
def test_every_incident_message_links_its_console_page(
    event: Event, incident: Incident | None
) -> None:
    payload = sample_delivery(event, incident).payload
    page = "http://127.0.0.1:8080/incidents/inc-0001"
    for ack in (True, False):
        assert f"[查看详情]({page})" in render.markdown(payload, event, "zh-CN",
                                                         with_ack_link=ack)
    assert f"查看详情：{page}" in render.plain(payload, event, "zh-CN")
    assert f'<a href="{page}">Details</a>' in render.html(payload, event, "en")
