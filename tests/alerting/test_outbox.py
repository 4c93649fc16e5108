"""The outbox with real asyncio, a real store file and tiny channels written here (no mocks):
retries keep the delivery id, backoff stays within its bounds, a hanging receiver holds up only
its own worker, old failures expire, and a restart sends what was left pending."""

from __future__ import annotations

import asyncio
import dataclasses
import itertools
import random
import time
from collections.abc import Awaitable, Callable, Sequence

import pytest
from structlog.testing import capture_logs

from alerting.delivery import Delivery, DeliveryOutcome, SendContext
from alerting.outbox import Outbox
from alerting.retry import RetryPolicy, after_attempt
from alerting.store import AlertStore, Changes, DeliveryRecord, DeliveryState
from monitor.core.clock import SYSTEM_CLOCK
from tests.alerting.conftest import MakeDelivery, OpenStore
from tests.ledger.helpers import FakeClock
from tests.support.clocks import T0
from tests.support.polling import wait_until

SECRET_URL = "https://oapi.dingtalk.com/robot/send?access_token=SECRET123"


class ScriptedChannel:
    """Fails the first `fail_first` calls (HTTP 503), raises on the first `raise_first`, then
    accepts everything. Remembers the delivery ids of every call."""

    def __init__(
        self, fail_first: int = 0, raise_first: int = 0, retry_after_s: float | None = None
    ) -> None:
        self.fail_first, self.raise_first, self.retry_after_s = (
            fail_first,
            raise_first,
            retry_after_s,
        )
        self.calls: list[list[str]] = []

    async def deliver(
        self, deliveries: Sequence[Delivery], ctx: SendContext
    ) -> list[DeliveryOutcome]:
        self.calls.append([d.id for d in deliveries])
        if len(self.calls) <= self.raise_first:
            raise RuntimeError(f"bug while posting to {SECRET_URL}")
        if len(self.calls) <= self.fail_first:
            return [
                DeliveryOutcome(d.id, False, "503", "HTTP 503", self.retry_after_s)
                for d in deliveries
            ]
        return [DeliveryOutcome(d.id, True, "200") for d in deliveries]


class HangingChannel:
    """Never answers until released (a receiver that accepts the connection and stalls)."""

    def __init__(self) -> None:
        self.started = asyncio.Event()
        self.release = asyncio.Event()

    async def deliver(
        self, deliveries: Sequence[Delivery], ctx: SendContext
    ) -> list[DeliveryOutcome]:
        self.started.set()
        await self.release.wait()
        return [DeliveryOutcome(d.id, True, "200") for d in deliveries]


class SilentChannel:
    """A buggy channel that answers with no outcomes at all."""

    async def deliver(
        self, deliveries: Sequence[Delivery], ctx: SendContext
    ) -> list[DeliveryOutcome]:
        return []


async def only_record(store: AlertStore, incident_id: str = "inc-1") -> DeliveryRecord:
    [record] = await store.deliveries_for(incident_id)
    return record


async def eventually(check: Callable[[], Awaitable[bool]], timeout_s: float = 5.0) -> None:
    await wait_until(check, "the outbox to get there", timeout_s)


async def run_until_settled(outbox: Outbox, store: AlertStore, notifier: str) -> list[float]:
    """Run-once passes at each next due time (a fake clock jumping) until nothing is pending;
    returns the times of the passes."""
    passes = []
    while (due := await store.next_due_at(notifier)) is not None:
        passes.append(due)
        assert await outbox.run_once(due) >= 1
        assert len(passes) < 100
    return passes


# --- retries --------------------------------------------------------------------------------


