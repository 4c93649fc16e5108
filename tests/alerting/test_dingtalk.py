"""The DingTalk robot channel against a local robot that checks signatures as DingTalk does."""

from __future__ import annotations

import dataclasses
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from structlog.testing import capture_logs

from alerting.delivery import Delivery, Recipients, SendContext
from alerting.model import Event, IncidentState
from alerting.notifiers import dingtalk
from alerting.notifiers.dingtalk import DingTalkChannel, DingTalkSpec
from alerting.notifiers.registry import NOTIFIER_KINDS, build_channel
from monitor.config import load_config
from monitor.core.config.model import NotifierConfig
from monitor.core.fields import Secret, SecretUrl
from tests.support.clocks import StepClock
from tests.support.http_servers import closed_port
from tests.support.receivers import (
    T_OPENED,
    DingTalkRobot,
    sample_delivery,
    sample_incident,
)

pytestmark = pytest.mark.filterwarnings(
    "error::pytest.PytestUnraisableExceptionWarning", "error::ResourceWarning"
)

OWNER = "13800000000"
ON_CALL = "13900000001"
ACK = "http://127.0.0.1:8080/ack/inc-0001?sig=abc"


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


@pytest.fixture
def clock() -> StepClock:
    return StepClock()


@pytest.fixture
async def robot(clock: StepClock) -> AsyncIterator[DingTalkRobot]:
    async with DingTalkRobot(clock=clock) as server:
        yield server


def spec_for(robot: DingTalkRobot, **changes: Any) -> DingTalkSpec:
    spec = DingTalkSpec(url=SecretUrl(robot.url), secret=Secret(robot.secret or ""),
                        at_mobiles=(ON_CALL, OWNER))
    return dataclasses.replace(spec, **changes)


def ctx_for(http: aiohttp.ClientSession, clock: StepClock, timeout_s: float = 2.0) -> SendContext:
    return SendContext(http=http, clock=clock, language="zh-CN", timeout_s=timeout_s)


def many(count: int, start: int = 1) -> list[Delivery]:
    return [sample_delivery(incident=sample_incident(n, app_name=f"应用{n:02d}"))
            for n in range(start, start + count)]


DETAILS = "http://127.0.0.1:8080/incidents/inc-0001"


async def test_opened_with_someone_to_ring_is_markdown_with_mentions_and_links(
    http: aiohttp.ClientSession, clock: StepClock, robot: DingTalkRobot
) -> None:
    delivery = sample_delivery(recipients=Recipients(at_mobiles=(OWNER,)))
    channel = DingTalkChannel(spec_for(robot))

    [outcome] = await channel.deliver([delivery], ctx_for(http, clock))

    assert (outcome.delivery_id, outcome.ok, outcome.status) == (delivery.id, True, "0")
    assert robot.errors == []  # the robot recomputed the signature and it matched
    [body] = robot.messages
    # DingTalk rings @-mentions in markdown (and text) only, never in an actionCard.
    assert body["msgtype"] == "markdown"
    message = body["markdown"]
    assert message["title"] == "【严重故障】柯桥区协同办公 / 首页：状态码异常：HTTP 502"
    text = message["text"]
    for fact in ("柯桥区协同办公", "区大数据中心", "**检查项**：首页", "严重故障", "状态码异常",
                 "首次失败**：2025-11-24 23:59:00", "告警时间**：2025-11-25 00:00:00",
                 "响应时限**：2025-11-25 00:15:00", "恢复时限**：2025-11-25 01:00:00", "张三"):
        assert fact in text, fact
    assert f"👉 [立即确认]({ACK})" in text
    assert f"[查看详情]({DETAILS})" in text
    assert text.endswith(f"@{OWNER} @{ON_CALL}")  # the mobiles in the text...
    assert body["at"] == {"atMobiles": [OWNER, ON_CALL], "isAtAll": False}  # ...and in `at`


@pytest.mark.parametrize("event", [Event.OPENED, Event.ESCALATED, Event.REMINDER])
async def test_every_alert_needing_action_rings_the_mentioned_phones(
    http: aiohttp.ClientSession, clock: StepClock, robot: DingTalkRobot, event: Event
) -> None:
    [outcome] = await DingTalkChannel(spec_for(robot, at_mobiles=(ON_CALL,))).deliver(
        [sample_delivery(event)], ctx_for(http, clock))
    assert outcome.ok
    [body] = robot.messages
    assert body["msgtype"] == "markdown"
    assert body["at"]["atMobiles"] == [ON_CALL]
    text = body["markdown"]["text"]
    assert f"@{ON_CALL}" in text
    assert ACK in text
    tag = {Event.OPENED: "", Event.ESCALATED: "·升级", Event.REMINDER: "·未确认提醒"}[event]
    assert body["markdown"]["title"].startswith(f"【严重故障{tag}】")


