"""Real channels through the real outbox against receivers that fail on purpose (HTTP 500,
a hang, errcode 130101): once each receiver recovers, every delivery arrives, each once, under
its original delivery id."""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest

from alerting.delivery import Delivery, SendContext
from alerting.model import Event
from alerting.notifiers.dingtalk import DingTalkSpec
from alerting.notifiers.registry import NOTIFIER_KINDS
from alerting.notifiers.webhook import WebhookSpec
from alerting.outbox import Outbox
from alerting.store import AlertStore, Changes, DeliveryState
from monitor.core.fields import Secret, SecretUrl
from tests.support.clocks import StepClock
from tests.support.receivers import (
    DingTalkRobot,
    WebhookReceiver,
    sample_delivery,
    sample_incident,
)


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[AlertStore]:
    opened = await AlertStore.open(tmp_path)
    yield opened
    await opened.close()


def deliveries(notifier: str, count: int, clock: StepClock) -> list[Delivery]:
    return [dataclasses.replace(
        sample_delivery(Event.OPENED, sample_incident(n), notifier=notifier),
        created_at=clock.now()) for n in range(count)]


async def settle(outbox: Outbox, store: AlertStore, clock: StepClock, notifier: str) -> int:
    """Jump the clock to each next due time and run a pass, until nothing is pending."""
    passes = 0
    while (due := await store.next_due_at(notifier)) is not None and passes < 50:
        clock.advance(max(0.0, due - clock.now()))
        await outbox.run_once()
        passes += 1
    return passes


async def test_webhook_500_then_hang_then_recovery(store: AlertStore) -> None:
    clock = StepClock()
    async with WebhookReceiver() as hook, aiohttp.ClientSession() as http:
        spec = WebhookSpec(url=SecretUrl(hook.url), hmac_secret=Secret(hook.secret or ""))
        outbox = Outbox(store, {"hook": NOTIFIER_KINDS["webhook"].make(spec)},
                        SendContext(http, clock, "zh-CN", timeout_s=0.5), clock=clock)
        sent = deliveries("hook", 3, clock)
        await store.apply(Changes(deliveries=sent))
        hook.fail = "http500"
        await outbox.run_once()
        clock.advance(3600)
        hook.fail = "hang"
        await outbox.run_once()
        assert hook.received == []
        hook.fail = None
        await settle(outbox, store, clock, "hook")
    assert sorted(hook.delivery_ids) == sorted(d.id for d in sent)  # each once, original ids
    for delivery in sent:
        [record] = await store.deliveries_for(delivery.incident_id)
        assert record.state is DeliveryState.SENT
        assert record.attempts >= 3
        assert [a.ok for a in record.history][-1] is True
        assert record.history[0].status == "500"


async def test_dingtalk_130101_backs_off_then_everything_arrives(store: AlertStore) -> None:
    clock = StepClock()
    async with DingTalkRobot(clock=clock) as robot, aiohttp.ClientSession() as http:
        spec = DingTalkSpec(url=SecretUrl(robot.url), secret=Secret(robot.secret or ""))
        outbox = Outbox(store, {"robot": NOTIFIER_KINDS["dingtalk"].make(spec)},
                        SendContext(http, clock, "zh-CN", timeout_s=2.0), clock=clock)
        sent = deliveries("robot", 5, clock)
        await store.apply(Changes(deliveries=sent))
        robot.fail = "130101"
        await outbox.run_once()
        assert robot.messages == []
        robot.fail = None
        throttled_until = clock.now() + spec.throttle_backoff_s
        await settle(outbox, store, clock, "robot")
        assert clock.now() >= throttled_until  # nothing was sent to it while throttled
    texts = "\n".join(str(m) for m in robot.messages)
    for delivery in sent:
        assert delivery.incident_id in texts or delivery.payload["links"]["ack"] in texts
        [record] = await store.deliveries_for(delivery.incident_id)
        assert record.state is DeliveryState.SENT
        assert record.history[0].status == "130101"