async def test_a_delivery_is_sent_after_failures_with_the_same_id(
    store: AlertStore, send_ctx: SendContext, make_delivery: MakeDelivery
) -> None:
    channel = ScriptedChannel(fail_first=2)
    seen: list[tuple[str, int, bool]] = []
    outbox = Outbox(
        store, {"ops-hook": channel}, send_ctx, rng=random.Random(7),
        on_outcome=lambda d, o: seen.append((d.id, d.attempts, o.ok)),
    )  # fmt: skip
    delivery = make_delivery()
    await store.apply(Changes(deliveries=[delivery]))

    with capture_logs() as logs:
        passes = await run_until_settled(outbox, store, "ops-hook")

    assert channel.calls == [[delivery.id]] * 3
    assert seen == [(delivery.id, 1, False), (delivery.id, 2, False), (delivery.id, 3, True)]
    record = await only_record(store)
    assert (record.state, record.attempts, record.sent_at) == (DeliveryState.SENT, 3, passes[-1])
    assert [(a.at, a.ok, a.status) for a in record.history] == [
        (passes[0], False, "503"), (passes[1], False, "503"), (passes[2], True, "200"),
    ]  # fmt: skip
    assert [e["event"] for e in logs] == ["delivery_failed", "delivery_failed", "delivery_sent"]
    assert logs[0]["attempts"] == 1
    assert logs[0]["retry_in_s"] == pytest.approx(passes[1] - passes[0], abs=0.05)
    assert (outbox.counts.sent, outbox.counts.failed, outbox.counts.expired) == (1, 2, 0)


def test_backoff_is_full_jitter_within_growing_bounds() -> None:
    policy = RetryPolicy(base_s=2.0, cap_s=600.0)
    rng = random.Random(42)
    for attempts in range(1, 16):
        high = min(600.0, 2.0 * 2**attempts)
        samples = [policy.backoff_s(attempts, rng) for _ in range(300)]
        assert all(2.0 <= s <= high for s in samples)
        assert max(samples) > 2.0 + 0.8 * (high - 2.0)  # the whole range is used...
        assert len(set(samples)) == len(samples)  # ...at random
    assert policy.backoff_s(10_000, rng) <= 600.0  # a huge count stays finite and capped
    again = [RetryPolicy().backoff_s(3, random.Random(5)) for _ in range(2)]
    assert again[0] == again[1]  # a seeded Random makes it reproducible


async def test_the_outbox_reschedules_within_the_backoff_bounds(
    store: AlertStore, send_ctx: SendContext, make_delivery: MakeDelivery
) -> None:
    policy = RetryPolicy(base_s=2.0, cap_s=60.0, max_age_s=1e9)
    channel = ScriptedChannel(fail_first=12)
    outbox = Outbox(store, {"ops-hook": channel}, send_ctx, retry=policy, rng=random.Random(1))
    await store.apply(Changes(deliveries=[make_delivery()]))

    passes = await run_until_settled(outbox, store, "ops-hook")

    gaps = [later - earlier for earlier, later in itertools.pairwise(passes)]
    assert len(gaps) == 12
    for failed_attempts, gap in enumerate(gaps, start=1):
        assert 2.0 <= gap <= min(60.0, 2.0 * 2**failed_attempts) + 1e-6
    assert max(gaps[5:]) > 30  # it did grow towards the cap


async def test_a_channels_retry_after_is_a_minimum(
    store: AlertStore, send_ctx: SendContext, make_delivery: MakeDelivery
) -> None:
    channel = ScriptedChannel(fail_first=1, retry_after_s=300.0)
    outbox = Outbox(store, {"ops-hook": channel}, send_ctx, rng=random.Random(3))
    await store.apply(Changes(deliveries=[make_delivery()]))

    await outbox.run_once(T0)
    assert await store.next_due_at("ops-hook") >= T0 + 300.0  # type: ignore[operator]
    assert await outbox.run_once(T0 + 299.0) == 0


