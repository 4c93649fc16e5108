"""The webhook channel (CONTRACT.md §4) against a local receiver that verifies the HMAC."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import time
from collections.abc import AsyncIterator

import aiohttp
import pytest
from structlog.testing import capture_logs

from alerting.delivery import SendContext
from alerting.model import Event
from alerting.notifiers.registry import NOTIFIER_KINDS
from alerting.notifiers.webhook import WebhookChannel, WebhookSpec
from monitor.core.fields import Secret, SecretUrl
from tests.support.clocks import StepClock
from tests.support.http_servers import closed_port
from tests.support.receivers import (
    WebhookReceiver,
    sample_delivery,
    sample_incident,
)

pytestmark = pytest.mark.filterwarnings(
    "error::pytest.PytestUnraisableExceptionWarning", "error::ResourceWarning"
)


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


@pytest.fixture
async def receiver() -> AsyncIterator[WebhookReceiver]:
    async with WebhookReceiver() as server:
        yield server


def ctx_for(http: aiohttp.ClientSession, timeout_s: float = 2.0) -> SendContext:
    return SendContext(http=http, clock=StepClock(), language="zh-CN", timeout_s=timeout_s)


def channel_for(receiver: WebhookReceiver, secret: str | None = None) -> WebhookChannel:
    chosen = secret if secret is not None else receiver.secret
    return WebhookChannel(WebhookSpec(url=SecretUrl(receiver.url),
                                      hmac_secret=Secret(chosen) if chosen else None))


async def test_body_headers_and_signature(
    http: aiohttp.ClientSession, receiver: WebhookReceiver
) -> None:
    delivery = sample_delivery()
    ctx = ctx_for(http)

    [outcome] = await channel_for(receiver).deliver([delivery], ctx)

    assert (outcome.delivery_id, outcome.ok, outcome.status) == (delivery.id, True, "200")
    [got] = receiver.received
    assert receiver.bad_signatures == 0
    assert got.headers["Content-Type"] == "application/json"
    assert got.headers["X-Monitor-Delivery"] == delivery.id
    assert receiver.secret is not None
    mac = hmac.new(receiver.secret.encode(), got.raw, hashlib.sha256).hexdigest()
    assert got.headers["X-Monitor-Signature"] == f"sha256={mac}"
    assert got.body == json.loads(got.raw)
    assert set(got.body) == {"event", "incident", "sent_at", "app", "links"}
    assert got.body["event"] == "incident.opened"
    assert got.body["incident"] == delivery.payload["incident"]
    assert got.body["links"]["ack"] == delivery.payload["links"]["ack"]
    sent_at = dt.datetime.fromisoformat(got.body["sent_at"])
    assert sent_at.utcoffset() == dt.timedelta(hours=8)  # the service's zone, from the snapshot
    assert sent_at.timestamp() == int(ctx.clock.now())


async def test_one_post_per_delivery_and_a_retry_reuses_the_id(
    http: aiohttp.ClientSession, receiver: WebhookReceiver
) -> None:
    deliveries = [sample_delivery(Event.OPENED, sample_incident(n)) for n in (1, 2, 3)]
    channel = channel_for(receiver)
    outcomes = await channel.deliver(deliveries, ctx_for(http))
    await channel.deliver(deliveries[:1], ctx_for(http))  # a retry of the first

    assert all(o.ok for o in outcomes)
    assert receiver.hits == 4
    ids = [d.id for d in deliveries]
    assert receiver.delivery_ids == [*ids, ids[0]]
    assert [r.body["incident"]["id"] for r in receiver.received] == ["inc-0001", "inc-0002",
                                                                    "inc-0003"]


async def test_without_a_secret_there_is_no_signature(http: aiohttp.ClientSession) -> None:
    async with WebhookReceiver(secret=None) as receiver:
        spec = WebhookSpec(url=SecretUrl(receiver.url))
        [outcome] = await WebhookChannel(spec).deliver([sample_delivery()], ctx_for(http))
    assert outcome.ok
    assert "X-Monitor-Signature" not in receiver.received[0].headers


async def test_a_wrong_secret_is_refused_by_the_receiver(
    http: aiohttp.ClientSession, receiver: WebhookReceiver
) -> None:
    [outcome] = await channel_for(receiver, "not-the-secret").deliver(
        [sample_delivery()], ctx_for(http))
    assert (outcome.ok, outcome.status) == (False, "401")
    assert receiver.bad_signatures == 1
    assert receiver.received == []


async def test_http_500_fails_with_its_status(
    http: aiohttp.ClientSession, receiver: WebhookReceiver
) -> None:
    receiver.fail = "http500"
    deliveries = [sample_delivery(Event.OPENED, sample_incident(n)) for n in (1, 2)]
    outcomes = await channel_for(receiver).deliver(deliveries, ctx_for(http))
    # A 500 is the receiver's answer to one body: the next delivery is still tried.
    assert [(o.ok, o.status) for o in outcomes] == [(False, "500")] * 2
    assert receiver.hits == 2
    assert outcomes[0].error == "HTTP 500: internal error at /hook"


async def test_a_hanging_receiver_times_out_once_for_the_batch(
    http: aiohttp.ClientSession, receiver: WebhookReceiver
) -> None:
    receiver.fail = "hang"
    deliveries = [sample_delivery(Event.OPENED, sample_incident(n)) for n in (1, 2, 3)]
    started = time.monotonic()
    outcomes = await channel_for(receiver).deliver(deliveries, ctx_for(http, 0.5))
    assert time.monotonic() - started < 1.5
    assert [(o.ok, o.status) for o in outcomes] == [(False, "timeout")] * 3
    assert outcomes[0].error == "no reply within 0.5s"
    assert outcomes[2].error == "not sent: no reply within 0.5s"
    assert receiver.hits == 1


async def test_unreachable_receiver_fails_without_leaking_the_url_token(
    http: aiohttp.ClientSession,
) -> None:
    token = "hook-token-0c9e77"
    url = SecretUrl(f"http://127.0.0.1:{closed_port()}/hook?token={token}")
    channel = WebhookChannel(WebhookSpec(url=url, hmac_secret=Secret("hook-secret-7d41")))
    with capture_logs() as logs:
        [outcome] = await channel.deliver([sample_delivery()], ctx_for(http))
    assert (outcome.ok, outcome.status) == (False, "connection")
    assert outcome.error.startswith("ClientConnectorError: Cannot connect to host 127.0.0.1:")
    for text in (outcome.error, repr(logs)):
        assert token not in text
        assert "hook-secret-7d41" not in text


def test_registry_makes_webhook_channels() -> None:
    spec = WebhookSpec(url=SecretUrl("http://127.0.0.1:9000/hook"))
    channel = NOTIFIER_KINDS["webhook"].make(spec)
    assert isinstance(channel, WebhookChannel)
    assert channel.spec is spec
