"""The listing store: status changes and rectification items, in the ledger's SQLite file
(migration V5), on its own worker thread like the alert and traffic stores.

    store = await ListingStore.open(data_dir)
    await store.add_change(change)                 # -> StatusChange with its seq
    statuses = await store.statuses(config.apps)  # every app's AppStatus
    await store.save_items([item, ...])            # insert or replace by id
    await store.close()
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TypeVar

from monitor.core.config.model import AppConfig
from monitor.core.sqlite.schema import DB_FILE
from monitor.core.sqlite.threaded import ThreadedDb
from monitor.governance.listing.model import AppStatus, RectItem, StatusChange
from monitor.governance.listing.storedb import ListingDb

T = TypeVar("T")


class ListingStore:
    def __init__(self, handle: ThreadedDb[ListingDb]) -> None:
        self._handle = handle

    @classmethod
    async def open(cls, data_dir: Path) -> ListingStore:
        path = Path(data_dir) / DB_FILE
        return cls(await ThreadedDb.open(lambda: ListingDb.open(path), "listing store"))

    async def close(self) -> None:
        await self._handle.close()

    async def _on(self, work: Callable[[], T]) -> T:
        return await self._handle.run(work)

    async def add_change(self, change: StatusChange) -> StatusChange:
        seq = await self._on(lambda: self._handle.db.add_change(change))
        return replace(change, seq=seq)

    async def statuses(self, apps: Iterable[AppConfig]) -> dict[str, AppStatus]:
        """Every app's status: its last recorded change, else the config's `status`."""
        latest = {c.app_id: c for c in await self._on(self._handle.db.latest_changes)}
        result = {}
        for app in apps:
            change = latest.get(app.id)
            result[app.id] = (AppStatus(app.id, change.status, change.at, change)
                              if change else AppStatus(app.id, app.status, None, None))
        return result

    async def changes(self, start: float, end: float,
                      app_id: str | None = None) -> list[StatusChange]:
        """Changes made in [start, end), oldest first."""
        return await self._on(lambda: self._handle.db.changes(app_id, start, end))

    async def save_items(self, items: Sequence[RectItem]) -> None:
        if items:
            await self._on(lambda: self._handle.db.save_items(items))

    async def items(self, *, open_only: bool = False, app_id: str | None = None,
                    active_between: tuple[float, float] | None = None) -> list[RectItem]:
        return await self._on(lambda: self._handle.db.items(
            open_only=open_only, app_id=app_id, active_between=active_between))

    async def item(self, item_id: str) -> RectItem | None:
        return await self._on(lambda: self._handle.db.item(item_id))