@pytest.mark.parametrize("event", [Event.OPENED, Event.ESCALATED, Event.REMINDER])
async def test_with_nobody_to_mention_an_alert_is_an_action_card(
    http: aiohttp.ClientSession, clock: StepClock, robot: DingTalkRobot, event: Event
) -> None:
    [outcome] = await DingTalkChannel(spec_for(robot, at_mobiles=())).deliver(
        [sample_delivery(event)], ctx_for(http, clock))
    assert outcome.ok
    [body] = robot.messages
    assert body["msgtype"] == "actionCard"
    card = body["actionCard"]
    assert (card["singleTitle"], card["singleURL"]) == ("立即确认", ACK)
    assert card["btns"] == [{"title": "立即确认", "actionURL": ACK}]
    assert f"[查看详情]({DETAILS})" in card["text"]
    assert ACK not in card["text"]  # the button carries it
    assert body["at"] == {"atMobiles": [], "isAtAll": False}


async def test_without_ack_button_the_link_is_in_markdown(
    http: aiohttp.ClientSession, clock: StepClock, robot: DingTalkRobot
) -> None:
    channel = DingTalkChannel(spec_for(robot, ack_button=False, at_mobiles=()))
    [outcome] = await channel.deliver([sample_delivery()], ctx_for(http, clock))
    assert outcome.ok
    [body] = robot.messages
    assert body["msgtype"] == "markdown"
    assert f"[立即确认]({ACK})" in body["markdown"]["text"]
    assert body["at"]["atMobiles"] == []


async def test_acknowledged_and_resolved_are_markdown_with_who_and_durations(
    http: aiohttp.ClientSession, clock: StepClock, robot: DingTalkRobot
) -> None:
    acked = sample_incident(state=IncidentState.ACKNOWLEDGED, acknowledged_at=T_OPENED + 300,
                            acknowledged_by="李四")
    resolved = dataclasses.replace(acked, state=IncidentState.RESOLVED, resolved_by="李四",
                                   resolved_at=T_OPENED + 4500, resolution_breached=True,
                                   cause="上游网关证书过期")
    channel = DingTalkChannel(spec_for(robot))
    outcomes = [*await channel.deliver([sample_delivery(Event.ACKNOWLEDGED, acked)],
                                       ctx_for(http, clock)),
                *await channel.deliver([sample_delivery(Event.RESOLVED, resolved)],
                                       ctx_for(http, clock))]

    assert [o.ok for o in outcomes] == [True, True]
    ack_body, resolved_body = robot.messages
    assert ack_body["msgtype"] == resolved_body["msgtype"] == "markdown"
    ack_text = ack_body["markdown"]["text"]
    assert "李四 已确认" in ack_text
    assert "**响应用时**：5分（达标）" in ack_text
    assert ACK not in ack_text  # nothing left to acknowledge
    assert f"[查看详情]({DETAILS})" in ack_text
    text = resolved_body["markdown"]["text"]
    assert resolved_body["markdown"]["title"].startswith("【已恢复】柯桥区协同办公 / 首页")
    for fact in ("**恢复时间**：2025-11-25 01:15:00", "**处理人**：李四",
                 "**故障时长**：1小时15分（已超时）", "**原因**：上游网关证书过期"):
        assert fact in text, fact


async def test_english_when_the_payload_says_so(
    http: aiohttp.ClientSession, clock: StepClock, robot: DingTalkRobot
) -> None:
    delivery = sample_delivery(language="en")
    [outcome] = await DingTalkChannel(spec_for(robot)).deliver([delivery], ctx_for(http, clock))
    assert outcome.ok
    message = robot.messages[0]["markdown"]
    assert message["title"].startswith("[CRITICAL] 柯桥区协同办公 / 首页: ")
    assert f"[Acknowledge]({ACK})" in message["text"]
    assert f"[Details]({DETAILS})" in message["text"]
    assert "**Respond by**: 2025-11-25 00:15:00" in message["text"]


