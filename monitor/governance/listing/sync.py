"""Rectification items kept in step with the inventory audit.

    result = await sync_items(config, audit, listing, alerts, now=now)

`plan` is pure (audit + stored items + statuses -> what changes); `sync_items` stores the items
and enqueues the owner notices in the alert store's outbox, which the service delivers.

Rules, per app the audit covers:
- listed and flagged (a finding at level "flagged"), no open item: open one, due on the
  audit's deadline (fixed from then on), and notify the owner;
- flagged with an open item: refresh its evidence; once the deadline is within
  `governance.remind_before`, remind the owner (once);
- open item but no longer flagged: close it (done, by the audit) and tell the owner;
- open item of an app that is no longer listed (trial, delisted): close it, no notice.
Warnings (early signs) open nothing: the audit lists them.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from alerting.store import AlertStore, Changes
from monitor.core.config.model import Config
from monitor.core.listening import public_base
from monitor.governance.inventory.model import FLAGGED, AppAudit, Audit
from monitor.governance.listing.model import (
    BY_AUDIT,
    BY_DELISTING,
    LISTED,
    OPEN,
    AppStatus,
    ProgressNote,
    RectItem,
)
from monitor.governance.listing.notices import CLOSED, OPENED, REMINDER, notice_deliveries
from monitor.governance.listing.store import ListingStore

DAY_S = 86400.0


@dataclass
class SyncPlan:
    opened: list[RectItem] = field(default_factory=list)
    reminded: list[RectItem] = field(default_factory=list)
    closed: list[RectItem] = field(default_factory=list)  # by the audit: the owner is told
    withdrawn: list[RectItem] = field(default_factory=list)  # app no longer listed
    refreshed: list[RectItem] = field(default_factory=list)  # still open, evidence updated
    notices: int = 0  # deliveries enqueued

    def changed(self) -> list[RectItem]:
        return [*self.opened, *self.reminded, *self.closed, *self.withdrawn, *self.refreshed]


def plan(audit: Audit, items: Sequence[RectItem], statuses: Mapping[str, AppStatus], *,
         now: float, remind_before_s: float) -> SyncPlan:
    result = SyncPlan()
    open_by_app = {i.app_id: i for i in items if i.state == OPEN}
    taken = {i.id for i in items}
    for app in audit.apps:
        flagged = tuple(f for f in app.findings if f.level == FLAGGED)
        item = open_by_app.get(app.id)
        status = statuses.get(app.id)
        listed = status is None or status.status == LISTED
        if item is not None and not listed:
            result.withdrawn.append(item.closed(now, BY_DELISTING))
        elif item is not None and not flagged:
            result.closed.append(item.closed(now, BY_AUDIT))
        elif item is not None:
            fresh = _refresh(item, app, now)
            if fresh.reminded_at is None and _due_soon(fresh, audit, remind_before_s):
                fresh = dataclasses.replace(fresh, reminded_at=now).noted(
                    ProgressNote(now, BY_AUDIT, "", "reminded"))
                result.reminded.append(fresh)
            else:
                result.refreshed.append(fresh)
        elif flagged and listed:
            new = _open(app, audit, now, _new_id(audit, app.id, taken))
            taken.add(new.id)
            result.opened.append(new)
    return result


def _new_id(audit: Audit, app_id: str, taken: set[str]) -> str:
    """ZG-20261124-kq-oa (ZG: 整改); -2, -3 when the app had one opened the same day."""
    base = f"ZG-{audit.today:%Y%m%d}-{app_id}"
    number, candidate = 1, base
    while candidate in taken:
        number += 1
        candidate = f"{base}-{number}"
    return candidate


def _open(app: AppAudit, audit: Audit, now: float, item_id: str) -> RectItem:
    flagged = [f for f in app.findings if f.level == FLAGGED]
    actions = app.rectification.actions if app.rectification else ()
    return RectItem(
        id=item_id, app_id=app.id, app_name=app.name,
        classes=tuple(f.cls for f in flagged), basis=tuple(f.basis for f in flagged),
        actions=actions, opened_at=now, deadline=audit.deadline, last_seen_at=now,
        notes=(ProgressNote(now, BY_AUDIT, "", "opened"),))


def _refresh(item: RectItem, app: AppAudit, now: float) -> RectItem:
    """The latest evidence; a progress note when the classes themselves changed."""
    flagged = [f for f in app.findings if f.level == FLAGGED]
    classes = tuple(f.cls for f in flagged)
    fresh = dataclasses.replace(
        item, classes=classes, basis=tuple(f.basis for f in flagged),
        actions=app.rectification.actions if app.rectification else item.actions,
        last_seen_at=now)
    if classes != item.classes:
        fresh = fresh.noted(ProgressNote(now, BY_AUDIT, "、".join(classes), "still_flagged"))
    return fresh


def _due_soon(item: RectItem, audit: Audit, remind_before_s: float) -> bool:
    return item.days_left(audit.today) * DAY_S <= remind_before_s


async def sync_items(config: Config, audit: Audit, listing: ListingStore, alerts: AlertStore,
                     *, now: float) -> SyncPlan:
    """Apply `plan`: notices enqueued first, then the items saved. A crash in between sends
    nothing twice: the next sync plans the same item (same id on the same day, so the same
    delivery ids, which the outbox ignores the second time)."""
    items = await listing.items()
    statuses = await listing.statuses(config.apps)
    result = plan(audit, items, statuses, now=now,
                  remind_before_s=config.governance.remind_before_s)
    deliveries = []
    tz = ZoneInfo(config.service.timezone)
    base = public_base(config.service.public_url, config.service.listen)
    for event, batch in ((OPENED, result.opened), (REMINDER, result.reminded),
                         (CLOSED, result.closed)):
        for item in batch:
            app = config.app(item.app_id)
            if app is None:
                continue
            deliveries += notice_deliveries(
                event, item, app, config.notifiers, copy_to=config.governance.notify, tz=tz,
                language=config.service.language, now=now,
                link=f"{base}/api/v1/rectifications/{item.id}")
    if deliveries:
        applied = await alerts.apply(Changes(deliveries=deliveries))
        result.notices = applied.enqueued
    await listing.save_items(result.changed())
    return result
