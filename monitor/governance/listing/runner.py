"""The audit-and-sync round, shared by `listing sync` and the service's periodic job.

    plan = await audit_and_sync(config, ledger, alerts, traffic, listing, now=time.time())
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

import structlog

from alerting.store import AlertStore
from monitor.core.config.model import Config
from monitor.core.config.monthdays import parse_month_days
from monitor.core.errors import StorageError
from monitor.governance.inventory.audit import TrafficSource, build_audit
from monitor.governance.listing.store import ListingStore
from monitor.governance.listing.sync import SyncPlan, sync_items
from monitor.ledger.types import Ledger

log = structlog.get_logger("monitor.governance.listing")


async def audit_and_sync(config: Config, ledger: Ledger, alerts: AlertStore,
                         traffic: TrafficSource | None, listing: ListingStore, *,
                         now: float) -> SyncPlan:
    audit = await build_audit(config, ledger, alerts, traffic, now=now,
                              quarter_ends=parse_month_days(config.governance.quarter_ends))
    return await sync_items(config, audit, listing, alerts, now=now)


class RectificationJob:
    """Runs `audit_and_sync` every `governance.audit_interval` (the first run one minute after
    start, when the ledger's state is loaded), then wakes the outbox for the notices.
    A failed round is logged and retried at the next interval: it never stops the service."""

    FIRST_RUN_DELAY_S = 60.0

    def __init__(self, round_: Callable[[], Awaitable[object]],
                 interval_s: float, *, first_delay_s: float = FIRST_RUN_DELAY_S) -> None:
        self._round = round_
        self._interval_s = interval_s
        self._first_delay_s = first_delay_s
        self._task: asyncio.Task[None] | None = None
        self.rounds = 0

    def start(self) -> None:
        self._task = asyncio.create_task(self._loop(), name="rectification")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
            self._task = None

    async def _loop(self) -> None:
        await asyncio.sleep(self._first_delay_s)
        while True:
            try:
                await self._round()
            except (StorageError, OSError) as exc:
                log.warning("rectification_round_failed", error=str(exc))
            except Exception:
                log.exception("rectification_round_failed")
            self.rounds += 1
            await asyncio.sleep(self._interval_s)
