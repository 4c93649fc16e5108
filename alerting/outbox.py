"""The outbox: delivers what the alert store holds pending, retrying until sent or expired.

    outbox = Outbox(store, channels, ctx, retry=RetryPolicy(), on_outcome=engine.on_outcome)
    outbox.start()                   # one worker task per notifier
    ...; await store.apply(changes); outbox.wake()
    await outbox.stop()

One worker task per notifier, so a dead or slow receiver holds up only its own deliveries:
never another notifier's, never the probes. A worker takes its due deliveries oldest first,
hands them to the channel in batches (a channel may merge a batch into one digest), records
every outcome in the store, and sleeps until its next delivery is due or it is woken.
A notifier a person reads passes through a `GroupGate` (alerting.grouping): a burst's first
message goes at once, the rest wait a few seconds and go together as one digest.

Delivery is at least once: the outcome is recorded after the channel answered, so a crash
in between sends that batch again after the restart with the same delivery ids
(CONTRACT.md §4: `X-Monitor-Delivery`), which receivers use to drop the duplicate.
"""

from __future__ import annotations

import asyncio
import dataclasses
import random
import traceback
from collections.abc import Callable, Mapping, Sequence

import structlog

from alerting.delivery import Channel, Delivery, DeliveryOutcome, SendContext
from alerting.grouping import GroupGate, GroupTiming
from alerting.retry import RetryPolicy, after_attempt
from alerting.store import AlertStore, DeliveryState, OutcomeRow
from monitor.core.clock import SYSTEM_CLOCK, Clock
from monitor.core.constants import (
    OUTBOX_BATCH_SIZE,
    OUTBOX_CALL_SLACK_REQUESTS,
    OUTBOX_GROUPED_BATCH_SIZE,
    OUTBOX_IDLE_RECHECK_S,
    OUTBOX_STOP_TIMEOUT_S,
    OUTBOX_STORE_ERROR_PAUSE_S,
)
from monitor.core.logs import mask_text

log = structlog.get_logger("alerting.outbox")
OnOutcome = Callable[[Delivery, DeliveryOutcome], None]


@dataclasses.dataclass
class OutboxCounts:
    """Totals since start, for metrics: one per attempt outcome."""

    sent: int = 0
    failed: int = 0  # failed attempts that will be retried
    expired: int = 0