async def test_wrong_secret_fails_the_security_check(
    http: aiohttp.ClientSession, clock: StepClock, robot: DingTalkRobot
) -> None:
    channel = DingTalkChannel(spec_for(robot, secret=Secret("SECnot-the-robots-secret")))
    [outcome] = await channel.deliver([sample_delivery()], ctx_for(http, clock))
    assert (outcome.ok, outcome.status) == (False, "310000")
    assert "security check failed" in outcome.error
    assert robot.messages == []
    assert robot.errors[0]["errmsg"] == "sign not match"


async def test_unsigned_robot(http: aiohttp.ClientSession, clock: StepClock) -> None:
    async with DingTalkRobot(secret=None, clock=clock) as robot:
        spec = DingTalkSpec(url=SecretUrl(robot.url))
        [outcome] = await DingTalkChannel(spec).deliver([sample_delivery()], ctx_for(http, clock))
    assert outcome.ok
    assert robot.messages[0]["at"]["atMobiles"] == []


def test_sign_is_url_encoded_base64() -> None:
    # Base64 of the digest usually has '+', '/' or '='; quote_plus must have encoded them.
    url = "https://h/robot/send?access_token=t"
    signed = str(dingtalk.signed_url(url, "SECabc", 1_700_000_000_000))
    query = signed.split("?", 1)[1]
    assert query.startswith("access_token=t&timestamp=1700000000000&sign=")
    sign = query.rsplit("sign=", 1)[1]
    assert all(c not in sign for c in "+/=")


async def test_a_batch_is_one_digest_message_and_the_limit_holds(
    http: aiohttp.ClientSession, clock: StepClock, robot: DingTalkRobot
) -> None:
    channel = DingTalkChannel(spec_for(robot))
    deliveries = many(25)

    outcomes = await channel.deliver(deliveries, ctx_for(http, clock))

    assert [o.delivery_id for o in outcomes] == [d.id for d in deliveries]
    assert all(o.ok for o in outcomes)
    [digest] = robot.messages  # a batch the outbox hands over is one message
    assert digest["msgtype"] == "markdown"
    assert digest["markdown"]["title"] == "25 条告警合并发送"
    text = digest["markdown"]["text"]
    assert [n for n in range(1, 26) if f"应用{n:02d}" in text] == list(range(1, 26))
    assert "[确认](http://127.0.0.1:8080/ack/inc-0025?sig=abc)" in text
    assert text.endswith(f"@{ON_CALL} @{OWNER}")
    assert digest["at"]["atMobiles"] == [ON_CALL, OWNER]

    for n in range(19):  # the robot's 20 a minute, spent
        [sent] = await channel.deliver(many(1, start=26 + n), ctx_for(http, clock))
        assert sent.ok
    clock.advance(20)
    [late] = await channel.deliver(many(1, start=50), ctx_for(http, clock))
    assert (late.ok, late.status, late.retry_after_s) == (False, "rate_limited", 40.0)
    assert len(robot.messages) == 20
    assert robot.errors == []  # the channel held back; the robot never had to refuse

    clock.advance(40)
    [sent] = await channel.deliver(many(1, start=50), ctx_for(http, clock))
    assert sent.ok


async def test_a_batch_too_long_for_one_message_is_split_not_cut(
    http: aiohttp.ClientSession, clock: StepClock, robot: DingTalkRobot
) -> None:
    channel = DingTalkChannel(spec_for(robot, max_per_minute=3))
    long_named = [sample_delivery(incident=sample_incident(
        n, app_name=f"应用{n:03d}" + "长名称" * 30)) for n in range(1, 121)]
    outcomes = await channel.deliver(long_named, ctx_for(http, clock))
    sent = [o for o in outcomes if o.ok]
    assert 1 < len(robot.messages) <= 3
    assert all(len(raw) < 20_000 for raw in robot.raw)
    text = "".join(m["markdown"]["text"] for m in robot.messages)
    assert "已截断" not in text
    named = {n for n in range(1, 121) if f"应用{n:03d}" in text}
    assert len(named) == len(sent)
    # What did not fit in the minute's budget waits, and is told how long.
    waiting = [o for o in outcomes if not o.ok]
    assert all(o.status == "rate_limited" and o.retry_after_s for o in waiting)


