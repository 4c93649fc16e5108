"""A burst handed to a channel as one batch reads as one event: a correlated incident's
opened and joined deliveries become one item with its latest apps, and an app's own opened
message is left out when the parent lists it (rendergroup.fold), on the robot and in mail."""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator

import aiohttp
import pytest

from alerting.delivery import Delivery, Recipients, SendContext
from alerting.model import Event
from alerting.notifiers.dingtalk import DingTalkChannel, DingTalkSpec
from alerting.notifiers.email import EmailChannel, EmailSpec
from alerting.rendergroup import fold
from monitor.core.fields import Secret, SecretUrl
from tests.support.clocks import StepClock
from tests.support.receivers import (
    DingTalkRobot,
    SmtpReceiver,
    sample_delivery,
    sample_incident,
    sample_parent,
)

ON_CALL = "13900000001"


def burst() -> list[Delivery]:
    """What a 26-app burst leaves pending: four apps' own opened messages (before the family
    formed), the parent's opened (five apps) and 21 joins, the last listing all 26."""
    own = [sample_delivery(incident=sample_incident(901 + k, app_name=f"应用{k + 1:03d}"))
           for k in range(4)]
    opened = sample_delivery(incident=sample_parent(5))
    joins = [sample_delivery(Event.JOINED, sample_parent(count), step=f"join-{count}",
                             joined=[f"inc-{900 + count:04d}"]) for count in range(6, 27)]
    return [*own, opened, *joins]


def test_fold_keeps_one_parent_item_with_every_app() -> None:
    items = fold([(d.payload, d.event) for d in burst()])
    [(payload, event)] = items
    assert event == Event.OPENED
    assert len(payload["incident"]["children"]) == 26


def test_joins_alone_fold_into_one_naming_every_newcomer() -> None:
    joins = burst()[5:]
    [(payload, event)] = fold([(d.payload, d.event) for d in joins])
    assert event == Event.JOINED
    assert payload["joined"] == [f"inc-{900 + n:04d}" for n in range(6, 27)]


def test_unrelated_items_are_kept_in_order() -> None:
    other = sample_delivery(incident=sample_incident(7, app_name="别的应用"))
    resolved = sample_delivery(Event.RESOLVED, sample_incident(8))
    items = fold([(d.payload, d.event) for d in [other, *burst(), resolved]])
    assert [(p["incident"]["id"], e) for p, e in items] == [
        ("inc-0007", Event.OPENED), ("inc-0900", Event.OPENED), ("inc-0008", Event.RESOLVED)]


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


async def test_the_robot_gets_one_message_naming_all_26_and_it_rings(
    http: aiohttp.ClientSession,
) -> None:
    clock = StepClock()
    async with DingTalkRobot(clock=clock) as robot:
        spec = DingTalkSpec(url=SecretUrl(robot.url), secret=Secret(robot.secret or ""),
                            at_mobiles=(ON_CALL,))
        ctx = SendContext(http=http, clock=clock, language="zh-CN", timeout_s=2.0)
        results = await DingTalkChannel(spec).deliver(burst(), ctx)
    assert all(r.ok for r in results)
    [message] = robot.messages
    assert message["msgtype"] == "markdown"
    assert message["at"]["atMobiles"] == [ON_CALL]
    text = message["markdown"]["text"]
    assert "大面积故障" in message["markdown"]["title"]
    assert all(f"应用{n:03d}" in text for n in range(1, 27))
    assert text.endswith(f"@{ON_CALL}")


async def test_the_mailbox_gets_one_mail_naming_all_26(http: aiohttp.ClientSession) -> None:
    async with SmtpReceiver() as server:
        spec = EmailSpec(host=server.host, port=server.port, sender="monitor@example.org",
                         to=("ops@example.org",))
        ctx = SendContext(http=http, clock=StepClock(), language="zh-CN", timeout_s=2.0)
        mails = [dataclasses.replace(d, notifier_id="mail", recipients=Recipients())
                 for d in burst()]
        results = await EmailChannel(spec).deliver(mails, ctx)
    assert all(r.ok for r in results)
    [mail] = server.messages
    assert "大面积故障" in str(mail.message["Subject"])
    body = mail.message.get_body(("plain",))
    assert body is not None
    plain = body.get_content()
    assert all(f"应用{n:03d}" in plain for n in range(1, 27))
