"""Something on the console's governance page from the demo's first minute: one app on trial
(试运行) and one rectification item (整改项), made the way `listing set` and `listing sync` make
them.

The item is the real audit's: the old app nobody owns (办事指南（旧版）, no owner in demo.yaml) is
flagged as a zombie app, and the sync opens its item and notifies its channels, as the
service's own round does a minute after start (that one audits every app).
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable
from dataclasses import dataclass

from alerting.store import AlertStore
from monitor.core.config.model import Config
from monitor.demo.farm import APPS
from monitor.governance.inventory.audit import TrafficSource
from monitor.governance.listing.lifecycle import change_status
from monitor.governance.listing.model import TRIAL, RectItem
from monitor.governance.listing.runner import audit_and_sync
from monitor.governance.listing.store import ListingStore
from monitor.ledger.types import Ledger

TRIAL_APP = APPS[5][0]  # 移动审批: a new app, on trial
UNOWNED_APP = APPS[6][0]  # 办事指南（旧版）: no owner on record, so the audit flags it


@dataclass
class DemoParts:
    config: Config
    ledger: Ledger
    alerts: AlertStore
    traffic: TrafficSource | None
    listing: ListingStore


async def put_on_trial(parts: DemoParts, *, by: str, note: str) -> str | None:
    """The trial app's name once it is on trial (a rerun finds it so already)."""
    app = next((a for a in parts.config.apps if a.name == TRIAL_APP), None)
    if app is None:
        return None
    current = (await parts.listing.statuses([app]))[app.id]
    if current.status != TRIAL:
        await change_status(parts.listing, app, current, TRIAL, evaluation=None, report=None,
                            by=by, note=note, now=time.time())
    return app.name


async def open_item(parts: DemoParts, now: Callable[[], float] = time.time) -> RectItem | None:
    """The audit and sync of the unowned app alone: its open item (new, or kept from a rerun)."""
    app = next((a for a in parts.config.apps if a.name == UNOWNED_APP), None)
    if app is None:
        return None
    one = dataclasses.replace(parts.config, apps=(app,))
    await audit_and_sync(one, parts.ledger, parts.alerts, parts.traffic, parts.listing,
                         now=now())
    items = await parts.listing.items(open_only=True, app_id=app.id)
    return items[0] if items else None