async def test_130101_backs_off_until_the_clock_passes(
    http: aiohttp.ClientSession, clock: StepClock, robot: DingTalkRobot
) -> None:
    channel = DingTalkChannel(spec_for(robot))
    robot.fail = "130101"

    outcomes = await channel.deliver(many(3), ctx_for(http, clock))

    assert [(o.ok, o.status, o.retry_after_s) for o in outcomes] == [(False, "130101", 600.0)] * 3
    assert robot.hits == 1  # the two after the throttled one were not even tried
    robot.fail = None
    clock.advance(599)
    [refused] = await channel.deliver(many(1), ctx_for(http, clock))
    assert (refused.ok, refused.status, refused.retry_after_s) == (False, "130101", 1.0)
    assert robot.hits == 1
    clock.advance(1)
    [sent] = await channel.deliver(many(1), ctx_for(http, clock))
    assert sent.ok
    assert robot.hits == 2


async def test_a_huge_message_is_cut_under_20000_bytes_keeping_the_mentions(
    http: aiohttp.ClientSession, clock: StepClock, robot: DingTalkRobot
) -> None:
    incident = sample_incident(summary="接口返回异常内容" * 4000, cause="x")
    delivery = sample_delivery(incident=incident, recipients=Recipients(at_mobiles=(OWNER,)))
    [outcome] = await DingTalkChannel(spec_for(robot)).deliver([delivery], ctx_for(http, clock))
    assert outcome.ok  # the robot refuses anything over 20,000 bytes
    assert len(robot.raw[0]) < 20_000
    text = robot.messages[0]["markdown"]["text"]
    assert "（内容过长，已截断）" in text
    assert text.endswith(f"[查看详情]({DETAILS})\n\n@{OWNER} @{ON_CALL}")  # links kept whole
    assert f"[立即确认]({ACK})" in text


async def test_http_500_fails_with_the_status(
    http: aiohttp.ClientSession, clock: StepClock, robot: DingTalkRobot
) -> None:
    robot.fail = "http500"
    [outcome] = await DingTalkChannel(spec_for(robot)).deliver(
        [sample_delivery()], ctx_for(http, clock))
    assert (outcome.ok, outcome.status) == (False, "500")
    assert outcome.error.startswith("HTTP 500: internal error at /robot/send?access_token=***")


async def test_a_hanging_robot_times_out_and_the_batch_stops(
    http: aiohttp.ClientSession, clock: StepClock, robot: DingTalkRobot
) -> None:
    robot.fail = "hang"
    started = time.monotonic()
    outcomes = await DingTalkChannel(spec_for(robot)).deliver(many(3), ctx_for(http, clock, 0.5))
    assert time.monotonic() - started < 1.5  # one timeout, not three
    assert [(o.ok, o.status) for o in outcomes] == [(False, "timeout")] * 3
    assert robot.hits == 1


async def test_secrets_stay_out_of_errors_and_logs(
    http: aiohttp.ClientSession, clock: StepClock, robot: DingTalkRobot
) -> None:
    robot.fail = "http500"  # its page quotes the request, token and sign included
    dead = SecretUrl(f"http://127.0.0.1:{closed_port()}/robot/send?access_token={robot.token}")
    with capture_logs() as logs:
        echoed = await DingTalkChannel(spec_for(robot)).deliver(
            [sample_delivery()], ctx_for(http, clock))
        refused = await DingTalkChannel(spec_for(robot, url=dead)).deliver(
            [sample_delivery()], ctx_for(http, clock))
    assert (echoed[0].status, refused[0].status) == ("500", "connection")
    assert logs  # the failures were logged...
    for text in (echoed[0].error, refused[0].error, repr(logs)):
        assert robot.token not in text  # ...without the token
        assert robot.secret is not None
        assert robot.secret not in text
        assert "sign=***" in text or "sign=" not in text


def test_registry_builds_a_channel_from_config(tmp_path: Path, monkeypatch: Any) -> None:
    monkeypatch.setenv("DING_TOKEN", "abc123")
    config_file = tmp_path / "config.yaml"
    config_file.write_text(
        'apps: [{id: "a", name: "A", url: "https://a.example.org/"}]\n'
        "notifiers:\n"
        '  - {id: "robot", kind: "dingtalk", ack_button: false, throttle_backoff: "5m",\n'
        '     url: "https://oapi.dingtalk.com/robot/send?access_token=${DING_TOKEN}"}\n',
        encoding="utf-8",
    )
    notifier = load_config(config_file).notifiers["robot"]
    assert isinstance(notifier, NotifierConfig)
    assert (notifier.spec.ack_button, notifier.spec.throttle_backoff_s) == (False, 300.0)
    channel = build_channel(notifier)
    assert isinstance(channel, DingTalkChannel)
    assert channel.spec is notifier.spec
    assert NOTIFIER_KINDS["dingtalk"].make(notifier.spec) is not channel  # own state each
