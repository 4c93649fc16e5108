"""Grouping per channel: a burst's first message at once, the rest of it as digests."""

from __future__ import annotations

from collections.abc import Sequence

from alerting.delivery import Delivery, DeliveryOutcome, SendContext
from alerting.grouping import GroupGate, GroupTiming, grouping_for
from alerting.outbox import Outbox
from alerting.store import AlertStore, Changes
from monitor.core.config.model import AlertingConfig, NotifierConfig
from tests.alerting.conftest import MakeDelivery
from tests.ledger.helpers import FakeClock
from tests.support.clocks import T0

TIMING = GroupTiming(wait_s=5.0, interval_s=15.0)


class Counting:
    """Records each call's deliveries (one call = one message for a digesting channel)."""

    def __init__(self) -> None:
        self.calls: list[list[str]] = []

    async def deliver(
        self, deliveries: Sequence[Delivery], ctx: SendContext
    ) -> list[DeliveryOutcome]:
        self.calls.append([d.incident_id for d in deliveries])
        return [DeliveryOutcome(d.id, True, "0") for d in deliveries]


def test_the_first_goes_at_once_the_rest_wait_for_the_digest() -> None:
    gate = GroupGate(TIMING)
    assert gate.held_until(T0) is None
    gate.sent(T0)
    assert gate.held_until(T0 + 1) == T0 + 5
    assert gate.held_until(T0 + 5) is None
    gate.sent(T0 + 5)
    assert gate.held_until(T0 + 6) == T0 + 20  # the burst goes on: one per interval
    # A quiet interval ends the burst: the next event goes at once again.
    assert gate.held_until(T0 + 5 + 15) is None


def test_only_the_channels_people_read_are_grouped() -> None:
    notifiers = {nid: NotifierConfig(id=nid, kind=kind, spec=None) for nid, kind in (
        ("robot", "dingtalk"), ("mail", "email"), ("hook", "webhook"))}
    assert set(grouping_for(notifiers, AlertingConfig())) == {"robot", "mail"}
    off = AlertingConfig(group_wait_s=0.0, group_interval_s=0.0)
    assert grouping_for(notifiers, off) == {}


async def test_a_burst_of_26_reaches_the_channel_in_two_calls(
    store: AlertStore, send_ctx: SendContext, make_delivery: MakeDelivery, clock: FakeClock
) -> None:
    channel = Counting()
    outbox = Outbox(store, {"robot": channel}, send_ctx, grouping={"robot": TIMING})
    first = make_delivery("inc-01", notifier_id="robot", created_at=T0)
    await store.apply(Changes(deliveries=[first]))
    assert await outbox.run_once(T0) == 1
    rest = [make_delivery(f"inc-{n:02d}", notifier_id="robot", created_at=T0 + n / 10)
            for n in range(2, 27)]
    await store.apply(Changes(deliveries=rest))
    for at in (T0 + 1, T0 + 2.5, T0 + 4.9):
        assert await outbox.run_once(at) == 0  # collecting
    assert await outbox.run_once(T0 + 5) == 25
    assert [len(call) for call in channel.calls] == [1, 25]
    late = make_delivery("inc-27", notifier_id="robot", created_at=T0 + 8)
    await store.apply(Changes(deliveries=[late]))
    assert await outbox.run_once(T0 + 8) == 0
    assert await outbox.run_once(T0 + 20) == 1
    assert [len(call) for call in channel.calls] == [1, 25, 1]


async def test_webhooks_are_not_held(
    store: AlertStore, send_ctx: SendContext, make_delivery: MakeDelivery
) -> None:
    channel = Counting()
    outbox = Outbox(store, {"ops-hook": channel}, send_ctx, grouping={})
    for n in range(3):
        await store.apply(Changes(deliveries=[make_delivery(f"inc-{n}", created_at=T0 + n)]))
        assert await outbox.run_once(T0 + n) == 1
    assert len(channel.calls) == 3