async def test_a_raising_channel_fails_the_batch_and_the_worker_goes_on(
    store: AlertStore, send_ctx: SendContext, make_delivery: MakeDelivery
) -> None:
    channel = ScriptedChannel(raise_first=1)
    outbox = Outbox(store, {"ops-hook": channel}, send_ctx, rng=random.Random(3))
    await store.apply(Changes(deliveries=[make_delivery(step="0"), make_delivery(step="1")]))

    with capture_logs() as logs:
        assert await outbox.run_once(T0) == 2
    records = await store.deliveries_for("inc-1")
    assert {(r.last_status, r.last_error, r.attempts) for r in records} == {
        ("error", "RuntimeError", 1)
    }
    assert "SECRET123" not in repr(logs)
    assert "robot/send" not in repr(logs)  # not even the URL without its token
    crash = next(e for e in logs if e["event"] == "channel_crashed")
    assert crash["error_type"] == "RuntimeError"
    assert "test_outbox.py" in crash["where"]

    await run_until_settled(outbox, store, "ops-hook")
    assert {r.state for r in await store.deliveries_for("inc-1")} == {DeliveryState.SENT}


async def test_a_delivery_without_an_outcome_counts_as_failed(
    store: AlertStore, send_ctx: SendContext, make_delivery: MakeDelivery
) -> None:
    outbox = Outbox(store, {"ops-hook": SilentChannel()}, send_ctx)
    await store.apply(Changes(deliveries=[make_delivery()]))
    await outbox.run_once(T0)
    record = await only_record(store)
    assert (record.state, record.last_status, record.attempts) == (
        DeliveryState.PENDING,
        "error",
        1,
    )


async def test_deliveries_go_to_the_channel_in_batches_oldest_first(
    store: AlertStore, send_ctx: SendContext, make_delivery: MakeDelivery
) -> None:
    channel = ScriptedChannel()
    outbox = Outbox(store, {"ops-hook": channel}, send_ctx, batch_size=50)
    deliveries = [make_delivery(f"inc-{i:03d}", created_at=T0 + i) for i in range(120)]
    await store.apply(Changes(deliveries=deliveries[::-1]))

    assert await outbox.run_once(T0 + 200) == 120
    assert [len(call) for call in channel.calls] == [50, 50, 20]
    assert [i for call in channel.calls for i in call] == [d.id for d in deliveries]
    assert await outbox.run_once(T0 + 200) == 0


# --- expiry and restart ---------------------------------------------------------------------


async def test_a_delivery_failing_past_max_age_expires_with_its_attempts_kept(
    store: AlertStore, send_ctx: SendContext, make_delivery: MakeDelivery
) -> None:
    policy = RetryPolicy(base_s=60.0, cap_s=600.0, max_age_s=3600.0)
    outbox = Outbox(
        store, {"ops-hook": ScriptedChannel(fail_first=10**6)}, send_ctx, retry=policy,
        rng=random.Random(9),
    )  # fmt: skip
    await store.apply(Changes(deliveries=[make_delivery(created_at=T0)]))

    with capture_logs() as logs:
        passes = await run_until_settled(outbox, store, "ops-hook")

    record = await only_record(store)
    assert record.state is DeliveryState.EXPIRED
    assert passes[-1] >= T0 + 3600.0 > passes[-2]
    assert record.finished_at == passes[-1]
    assert record.attempts == len(record.history) == len(passes)
    assert outbox.counts.expired == 1
    expired = [e for e in logs if e["event"] == "delivery_expired"]
    assert [e["log_level"] for e in expired] == ["error"]
    assert await outbox.run_once(T0 + 10 * 86400) == 0  # expired is final


async def test_a_delivery_older_than_max_age_is_still_tried_once(
    store: AlertStore, send_ctx: SendContext, make_delivery: MakeDelivery
) -> None:
    """After the service itself was down for days, pending news is attempted before expiry."""
    outbox = Outbox(store, {"ops-hook": ScriptedChannel()}, send_ctx)
    await store.apply(Changes(deliveries=[make_delivery(created_at=T0)]))
    await outbox.run_once(T0 + 3 * 86400)
    assert (await only_record(store)).state is DeliveryState.SENT


