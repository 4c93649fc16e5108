"""The traffic store: page views (pv) and unique visitors (uv) per app, day and source.

    store = await TrafficStore.open(data_dir)
    await store.set_counts("kq-oa", "2026-11-24", "push", pv=1200, uv=310)   # replace: idempotent
    await store.add_counts("kq-oa", "2026-11-24", "prometheus", pv=35, uv=0)  # add to the row
    days = await store.daily("kq-oa", "2026-11-01", "2026-11-30")            # list[DayTraffic]
    await store.close()

Rows are kept per (app, day, source) and summed when read, so the sources never overwrite
each other; a day is present as soon as any source wrote to it, even with zeros (zero visitors
known is evidence for the zombie rule; no data is not). uv summed across sources counts a
visitor twice if two sources saw them: give an app one source of visitors.

It lives in the ledger's SQLite file (monitor/ledger/schema.DB_FILE, migration V4) with its own
connection on its own single worker thread, like the alert store (alerting/store.py): no SQLite
call runs on the event loop, the store's writes queue behind each other in order, and WAL plus a
busy timeout let it share the file with the ledger writer and a report process.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from pathlib import Path
from typing import TypeVar

from monitor.core.clock import SYSTEM_CLOCK, Clock
from monitor.core.errors import StorageError
from monitor.core.sqlite.schema import DB_FILE
from monitor.core.sqlite.threaded import ThreadedDb
from monitor.governance.traffic.days import check_day
from monitor.governance.traffic.storedb import TrafficDb
from monitor.governance.traffic.types import (
    AlreadyImportedError,
    CountsUpdate,
    DayTraffic,
    ImportRecord,
    ScrapeState,
    SourceCounts,
)

__all__ = [
    "AlreadyImportedError",
    "CountsUpdate",
    "DayTraffic",
    "ImportRecord",
    "ScrapeState",
    "SourceCounts",
    "StorageError",
    "TrafficStore",
]

T = TypeVar("T")


class TrafficStore:
    """Build with `await TrafficStore.open(...)`, not the constructor. Every method may raise
    `StorageError` (disk full, file locked beyond the busy timeout); writes raise ValueError
    for a bad day, an empty id or source, or a negative count, before touching the file."""

    def __init__(self, path: Path, handle: ThreadedDb[TrafficDb], clock: Clock) -> None:
        self.path = path
        self._handle = handle
        self._db = handle.db
        self._clock = clock

    @classmethod
    async def open(cls, data_dir: Path, *, clock: Clock = SYSTEM_CLOCK) -> TrafficStore:
        """Open (and create or migrate) the file in data_dir; must run on the caller's loop."""
        path = Path(data_dir) / DB_FILE
        handle = await ThreadedDb.open(lambda: TrafficDb.open(path), "traffic store")
        return cls(path, handle, clock)

    async def close(self) -> None:
        await self._handle.close()

    # --- the contract other parts read and write through -------------------------------------

    async def set_counts(self, app_id: str, day: str, source: str, pv: int, uv: int) -> None:
        """Replace the (app, day, source) row: writing the same figures twice is a no-op."""
        await self.record([CountsUpdate(app_id, day, source, pv, uv)])

    async def add_counts(self, app_id: str, day: str, source: str, pv: int, uv: int) -> None:
        """Add to the (app, day, source) row (created at zero if absent)."""
        await self.record([CountsUpdate(app_id, day, source, pv, uv, add_pv=True, add_uv=True)])

    async def daily(self, app_id: str, start_day: str, end_day: str) -> list[DayTraffic]:
        """Each day of [start_day, end_day] (inclusive) with data, oldest first, sources summed;
        days without data are absent."""
        check_day(start_day)
        check_day(end_day)
        return await self._on(lambda: self._db.daily(app_id, start_day, end_day))

    # --- additions ---------------------------------------------------------------------------

    async def daily_all(self, start_day: str, end_day: str) -> list[DayTraffic]:
        """`daily` for every app at once, ordered by app id, then day."""
        check_day(start_day)
        check_day(end_day)
        return await self._on(lambda: self._db.daily(None, start_day, end_day))

    async def record(self, updates: Sequence[CountsUpdate]) -> list[SourceCounts]:
        """Several writes (each replacing or adding per figure) in one transaction; returns each
        row as it stands afterwards, in the order given."""
        if not updates:
            return []
        now = self._clock.now()
        return await self._on(lambda: self._db.record(updates, now))

    async def load_scrape(self, app_id: str) -> ScrapeState | None:
        """The app's last saved Prometheus scrape, None before the first."""
        return await self._on(lambda: self._db.load_scrape(app_id))

    async def save_scrape(
        self, app_id: str, state: ScrapeState, updates: Sequence[CountsUpdate]
    ) -> list[SourceCounts]:
        """Save the scrape as the new baseline together with the counts it yielded."""
        now = self._clock.now()
        return await self._on(lambda: self._db.save_scrape(app_id, state, updates, now))

    async def imports_of(self, app_id: str) -> list[ImportRecord]:
        """Access log files imported for the app, oldest first."""
        return await self._on(lambda: self._db.imports_of(app_id))

    async def commit_import(
        self,
        record: ImportRecord,
        page_views: Mapping[str, int],
        visitors: Mapping[str, Collection[int]],
        keep_visitors_from: str,
    ) -> list[SourceCounts]:
        """Count one access log (see TrafficDb.commit_import); AlreadyImportedError if the same
        contents were imported for the app before. Visitor sets of days before
        `keep_visitors_from` are pruned."""
        return await self._on(
            lambda: self._db.commit_import(record, page_views, visitors, keep_visitors_from))

    async def _on(self, work: Callable[[], T]) -> T:
        return await self._handle.run(work)
