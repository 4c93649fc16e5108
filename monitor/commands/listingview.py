"""What `listing` prints: tables for people (in service.language), JSON for scripts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any
from zoneinfo import ZoneInfo

from monitor.commands.words import say
from monitor.core.config.model import AppConfig
from monitor.governance.listing.jsonview import change_json, item_json, item_state, status_json
from monitor.governance.listing.model import AppStatus, RectItem, StatusChange
from monitor.governance.listing.sync import SyncPlan
from monitor.governance.listing.texts import classes_text, t
from monitor.table import render_table


def _day(ts: float | None, tz: ZoneInfo) -> str:
    return "—" if ts is None else dt.datetime.fromtimestamp(ts, tz).strftime("%Y-%m-%d")


def _today(now: float, tz: ZoneInfo) -> dt.date:
    return dt.datetime.fromtimestamp(now, tz).date()


def status_row_json(status: AppStatus, app: AppConfig, tz: ZoneInfo) -> dict[str, Any]:
    return {"name": app.name, **status_json(status, tz)}


def status_table(apps: Sequence[AppConfig], statuses: Mapping[str, AppStatus],
                 tz: ZoneInfo, lang: str) -> str:
    rows = []
    for app in apps:
        status = statuses[app.id]
        change = status.last_change
        check = "—"
        if change is not None and change.verdict is not None:
            check = f"{t(lang, 'verdict.' + change.verdict)} {change.score or '-'}"
        since = _day(status.since, tz) if status.since else say(lang, "listing.since_config")
        rows.append([app.id, app.name, t(lang, f"status.{status.status}"), since, check])
    columns = ("id", "name", "status", "since", "last_check")
    return render_table([say(lang, f"listing.col.{c}") for c in columns], rows)


def change_line(change: StatusChange, app: AppConfig, lang: str) -> str:
    moved = say(lang, "listing.moved", name=app.name, id=app.id,
                before=t(lang, f"status.{change.previous}"),
                after=t(lang, f"status.{change.status}"))
    if change.verdict is None:
        return say(lang, "listing.not_checked", moved=moved)
    return say(lang, "listing.checked", moved=moved, verdict=t(lang, "verdict." + change.verdict),
               score=change.score or "-")


def items_json(items: Sequence[RectItem], tz: ZoneInfo, now: float) -> dict[str, Any]:
    today = _today(now, tz)
    return {"items": [item_json(i, tz, today) for i in items]}


def items_table(items: Sequence[RectItem], tz: ZoneInfo, now: float, lang: str) -> str:
    if not items:
        return say(lang, "listing.no_items")
    today = _today(now, tz)
    rows = []
    for item in items:
        state = item_state(item, today)
        left = say(lang, "listing.days_left", days=item.days_left(today)) \
            if item.state == "open" else _day(item.closed_at, tz)
        last = item.notes[-1] if item.notes else None
        progress = f"{_day(last.at, tz)} {last.by} {last.note}".strip() if last else "—"
        rows.append([item.id, item.app_name, classes_text(lang, item.classes),
                     t(lang, f"state.{state}"), item.deadline.isoformat(), left, progress])
    columns = ("item", "app", "classes", "state", "deadline", "left", "progress")
    return render_table([say(lang, f"listing.col.{c}") for c in columns], rows)


def plan_text(plan: SyncPlan, lang: str) -> str:
    lines = [say(lang, "listing.plan", opened=len(plan.opened), reminded=len(plan.reminded),
                 closed=len(plan.closed), withdrawn=len(plan.withdrawn),
                 open=len(plan.refreshed), notices=plan.notices)]
    for label, items in (("opened", plan.opened), ("reminded", plan.reminded),
                         ("closed", plan.closed)):
        lines += [say(lang, "listing.plan_item", label=say(lang, f"listing.plan.{label}"),
                      id=i.id, app=i.app_name, classes=classes_text(lang, i.classes),
                      deadline=i.deadline.isoformat()) for i in items]
    return "\n".join(lines)


def plan_json(plan: SyncPlan, tz: ZoneInfo, now: float) -> dict[str, Any]:
    today = _today(now, tz)
    return {
        key: [item_json(i, tz, today) for i in items]
        for key, items in (("opened", plan.opened), ("reminded", plan.reminded),
                           ("closed", plan.closed), ("withdrawn", plan.withdrawn),
                           ("open", plan.refreshed))
    } | {"notices_enqueued": plan.notices}


def changes_json(changes: Sequence[StatusChange], tz: ZoneInfo) -> list[dict[str, Any]]:
    return [change_json(c, tz) for c in changes]