async def test_pending_deliveries_are_sent_after_a_restart(
    open_store: OpenStore, send_ctx: SendContext, make_delivery: MakeDelivery
) -> None:
    store = await open_store()
    deliveries = [make_delivery(step="0"), make_delivery(step="1", created_at=T0 + 1)]
    await store.apply(Changes(deliveries=deliveries))
    first = Outbox(store, {"ops-hook": ScriptedChannel(fail_first=1)}, send_ctx)
    await first.run_once(T0 + 1)
    await store.close()  # the process ends with both deliveries pending

    reopened = await open_store()
    channel = ScriptedChannel()
    await Outbox(reopened, {"ops-hook": channel}, send_ctx).run_once(T0 + 3600)
    assert channel.calls == [[d.id for d in deliveries]]
    records = await reopened.deliveries_for("inc-1")
    assert [(r.state, r.attempts) for r in records] == [(DeliveryState.SENT, 2)] * 2
    # The engine replaying its last step enqueues the same ids: nothing is sent twice.
    assert (await reopened.apply(Changes(deliveries=deliveries))).enqueued == 0


def test_retry_verdicts() -> None:
    policy = RetryPolicy(base_s=2.0, cap_s=10.0, max_age_s=100.0)
    delivery = Delivery("d", "i", "incident.opened", "0", "n", "n", {}, created_at=0.0)
    failed = DeliveryOutcome("d", ok=False)
    rng = random.Random(0)
    assert after_attempt(policy, delivery, DeliveryOutcome("d", ok=True), 5.0, rng).state == "sent"
    pending = after_attempt(policy, delivery, failed, 5.0, rng)
    assert pending.state is DeliveryState.PENDING
    assert 7.0 <= pending.next_attempt_at <= 9.0  # type: ignore[operator]
    assert after_attempt(policy, delivery, failed, 100.0, rng).state is DeliveryState.EXPIRED
    with pytest.raises(ValueError, match="base_s"):
        RetryPolicy(base_s=0.0)


# --- workers (real time) --------------------------------------------------------------------


async def test_workers_deliver_on_wake_and_retry_on_their_own(
    store: AlertStore, send_ctx: SendContext, make_delivery: MakeDelivery
) -> None:
    policy = RetryPolicy(base_s=0.05, cap_s=0.2)
    channel = ScriptedChannel(fail_first=2)
    outbox = Outbox(store, {"ops-hook": channel}, send_ctx, retry=policy, clock=SYSTEM_CLOCK)
    outbox.start()
    try:
        await asyncio.sleep(0.05)  # the worker is idle, waiting for a wake
        await store.apply(Changes(deliveries=[make_delivery(created_at=time.time())]))
        outbox.wake("ops-hook")

        async def sent() -> bool:
            return (await only_record(store)).state is DeliveryState.SENT

        await eventually(sent, timeout_s=3.0)
        assert len(channel.calls) == 3
    finally:
        await outbox.stop()


async def test_a_hanging_channel_does_not_delay_another_notifier(
    store: AlertStore, send_ctx: SendContext, make_delivery: MakeDelivery
) -> None:
    hanging, fast = HangingChannel(), ScriptedChannel()
    outbox = Outbox(
        store, {"stuck": hanging, "fast": fast}, send_ctx, clock=SYSTEM_CLOCK,
        retry=RetryPolicy(base_s=30.0), call_timeout_s=0.5,
    )  # fmt: skip
    now = time.time()
    stuck = make_delivery("inc-stuck", notifier_id="stuck", created_at=now)
    await store.apply(Changes(deliveries=[stuck]))
    outbox.start()
    try:
        await asyncio.wait_for(hanging.started.wait(), timeout=2.0)
        started = time.monotonic()
        await store.apply(Changes(deliveries=[make_delivery("inc-fast", notifier_id="fast")]))
        outbox.wake()

        async def fast_sent() -> bool:
            return (await only_record(store, "inc-fast")).state is DeliveryState.SENT

        await eventually(fast_sent, timeout_s=2.0)
        assert time.monotonic() - started < 0.4  # well before the stuck call times out
        assert not hanging.release.is_set()

        async def stuck_failed() -> bool:
            return (await only_record(store, "inc-stuck")).attempts == 1

        await eventually(stuck_failed, timeout_s=3.0)
        record = await only_record(store, "inc-stuck")
        assert (record.state, record.last_status) == (DeliveryState.PENDING, "timeout")
    finally:
        await outbox.stop(timeout_s=0.5)


