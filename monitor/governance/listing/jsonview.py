"""Statuses, changes and items as JSON (CLI --format json, the API, the monthly report)."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from alerting.payload import iso
from monitor.governance.listing.model import AppStatus, RectItem, StatusChange


def item_state(item: RectItem, today: dt.date) -> str:
    """open, overdue (open past its deadline) or done."""
    return "overdue" if item.overdue(today) else item.state


def item_json(item: RectItem, tz: ZoneInfo, today: dt.date) -> dict[str, Any]:
    return {
        "id": item.id,
        "app_id": item.app_id,
        "app_name": item.app_name,
        "state": item_state(item, today),
        "classes": list(item.classes),
        "basis": list(item.basis),
        "actions": list(item.actions),
        "opened_at": iso(item.opened_at, tz),
        "deadline": item.deadline.isoformat(),
        "days_left": item.days_left(today) if item.state == "open" else None,
        "closed_at": iso(item.closed_at, tz),
        "closed_by": item.closed_by,
        "reminded_at": iso(item.reminded_at, tz),
        "last_seen_at": iso(item.last_seen_at, tz),
        "progress": [{"at": iso(n.at, tz), "by": n.by, "kind": n.kind, "note": n.note}
                     for n in item.notes],
    }


def change_json(change: StatusChange, tz: ZoneInfo, *, report: bool = False) -> dict[str, Any]:
    body: dict[str, Any] = {
        "app_id": change.app_id, "status": change.status, "previous": change.previous,
        "at": iso(change.at, tz), "by": change.by, "note": change.note,
        "check": None if change.verdict is None else {
            "verdict": change.verdict, "score": change.score, "reasons": list(change.reasons)},
    }
    if report:
        body["evaluation"] = change.evaluation
    return body


def status_json(status: AppStatus, tz: ZoneInfo) -> dict[str, Any]:
    return {
        "app_id": status.app_id, "status": status.status, "since": iso(status.since, tz),
        "last_change": None if status.last_change is None
        else change_json(status.last_change, tz),
    }