class Outbox:
    def __init__(
        self,
        store: AlertStore,
        channels: Mapping[str, Channel],
        ctx: SendContext,
        *,
        retry: RetryPolicy | None = None,
        clock: Clock = SYSTEM_CLOCK,
        on_outcome: OnOutcome | None = None,
        rng: random.Random | None = None,
        batch_size: int = OUTBOX_BATCH_SIZE,
        call_timeout_s: float | None = None,
        grouping: Mapping[str, GroupTiming] | None = None,
    ) -> None:
        self._store = store
        self._channels = dict(channels)
        self._ctx = ctx
        self._retry = retry or RetryPolicy()
        self._clock = clock
        self._on_outcome = on_outcome
        self._rng = rng or random.Random()  # noqa: S311 - jitter, not cryptography
        self._batch_size = batch_size
        self._call_timeout_s = call_timeout_s  # None: scaled to the batch, see _call
        self._events = {notifier_id: asyncio.Event() for notifier_id in self._channels}
        self._gates = _gates(grouping or {})
        self._tasks: dict[str, asyncio.Task[None]] = {}
        self._stopping = False
        self.counts = OutboxCounts()

    # --- life cycle --------------------------------------------------------------------------

    def start(self) -> None:
        """Spawn one worker per notifier; must run on the loop. Starting twice is a no-op."""
        if self._tasks:
            return
        self._stopping = False
        for notifier_id in self._channels:
            self._tasks[notifier_id] = asyncio.create_task(
                self._worker(notifier_id), name=f"outbox:{notifier_id}"
            )

    async def reconfigure(
        self, channels: Mapping[str, Channel], grouping: Mapping[str, GroupTiming] | None = None
    ) -> None:
        """New notifiers (a reload): workers stop and start again with the new channels."""
        running = bool(self._tasks)
        await self.stop()
        self._channels = dict(channels)
        self._gates = _gates(grouping or {})
        self._events = {notifier_id: asyncio.Event() for notifier_id in self._channels}
        if running:
            self.start()

    def wake(self, notifier_id: str | None = None) -> None:
        """New deliveries were applied: look now (one notifier, or all when None)."""
        for key, event in self._events.items():
            if notifier_id is None or key == notifier_id:
                event.set()

    async def stop(self, timeout_s: float = OUTBOX_STOP_TIMEOUT_S) -> None:
        """Let each worker finish its channel call in flight (bounded), then cancel it.

        An interrupted call is not recorded, so its deliveries stay pending and are sent
        again after the restart (same ids).
        """
        self._stopping = True
        self.wake()
        tasks = list(self._tasks.values())
        self._tasks.clear()
        if not tasks:
            return
        _, late = await asyncio.wait(tasks, timeout=timeout_s)
        for task in late:
            log.warning("outbox_worker_cancelled", notifier=task.get_name().partition(":")[2])
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    async def run_once(self, now: float | None = None) -> int:
        """Process every delivery due at `now` once, all notifiers side by side (the loop's
        testable mode; do not mix with start()). Returns the number of deliveries attempted."""
        at = self._clock.now() if now is None else now
        counts = await asyncio.gather(*(self._drain(nid, at) for nid in self._channels))
        return sum(counts)

    # --- one worker --------------------------------------------------------------------------

    async def _worker(self, notifier_id: str) -> None:
        event = self._events[notifier_id]
        while not self._stopping:
            event.clear()  # before reading the store, so a wake during the pass is not lost
            try:
                await self._drain(notifier_id, None)
                next_due = await self._store.next_due_at(notifier_id)
                if next_due is not None and (gate := self._gates.get(notifier_id)):
                    next_due = max(next_due, gate.held_until(self._clock.now()) or next_due)
            except Exception:  # the worker must outlive a bad pass (store error, a bug here)
                # Channel exceptions never get here (_call catches them), so the traceback
                # holds no channel URL.
                log.exception("outbox_pass_failed", notifier=notifier_id)
                next_due = self._clock.now() + OUTBOX_STORE_ERROR_PAUSE_S
            if self._stopping:
                break
            await self._sleep(event, next_due)

    async def _sleep(self, event: asyncio.Event, next_due: float | None) -> None:
        """Until next_due, a wake, or the idle recheck, whichever comes first."""
        delay = OUTBOX_IDLE_RECHECK_S
        if next_due is not None:
            delay = min(max(next_due - self._clock.now(), 0.0), delay)
        try:
            async with asyncio.timeout(delay):
                await event.wait()
        except TimeoutError:
            pass

    async def _drain(self, notifier_id: str, now: float | None) -> int:
        """Send batches of due deliveries until none is left (worker: or it is stopping).

        `now` fixed (run-once mode) dates the attempts too; otherwise the clock does. A failed
        delivery is rescheduled at least base_s later, so it is not picked again in this pass.
        """
        done = 0
        gate = self._gates.get(notifier_id)
        size = self._batch_size if gate is None else max(self._batch_size,
                                                         OUTBOX_GROUPED_BATCH_SIZE)
        while now is not None or not self._stopping:
            due_by = self._clock.now() if now is None else now
            if gate is not None and gate.held_until(due_by) is not None:
                break  # collecting a digest: the worker wakes when the gate opens
            batch = await self._store.due_deliveries(notifier_id, due_by, size)
            if not batch:
                break
            if gate is not None:
                gate.sent(due_by)
            outcomes = await self._call(notifier_id, batch)
            await self._record(batch, outcomes, self._clock.now() if now is None else now)
            done += len(batch)
            if len(batch) < size:
                break
        return done

    async def _call(self, notifier_id: str, batch: list[Delivery]) -> list[DeliveryOutcome]:
        """The channel's outcomes; a hang or a raise fails the whole batch instead.

        The limit grows with the batch: a healthy but slow receiver legitimately takes up to
        one request timeout per delivery, and cutting it off would fail (and later repeat)
        deliveries it has in fact received.
        """
        limit_s = self._call_timeout_s or self._ctx.timeout_s * (
            len(batch) + OUTBOX_CALL_SLACK_REQUESTS
        )
        try:
            async with asyncio.timeout(limit_s):
                return list(await self._channels[notifier_id].deliver(batch, self._ctx))
        except TimeoutError:
            error = f"channel call exceeded {limit_s:g}s"
            log.warning("channel_call_timed_out", notifier=notifier_id, deliveries=len(batch))
            return _all_failed(batch, "timeout", error)
        except Exception as exc:  # a channel bug must not stop its worker
            # Type and location only, no traceback: an exception's text may carry the URL.
            log.error(  # noqa: TRY400
                "channel_crashed", notifier=notifier_id, error_type=type(exc).__name__,
                where=_where(exc), deliveries=len(batch),
            )  # fmt: skip
            return _all_failed(batch, "error", type(exc).__name__)

    async def _record(
        self, batch: list[Delivery], outcomes: Sequence[DeliveryOutcome], at: float
    ) -> None:
        by_id = {outcome.delivery_id: outcome for outcome in outcomes}
        rows = []
        for delivery in batch:
            outcome = by_id.get(delivery.id) or DeliveryOutcome(
                delivery.id, ok=False, status="error", error="channel gave no outcome"
            )
            verdict = after_attempt(self._retry, delivery, outcome, at, self._rng)
            rows.append(OutcomeRow(delivery, outcome, at, verdict.next_attempt_at, verdict.state))
        await self._store.record_outcomes(rows)
        for row in rows:
            self._report(row)

    def _report(self, row: OutcomeRow) -> None:
        delivery = dataclasses.replace(row.delivery, attempts=row.delivery.attempts + 1)
        outcome = row.outcome
        # `event` is structlog's own key (the event name), hence incident_event.
        fields = {
            "delivery_id": delivery.id, "incident_id": delivery.incident_id,
            "incident_event": delivery.event, "notifier": delivery.notifier_id,
            "target": delivery.target, "attempts": delivery.attempts, "status": outcome.status,
        }  # fmt: skip
        if row.new_state is DeliveryState.SENT:
            self.counts.sent += 1
            log.info("delivery_sent", **fields)
        elif row.new_state is DeliveryState.EXPIRED:
            self.counts.expired += 1
            age_s = round(row.at - delivery.created_at, 1)
            log.error("delivery_expired", **fields, error=mask_text(outcome.error), age_s=age_s)
        else:
            self.counts.failed += 1
            retry_in_s = round((row.next_attempt_at or row.at) - row.at, 1)
            log.warning(
                "delivery_failed", **fields, error=mask_text(outcome.error), retry_in_s=retry_in_s
            )
        if self._on_outcome is not None:
            try:
                self._on_outcome(delivery, outcome)
            except Exception:
                log.exception("outbox_on_outcome_failed", delivery_id=delivery.id)


def _gates(grouping: Mapping[str, GroupTiming]) -> dict[str, GroupGate]:
    return {notifier_id: GroupGate(timing) for notifier_id, timing in grouping.items()}


def _all_failed(batch: list[Delivery], status: str, error: str) -> list[DeliveryOutcome]:
    return [DeliveryOutcome(d.id, ok=False, status=status, error=error) for d in batch]


def _where(exc: BaseException) -> str:
    """file:line where the exception was raised (innermost frame)."""
    frames = traceback.extract_tb(exc.__traceback__)
    return f"{frames[-1].filename}:{frames[-1].lineno}" if frames else "?"