async def test_stop_lets_a_call_finish_and_cancels_a_hung_one(
    store: AlertStore, send_ctx: SendContext, make_delivery: MakeDelivery
) -> None:
    class SlowChannel(ScriptedChannel):
        async def deliver(
            self, deliveries: Sequence[Delivery], ctx: SendContext
        ) -> list[DeliveryOutcome]:
            await asyncio.sleep(0.2)
            return await super().deliver(deliveries, ctx)

    hanging = HangingChannel()
    outbox = Outbox(
        store, {"slow": SlowChannel(), "stuck": hanging}, send_ctx, clock=SYSTEM_CLOCK,
        call_timeout_s=60.0,
    )  # fmt: skip
    now = time.time()
    await store.apply(
        Changes(
            deliveries=[
                make_delivery("inc-slow", notifier_id="slow", created_at=now),
                make_delivery("inc-stuck", notifier_id="stuck", created_at=now),
            ]
        )
    )
    outbox.start()
    await asyncio.wait_for(hanging.started.wait(), timeout=2.0)
    started = time.monotonic()
    await outbox.stop(timeout_s=1.0)

    assert 0.9 < time.monotonic() - started < 3.0  # waited for the hung call, then cancelled
    assert (await only_record(store, "inc-slow")).state is DeliveryState.SENT
    stuck = await only_record(store, "inc-stuck")
    assert (stuck.state, stuck.attempts) == (DeliveryState.PENDING, 0)  # sent after a restart


async def test_run_once_leaves_other_notifiers_rows_alone(
    store: AlertStore, send_ctx: SendContext, make_delivery: MakeDelivery, clock: FakeClock
) -> None:
    outbox = Outbox(store, {"ops-hook": ScriptedChannel()}, send_ctx, clock=clock)
    await store.apply(Changes(deliveries=[make_delivery(notifier_id="gone")]))
    assert await outbox.run_once() == 0  # now from the clock
    assert await store.pending_counts() == {"gone": 1}


async def test_a_failing_outcome_callback_does_not_stop_delivery(
    store: AlertStore, send_ctx: SendContext, make_delivery: MakeDelivery
) -> None:
    def broken(delivery: Delivery, outcome: DeliveryOutcome) -> None:
        raise KeyError(delivery.id)

    outbox = Outbox(store, {"ops-hook": ScriptedChannel()}, send_ctx, on_outcome=broken)
    await store.apply(Changes(deliveries=[make_delivery(step="0"), make_delivery(step="1")]))
    with capture_logs() as logs:
        assert await outbox.run_once(T0) == 2
    assert {r.state for r in await store.deliveries_for("inc-1")} == {DeliveryState.SENT}
    assert [e["event"] for e in logs].count("outbox_on_outcome_failed") == 2


async def test_the_default_call_limit_grows_with_the_batch(
    store: AlertStore, send_ctx: SendContext, make_delivery: MakeDelivery
) -> None:
    """(deliveries + 2) request timeouts: here 0.1 s each, so 0.3 s for one, 0.4 s for two."""
    ctx = dataclasses.replace(send_ctx, timeout_s=0.1)
    outbox = Outbox(store, {"ops-hook": HangingChannel()}, ctx)
    for count, limit_s in ((1, 0.3), (2, 0.4)):
        incident = f"inc-{count}"
        batch = [make_delivery(incident, step=str(i)) for i in range(count)]
        await store.apply(Changes(deliveries=batch))
        started = time.monotonic()
        assert await outbox.run_once(T0 + count) == count  # the earlier one is not due yet
        assert limit_s <= time.monotonic() - started < limit_s + 0.5
        records = await store.deliveries_for(incident)
        assert {(r.last_status, r.last_error) for r in records} == {
            ("timeout", f"channel call exceeded {limit_s:g}s")
        }
