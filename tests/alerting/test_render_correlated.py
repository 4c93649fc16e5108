"""Correlated outages (大面积故障) and reopened incidents in every format, and on a robot."""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator

import aiohttp
import pytest

from alerting import render
from alerting.delivery import Recipients, SendContext
from alerting.model import Entry, Event, IncidentState, TimelineEntry
from alerting.notifiers.dingtalk import DingTalkChannel, DingTalkSpec
from monitor.core.fields import Secret, SecretUrl
from tests.support.clocks import StepClock
from tests.support.receivers import (
    T_OPENED,
    DingTalkRobot,
    sample_delivery,
    sample_incident,
    sample_parent,
)

pytestmark = pytest.mark.filterwarnings(
    "error::pytest.PytestUnraisableExceptionWarning", "error::ResourceWarning"
)

ZH, EN = "zh-CN", "en"
OPENED = Event.OPENED.value


def test_a_parent_says_how_many_apps_and_to_look_for_one_cause() -> None:
    payload = sample_delivery(incident=sample_parent(26)).payload
    assert render.title(payload, OPENED, ZH) == "【大面积故障】26 个应用同时故障"
    assert render.title(payload, OPENED, EN) == "[WIDESPREAD OUTAGE] 26 apps failing at once"
    assert "可能是同一原因" in render.lead(payload, OPENED, ZH)
    assert "全部 26 个应用" in render.lead(payload, OPENED, ZH)
    rows = dict(render.facts(payload, OPENED, ZH))
    assert rows["涉及应用"] == "26 个"
    assert rows["首次失败"] == "2025-11-24 23:58:01"  # the earliest child
    assert rows["响应时限"] == "2025-11-25 00:15:00"
    assert rows["事件编号"] == "inc-0900"
    assert "应用" not in rows  # no app of its own ...
    assert "负责人" not in rows  # ... and no owner


def test_a_parent_lists_every_child_with_check_summary_and_since() -> None:
    payload = sample_delivery(incident=sample_parent(26)).payload
    text = render.markdown(payload, OPENED, ZH, with_ack_link=True)
    assert "**故障应用（26 个）**" in text
    assert "- 应用001 / 首页：连接超时（自 23:58:01）" in text
    assert all(f"- 应用{k:03d} / 首页：" in text for k in range(1, 27))
    assert "[查看详情](http://127.0.0.1:8080/incidents/inc-0900)" in text
    plain = render.plain(payload, OPENED, EN)
    assert "- 应用026 / 首页: 连接超时 (since 23:58:26)" in plain
    page = render.html(payload, OPENED, ZH)
    assert page.count("<li>") == 26
    assert "<li>应用013 / 首页：连接超时（自 23:58:13）</li>" in page


def test_two_checks_of_one_app_count_as_one_app() -> None:
    parent = sample_parent(3)
    twin = dataclasses.replace(parent.children[0], id="inc-0999", check_id="login",
                               check_name="登录")
    payload = sample_delivery(incident=dataclasses.replace(
        parent, children=(*parent.children, twin))).payload
    assert render.title(payload, OPENED, ZH) == "【大面积故障】3 个应用同时故障"
    assert "- 应用001 / 登录：" in render.markdown(payload, OPENED, ZH, with_ack_link=False)


def test_joined_names_the_newcomers_and_the_total() -> None:
    delivery = sample_delivery(Event.JOINED, sample_parent(30),
                               joined=["inc-0929", "inc-0930"])
    payload = delivery.payload
    assert render.title(payload, delivery.event, ZH) == (
        "【大面积故障·新增】2 个应用加入（共 30 个）")
    assert render.title(payload, delivery.event, EN) == (
        "[WIDESPREAD OUTAGE · MORE APPS] 2 more apps (now 30)")
    text = render.markdown(payload, delivery.event, ZH, with_ack_link=True)
    assert "**新加入的应用（2 个）**" in text
    assert "- 应用029 / 首页" in text
    assert "- 应用030 / 首页" in text
    assert "应用028" not in text
    assert "又有 2 个应用" in render.lead(payload, delivery.event, ZH)
    assert render.ack_link(payload, delivery.event) == (
        "http://127.0.0.1:8080/ack/inc-0900?sig=abc")


