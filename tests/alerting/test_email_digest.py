"""Several deliveries for the same recipients in one batch: one mail, against a real SMTP server."""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator
from email.message import EmailMessage

import aiohttp
import pytest

from alerting.delivery import Delivery, Recipients, SendContext
from alerting.model import Event, IncidentState
from alerting.notifiers.email import EmailChannel, EmailSpec
from tests.support.clocks import StepClock
from tests.support.receivers import (
    T_OPENED,
    SmtpReceiver,
    sample_delivery,
    sample_incident,
    sample_parent,
)

pytestmark = pytest.mark.filterwarnings(
    "error::pytest.PytestUnraisableExceptionWarning", "error::ResourceWarning"
)


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


def ctx_for(http: aiohttp.ClientSession) -> SendContext:
    return SendContext(http=http, clock=StepClock(), language="zh-CN", timeout_s=3.0)


def spec_for(server: SmtpReceiver) -> EmailSpec:
    return EmailSpec(host=server.host, port=server.port, sender="监控 <monitor@example.org>",
                     to=("ops@example.org",))


def apps(count: int, language: str = "zh-CN") -> list[Delivery]:
    return [sample_delivery(incident=sample_incident(n, app_name=f"应用{n:02d}"),
                            language=language) for n in range(1, count + 1)]


def bodies(message: EmailMessage) -> dict[str, str]:
    return {part.get_content_type(): part.get_content() for part in message.iter_parts()}


async def test_26_deliveries_are_one_mail_naming_every_app(http: aiohttp.ClientSession) -> None:
    deliveries = apps(26)
    async with SmtpReceiver() as server:
        results = await EmailChannel(spec_for(server)).deliver(deliveries, ctx_for(http))
    assert [r.delivery_id for r in results] == [d.id for d in deliveries]
    assert all(r.ok and r.status == "250" for r in results)
    [mail] = server.messages
    message = mail.message
    assert message["Subject"] == "【告警汇总】26 条告警"
    assert mail.rcpt_tos == ("ops@example.org",)
    assert message["X-Monitor-Delivery"].split() == [d.id for d in deliveries]
    parts = bodies(message)
    for text in parts.values():
        assert all(f"应用{n:02d} / 首页" in text for n in range(1, 27))
        assert "http://127.0.0.1:8080/ack/inc-0026?sig=abc" in text
        assert "http://127.0.0.1:8080/incidents/inc-0026" in text
        assert "2025-11-25 00:00:00" in text
        assert "应用发生故障，请在响应时限前确认并处理。" in text
    plain = parts["text/plain"]
    assert "1. 【严重故障】应用01 / 首页：状态码异常：HTTP 502" in plain
    assert "   立即确认：http://127.0.0.1:8080/ack/inc-0001?sig=abc" in plain
    assert "   查看详情：http://127.0.0.1:8080/incidents/inc-0001" in plain
    assert parts["text/html"].count('href="http://127.0.0.1:8080/ack/') == 26


async def test_a_digest_in_english_names_a_parents_apps_and_what_is_done(
    http: aiohttp.ClientSession,
) -> None:
    resolved = sample_incident(2, state=IncidentState.RESOLVED, resolved_at=T_OPENED + 600,
                               resolved_by="Li Si")
    deliveries = [sample_delivery(incident=sample_parent(40), language="en"),
                  sample_delivery(Event.RESOLVED, resolved, language="en")]
    async with SmtpReceiver() as server:
        results = await EmailChannel(spec_for(server)).deliver(deliveries, ctx_for(http))
    assert all(r.ok for r in results)
    [mail] = server.messages
    assert mail.message["Subject"] == "[Summary] 2 alerts"
    plain = bodies(mail.message)["text/plain"]
    assert "1. [WIDESPREAD OUTAGE] 40 apps failing at once" in plain
    assert "Apps: 应用001, 应用002, " in plain
    assert all(f"应用{k:03d}" in plain for k in range(1, 41))
    assert "2. [RESOLVED] 柯桥区协同办公 / 首页: " in plain
    assert "Acknowledge: http://127.0.0.1:8080/ack/inc-0002" not in plain  # nothing to ack
    assert "Details: http://127.0.0.1:8080/incidents/inc-0002" in plain


async def test_different_recipients_or_languages_get_their_own_mails(
    http: aiohttp.ClientSession,
) -> None:
    owner = Recipients(emails=("owner@example.org",))
    zh = apps(3)
    lone = sample_delivery(incident=sample_incident(7), recipients=owner)
    english = apps(2, language="en")
    batch = [zh[0], lone, english[0], zh[1], english[1], zh[2]]
    async with SmtpReceiver() as server:
        results = await EmailChannel(spec_for(server)).deliver(batch, ctx_for(http))
    assert [r.delivery_id for r in results] == [d.id for d in batch]
    subjects = [m.message["Subject"] for m in server.messages]
    assert subjects[0] == "【告警汇总】3 条告警"
    assert subjects[1].startswith("【严重故障】柯桥区协同办公")
    assert subjects[2] == "[Summary] 2 alerts"
    assert [m.rcpt_tos for m in server.messages] == [
        ("ops@example.org",), ("owner@example.org",), ("ops@example.org",)]


async def test_a_refused_digest_fails_each_of_its_deliveries_and_a_retry_is_the_same_mail(
    http: aiohttp.ClientSession,
) -> None:
    deliveries = apps(3)
    async with SmtpReceiver(reject="451 4.3.0 try later") as server:
        failed = await EmailChannel(spec_for(server)).deliver(deliveries, ctx_for(http))
    assert [(r.ok, r.status) for r in failed] == [(False, "451")] * 3
    async with SmtpReceiver() as server:
        channel = EmailChannel(spec_for(server))
        await channel.deliver(deliveries, ctx_for(http))
        await channel.deliver(list(reversed(deliveries)), ctx_for(http))
        await channel.deliver(deliveries[:2], ctx_for(http))
    first, again, other = (m.message["Message-ID"] for m in server.messages)
    assert first == again != other
    assert first.startswith("<appmon.digest.")
    assert first.endswith("@example.org>")


async def test_notices_are_letters_of_their_own(http: aiohttp.ClientSession) -> None:
    alerts = apps(2)
    notices = [dataclasses.replace(alerts[0], id=f"notice-{n}", event="rectification.opened",
                                   incident_id=f"ZG-{n}", payload={
                                       "notice": {"title": f"【整改通知】应用{n}", "lead": "请整改",
                                                  "facts": [["整改期限", "2026-12-16"]],
                                                  "at": "2026-11-24T10:00:00+08:00"},
                                       "language": "zh-CN"})
               for n in (1, 2)]
    async with SmtpReceiver() as server:
        results = await EmailChannel(spec_for(server)).deliver(
            [notices[0], *alerts, notices[1]], ctx_for(http))
    assert all(r.ok for r in results)
    subjects = [m.message["Subject"] for m in server.messages]
    assert subjects == ["【整改通知】应用1", "【告警汇总】2 条告警", "【整改通知】应用2"]
    assert server.messages[0].message["X-Monitor-Notice"] == "ZG-1"
