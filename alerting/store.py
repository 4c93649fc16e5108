"""The alert store: check alert state, incidents and the notification outbox, persisted.

    store = await AlertStore.open(data_dir)
    snapshot = await store.load(recent_s=3600)
    result = await store.apply(Changes(check_states=..., incidents=..., deliveries=...))
    ...
    await store.close()

It lives in the ledger's SQLite file (monitor/ledger/schema.DB_FILE, migration V3) with its own
connection on its own single worker thread, so no SQLite call runs on the event loop and the
store's writes queue behind each other in order. WAL plus a busy timeout let it share the file
with the ledger's writer thread (and a report process).

Why `apply` is one transaction: an incident, the check state pointing at it and the
deliveries announcing it are written together or not at all, and deliveries are enqueued with
INSERT OR IGNORE on their stable id. After a crash, the engine replays from what was committed
and enqueues the same ids again, which are no-ops: a restart never announces twice, and a
committed announcement is never lost.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from pathlib import Path
from typing import TypeVar

import structlog

from alerting.delivery import Delivery, DeliveryOutcome
from alerting.model import Incident, IncidentState
from alerting.storedb import AlertDb
from alerting.storetypes import (
    ApplyResult,
    Changes,
    CheckKey,
    DeliveryAttempt,
    DeliveryRecord,
    DeliveryState,
    MaintenanceRecord,
    OutcomeRow,
    StoreSnapshot,
)
from monitor.core.clock import SYSTEM_CLOCK, Clock
from monitor.core.constants import OUTBOX_MAX_PENDING
from monitor.core.errors import StorageError
from monitor.core.sqlite.schema import DB_FILE
from monitor.core.sqlite.threaded import ThreadedDb

__all__ = [
    "AlertStore",
    "ApplyResult",
    "Changes",
    "CheckKey",
    "DeliveryAttempt",
    "DeliveryRecord",
    "DeliveryState",
    "MaintenanceRecord",
    "OutcomeRow",
    "StorageError",
    "StoreSnapshot",
]

log = structlog.get_logger("alerting.store")
T = TypeVar("T")
OutcomeTuple = tuple[Delivery, DeliveryOutcome, float, float | None, str]
"""(delivery, outcome, at, next_attempt_at, new_state): what `record_outcomes` takes."""


class AlertStore:
    """Build with `await AlertStore.open(...)`, not the constructor. Every method may raise
    `StorageError` (disk full, file locked beyond the busy timeout, unreadable row)."""

    def __init__(self, path: Path, handle: ThreadedDb[AlertDb], clock: Clock) -> None:
        self.path = path
        self._handle = handle
        self._db = handle.db
        self._clock = clock
        self._on_deliveries: list[Callable[[], None]] = []

    @classmethod
    async def open(
        cls,
        data_dir: Path,
        *,
        clock: Clock = SYSTEM_CLOCK,
        max_pending: int = OUTBOX_MAX_PENDING,
    ) -> AlertStore:
        """Open (and create or migrate) the file in data_dir; must run on the caller's loop."""
        path = Path(data_dir) / DB_FILE
        handle = await ThreadedDb.open(lambda: AlertDb.open(path, max_pending), "alert store")
        return cls(path, handle, clock)

    async def close(self) -> None:
        await self._handle.close()

    # --- engine side -------------------------------------------------------------------------

    async def load(self, recent_s: float, now: float | None = None) -> StoreSnapshot:
        """Check states, active incidents, and incidents resolved within the last `recent_s`."""
        since = (self._clock.now() if now is None else now) - recent_s
        return await self._on(lambda: self._db.load(since))

    async def apply(self, changes: Changes) -> ApplyResult:
        """Write `changes` in one transaction (see the module doc). A full outbox drops its
        oldest pending deliveries; the result counts them and they are logged here."""
        if not changes:
            return ApplyResult(enqueued=0, dropped=0)
        now = self._clock.now()
        result = await self._on(lambda: self._db.apply(changes, now))
        if result.dropped:
            log.warning("outbox_overflow_dropped", dropped=result.dropped)
        if changes.deliveries:
            for listener in self._on_deliveries:
                listener()
        return result

    def on_deliveries(self, listener: Callable[[], None]) -> None:
        """Call `listener` after each write that queued deliveries (the outbox wakes)."""
        self._on_deliveries.append(listener)

    async def get_incident(self, incident_id: str) -> Incident | None:
        return await self._on(lambda: self._db.get_incident(incident_id))

    async def list_incidents(
        self, state: IncidentState | None = None, limit: int = 500, app_id: str | None = None
    ) -> list[Incident]:
        """Newest first by opened_at."""
        return await self._on(lambda: self._db.list_incidents(state, limit, app_id))

    async def deliveries_for(self, incident_id: str) -> list[DeliveryRecord]:
        """Every delivery of an incident with its attempts, oldest first."""
        return await self._on(lambda: self._db.deliveries_for(incident_id))

    # --- outbox side -------------------------------------------------------------------------

    async def due_deliveries(self, notifier_id: str, now: float, limit: int) -> list[Delivery]:
        """Pending deliveries of one notifier whose next attempt is due, oldest first."""
        return await self._on(lambda: self._db.due(notifier_id, now, limit))

    async def next_due_at(self, notifier_id: str) -> float | None:
        """When the notifier's earliest pending delivery is due; None when none is pending."""
        return await self._on(lambda: self._db.next_due_at(notifier_id))

    async def record_outcomes(self, outcomes: Sequence[OutcomeRow | OutcomeTuple]) -> None:
        """Append one attempt per outcome and update the deliveries, in one transaction.

        Each item is (delivery, outcome, at, next_attempt_at, new_state); a delivery that is no
        longer pending (dropped meanwhile) keeps its state, its attempt is still recorded.
        """
        rows = [_outcome_row(item) for item in outcomes]
        if rows:
            await self._on(lambda: self._db.record_outcomes(rows))

    async def prune(self, now: float, keep_s: float) -> int:
        """Delete sent, expired and dropped deliveries (and their attempts) finished more than
        `keep_s` ago; returns how many deliveries went."""
        return await self._on(lambda: self._db.prune(now - keep_s))

    async def drop_orphans(self, known: Collection[str], now: float) -> dict[str, int]:
        """Pending deliveries of notifiers no longer configured (removed from the config) are
        marked dropped, with the reason as their last error, instead of waiting forever for a
        worker that will never run. Returns how many, by notifier id."""
        known = tuple(known)
        return await self._on(lambda: self._db.drop_orphans(
            known, now, "notifier removed from the config"))

    async def pending_counts(self) -> dict[str, int]:
        """Pending deliveries per notifier id (notifiers with none are absent)."""
        return await self._on(self._db.pending_counts)

    # --- maintenance windows -----------------------------------------------------------------

    async def record_maintenance(
        self, window_id: str, scope: str, start: float, end: float
    ) -> None:
        """Record one occurrence of a window; recording it again (same id and start) updates it."""
        await self._on(lambda: self._db.record_maintenance(window_id, scope, start, end))

    async def maintenance_between(self, start: float, end: float) -> list[MaintenanceRecord]:
        """Recorded windows overlapping [start, end), oldest first."""
        return await self._on(lambda: self._db.maintenance_between(start, end))

    async def _on(self, work: Callable[[], T]) -> T:
        return await self._handle.run(work)


def _outcome_row(item: OutcomeRow | OutcomeTuple) -> OutcomeRow:
    """Accept plain tuples too; the state may be given as its string value."""
    delivery, outcome, at, next_at, state = item
    return OutcomeRow(delivery, outcome, at, next_at, DeliveryState(state))