def test_acknowledging_or_resolving_a_parent_covers_all_its_apps() -> None:
    acked = sample_parent(26, state=IncidentState.ACKNOWLEDGED,
                          acknowledged_at=T_OPENED + 300, acknowledged_by="李四")
    payload = sample_delivery(Event.ACKNOWLEDGED, acked).payload
    assert render.title(payload, Event.ACKNOWLEDGED, ZH) == "【已确认】大面积故障（26 个应用）"
    assert render.lead(payload, Event.ACKNOWLEDGED, ZH) == (
        "李四 已确认，全部 26 个应用的故障一并确认，正在处理。")
    resolved = dataclasses.replace(acked, state=IncidentState.RESOLVED,
                                   resolved_at=T_OPENED + 900, auto_resolved=True)
    payload = sample_delivery(Event.RESOLVED, resolved).payload
    assert render.lead(payload, Event.RESOLVED, ZH) == "全部 26 个应用已恢复。"
    assert render.lead(payload, Event.RESOLVED, EN) == "All 26 apps are back."
    assert dict(render.facts(payload, Event.RESOLVED, ZH))["故障时长"] == "15分（达标）"


def test_a_digest_names_every_app_of_a_parent() -> None:
    parent = sample_delivery(incident=sample_parent(200)).payload
    items = [(parent, OPENED), (sample_delivery().payload, OPENED)]
    title, text = render.digest(items, ZH)
    assert title == "2 条告警合并发送"
    assert all(f"应用{k:03d}" in text for k in range(1, 201))
    assert "   涉及：应用001、应用002、" in text
    assert "2. 🔴 【严重故障】柯桥区协同办公 / 首页：" in text


def reopened(count: int = 1, *, with_time: bool = True) -> dict[str, object]:
    incident = sample_incident(reopen_count=count, timeline=(
        (TimelineEntry(T_OPENED + 3600, Entry.REOPENED),) if with_time else ()))
    return sample_delivery(incident=incident, step=f"reopen-{count}").payload


def test_a_reopen_says_failed_again_with_both_times() -> None:
    payload = reopened(1)
    assert render.title(payload, OPENED, ZH).startswith(
        "【严重故障·再次故障（第 2 次）】柯桥区协同办公")
    assert render.title(payload, OPENED, EN).startswith(
        "[CRITICAL · Failed again (failure 2)] 柯桥区协同办公")
    assert render.lead(payload, OPENED, ZH).startswith("再次故障（第 2 次）：")
    assert render.lead(payload, OPENED, EN).startswith("Failed again (failure 2): ")
    rows = dict(render.facts(payload, OPENED, ZH))
    assert rows["首次失败"] == "2025-11-24 23:59:00"
    assert rows["再次失败"] == "2025-11-25 01:00:00"
    assert "再次故障（第 4 次）" in render.title(reopened(3), OPENED, ZH)


def test_an_old_reopen_snapshot_without_its_time_still_reads_failed_again() -> None:
    payload = reopened(2, with_time=False)
    assert payload["incident"]["reopened_at"] is None
    assert "再次故障（第 3 次）" in render.title(payload, OPENED, ZH)
    assert "再次失败" not in dict(render.facts(payload, OPENED, ZH))
    # A reminder of a reopened incident is an ordinary reminder.
    assert "再次故障" not in render.title(payload, Event.REMINDER, ZH)


# ---- on a robot ------------------------------------------------------------------------------

@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


async def test_200_apps_fit_one_robot_message_every_app_named(
    http: aiohttp.ClientSession,
) -> None:
    clock = StepClock()
    parent = sample_parent(200)
    # Long names: the list must still fit, names only, every one of them.
    parent = dataclasses.replace(parent, children=tuple(
        dataclasses.replace(kid, app_name=f"柯桥区{kid.app_name}便民服务系统",
                            summary="接口返回异常内容" * 20) for kid in parent.children))
    delivery = sample_delivery(incident=parent, recipients=Recipients(at_mobiles=("13800000000",)))
    async with DingTalkRobot(clock=clock) as robot:
        spec = DingTalkSpec(url=SecretUrl(robot.url), secret=Secret(robot.secret or ""))
        ctx = SendContext(http=http, clock=clock, language=ZH, timeout_s=2.0)
        [outcome] = await DingTalkChannel(spec).deliver([delivery], ctx)
    assert outcome.ok
    assert len(robot.raw[0]) < 20_000
    body = robot.messages[0]
    text = body["markdown"]["text"]
    assert "已截断" not in text
    assert all(f"柯桥区应用{k:03d}便民服务系统" in text for k in range(1, 201))
    assert "**故障应用（200 个）**" in text
    assert text.endswith("@13800000000")
    assert body["markdown"]["title"] == "【大面积故障】200 个应用同时故障"
