"""Rectification notices to an app's owner, as outbox deliveries (so a dead receiver only
delays them: the outbox retries, and a crash re-sends with the same delivery id).

The owner is reached as incidents reach them (alerting.routing "owner": an @-mention on the
app's DingTalk robots, an email through the first email notifier), plus a copy to each of
`governance.notify`. The texts are made now, in the service's language, and travel in the
payload under "notice" (alerting.render shows them in every format).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Final
from zoneinfo import ZoneInfo

from alerting.delivery import Delivery, delivery_id
from alerting.routing import routes
from monitor.core.config.model import NOTIFY_OWNER, AppConfig, NotifierConfig
from monitor.governance.listing.model import RectItem
from monitor.governance.listing.texts import classes_text, t

OPENED: Final = "rectification.opened"
REMINDER: Final = "rectification.reminder"
CLOSED: Final = "rectification.closed"
_KIND: Final = {OPENED: "opened", REMINDER: "reminder", CLOSED: "closed"}
_MARK: Final = {OPENED: "🛠️", REMINDER: "⏰", CLOSED: "✅"}
_COLOR: Final = {OPENED: "#ff8800", REMINDER: "#d83931", CLOSED: "#2ea121"}


def notice_deliveries(
    event: str, item: RectItem, app: AppConfig, notifiers: Mapping[str, NotifierConfig], *,
    copy_to: tuple[str, ...], tz: ZoneInfo, language: str, now: float, link: str | None,
) -> list[Delivery]:
    """One delivery per route; none when the app has no owner reachable and no copy is set."""
    found = routes((NOTIFY_OWNER, *copy_to), app, notifiers)
    if not found:
        return []
    payload = {"notice": _notice(event, item, app, tz=tz, lang=language, now=now, link=link),
               "language": language}
    return [
        Delivery(id=delivery_id(item.id, event, "0", target), incident_id=item.id, event=event,
                 step="0", notifier_id=notifier_id, target=target, payload=payload,
                 created_at=now, recipients=recipients)
        for target, (notifier_id, recipients) in found.items()
    ]


def _notice(event: str, item: RectItem, app: AppConfig, *, tz: ZoneInfo, lang: str,
            now: float, link: str | None) -> dict[str, object]:
    kind = _KIND[event]
    today = dt.datetime.fromtimestamp(now, tz).date()
    classes = classes_text(lang, item.classes)
    days = item.days_left(today)
    sep = "；" if lang != "en" else "; "
    owner = app.owner
    facts = [
        (t(lang, "row.app"), f"{app.name}（{app.department}）" if app.department else app.name),
        (t(lang, "row.owner"), owner.name if owner and owner.name else "—"),
        (t(lang, "row.problem"), sep.join(item.basis) or classes),
    ]
    if event != CLOSED:
        key = "deadline" if days >= 0 else "deadline.past"
        facts += [(t(lang, "row.actions"), sep.join(item.actions) or "—"),
                  (t(lang, "row.deadline"),
                   t(lang, key, date=item.deadline.isoformat(), days=abs(days)))]
    facts.append((t(lang, "row.item"), item.id))
    return {
        "kind": f"rectification.{kind}", "id": item.id, "app_id": item.app_id,
        "title": t(lang, f"title.{kind}", app=app.name, classes=classes, days=days),
        "lead": t(lang, f"lead.{kind}", classes=classes),
        "facts": [list(row) for row in facts],
        "at": dt.datetime.fromtimestamp(now, tz).isoformat(timespec="seconds"),
        "mark": _MARK[event], "color": _COLOR[event], "link": link,
    }
