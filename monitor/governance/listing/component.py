"""The listing part of the running service: the store, the periodic rectification round and
its HTTP routes. Built once by the composition root (monitor.service).

    part = ListingPart(lambda: service.config, clock)
    await part.start(ledger, alert_store, traffic, background=True)
    install_listing_routes(app, part)        # monitor.governance.listing.api
    await part.stop()
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from alerting.store import AlertStore
from monitor.core.clock import Clock
from monitor.core.config.model import Config
from monitor.governance.inventory.audit import TrafficSource
from monitor.governance.listing.runner import RectificationJob, audit_and_sync
from monitor.governance.listing.store import ListingStore
from monitor.governance.listing.sync import SyncPlan
from monitor.ledger.types import Ledger


class ListingPart:
    def __init__(self, config: Callable[[], Config], clock: Clock) -> None:
        self.config = config
        self.clock = clock
        self._store: ListingStore | None = None
        self._job: RectificationJob | None = None
        self._sources: tuple[Ledger, AlertStore, TrafficSource | None] | None = None

    @property
    def store(self) -> ListingStore:
        assert self._store is not None, "listing part not started"
        return self._store

    async def start(self, ledger: Ledger, alerts: AlertStore, traffic: TrafficSource | None, *,
                    background: bool) -> None:
        config = self.config()
        self._store = await ListingStore.open(Path(config.service.data_dir))
        self._sources = (ledger, alerts, traffic)
        governance = config.governance
        if background and governance.rectification:
            self._job = RectificationJob(self.run_round, governance.audit_interval_s)
            self._job.start()

    async def run_round(self) -> SyncPlan:
        """One audit and sync now (the job calls it on its interval; tests call it directly)."""
        assert self._sources is not None, "listing part not started"
        ledger, alerts, traffic = self._sources
        # Notices go into the alert store; the outbox listens to it for new deliveries.
        return await audit_and_sync(self.config(), ledger, alerts, traffic, self.store,
                                    now=self.clock.now())

    async def stop(self) -> None:
        if self._job is not None:
            await self._job.stop()
        if self._store is not None:
            await self._store.close()
            self._store = None
