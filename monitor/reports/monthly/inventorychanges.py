"""The monthly report's inventory changes (清单变动): the month's listing status changes and the
rectification items active in it, with their progress, from the listing store."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from alerting.payload import iso
from monitor.core.config.model import Config
from monitor.governance.listing.model import RectItem, StatusChange
from monitor.reports.period import Period


class ListingSource(Protocol):
    """The part of monitor.governance.listing.store.ListingStore the report reads."""

    async def changes(self, start: float, end: float,
                      app_id: str | None = None) -> list[StatusChange]: ...

    async def items(self, *, open_only: bool = False, app_id: str | None = None,
                    active_between: tuple[float, float] | None = None) -> list[RectItem]: ...


@dataclass(frozen=True, slots=True)
class ChangeLine:
    app_id: str
    app_name: str
    previous: str | None
    status: str
    at: float
    by: str
    note: str
    verdict: str | None
    score: int | None


@dataclass(frozen=True, slots=True)
class ItemLine:
    id: str
    app_id: str
    app_name: str
    classes: tuple[str, ...]
    basis: tuple[str, ...]
    opened_at: float
    deadline: dt.date
    state: str  # at the month's end (or now, for the current month): open, overdue, done
    closed_at: float | None
    closed_by: str | None
    progress: tuple[tuple[float, str, str, str], ...]  # (at, by, kind, note) within the month


@dataclass(frozen=True, slots=True)
class InventoryChanges:
    changes: tuple[ChangeLine, ...]
    items: tuple[ItemLine, ...]

    def counts(self) -> dict[str, int]:
        states = [i.state for i in self.items]
        return {
            "listed": sum(1 for c in self.changes if c.status == "listed"),
            "delisted": sum(1 for c in self.changes if c.status == "delisted"),
            "trial": sum(1 for c in self.changes if c.status == "trial"),
            "items": len(self.items),
            "open": states.count("open"),
            "overdue": states.count("overdue"),
            "done": states.count("done"),
        }


async def inventory_changes(listing: ListingSource, config: Config, period: Period,
                            now: float) -> InventoryChanges:
    names = {app.id: app.name for app in config.apps}
    changes = await listing.changes(period.start, period.end)
    items = await listing.items(active_between=(period.start, period.end))
    as_of = min(now, period.end)
    tz = ZoneInfo(config.service.timezone)
    return InventoryChanges(
        changes=tuple(ChangeLine(c.app_id, names.get(c.app_id, c.app_id), c.previous, c.status,
                                 c.at, c.by, c.note, c.verdict, c.score) for c in changes),
        items=tuple(_item(i, period, as_of, tz) for i in items),
    )


def _item(item: RectItem, period: Period, as_of: float, tz: ZoneInfo) -> ItemLine:
    closed = item.closed_at is not None and item.closed_at < period.end
    as_of_day = dt.datetime.fromtimestamp(as_of, tz).date()
    state = "done" if closed else "overdue" if as_of_day > item.deadline else "open"
    return ItemLine(
        id=item.id, app_id=item.app_id, app_name=item.app_name, classes=item.classes,
        basis=item.basis, opened_at=item.opened_at, deadline=item.deadline, state=state,
        closed_at=item.closed_at if closed else None,
        closed_by=item.closed_by if closed else None,
        progress=tuple((n.at, n.by, n.kind, n.note) for n in item.notes
                       if period.start <= n.at < period.end))


def inventory_json(changes: InventoryChanges, tz: ZoneInfo) -> Mapping[str, Any]:
    return {
        "counts": changes.counts(),
        "changes": [
            {"app_id": c.app_id, "app_name": c.app_name, "previous": c.previous,
             "status": c.status, "at": iso(c.at, tz), "by": c.by, "note": c.note,
             "verdict": c.verdict, "score": c.score} for c in changes.changes],
        "rectifications": [
            {"id": i.id, "app_id": i.app_id, "app_name": i.app_name, "classes": list(i.classes),
             "basis": list(i.basis), "opened_at": iso(i.opened_at, tz),
             "deadline": i.deadline.isoformat(), "state": i.state,
             "closed_at": iso(i.closed_at, tz), "closed_by": i.closed_by,
             "progress": [{"at": iso(at, tz), "by": by, "kind": kind, "note": note}
                          for at, by, kind, note in i.progress]}
            for i in changes.items],
    }  # fmt: skip
