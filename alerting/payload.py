"""The INCIDENT JSON of CONTRACT.md §3 and the snapshot a delivery carries.

One function renders an incident for the API, the webhook and the reports, so they cannot
drift apart.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from alerting.model import ChildRef, Entry, Incident


def iso(ts: float | None, tz: ZoneInfo) -> str | None:
    if ts is None:
        return None
    return dt.datetime.fromtimestamp(ts, tz).isoformat(timespec="seconds")


def _seconds(value: float | None) -> float | None:
    return None if value is None else round(value, 3)


def incident_json(incident: Incident, tz: ZoneInfo, *, timeline: bool = False) -> dict[str, Any]:
    """INCIDENT as the contract spells it (plus a few extra fields, never fewer)."""
    body: dict[str, Any] = {
        "id": incident.id,
        "app_id": incident.app_id,
        "app_name": incident.app_name,
        "check_id": incident.check_id,
        "severity": incident.severity.value,
        "state": incident.state.value,
        "summary": incident.summary,
        "started_at": iso(incident.started_at, tz),
        "opened_at": iso(incident.opened_at, tz),
        "acknowledged_at": iso(incident.acknowledged_at, tz),
        "acknowledged_by": incident.acknowledged_by,
        "resolved_at": iso(incident.resolved_at, tz),
        "resolved_by": incident.resolved_by,
        "auto_resolved": incident.auto_resolved,
        "response_seconds": _seconds(incident.response_seconds),
        "resolution_seconds": _seconds(incident.resolution_seconds),
        "response_breached": incident.response_breached,
        "resolution_breached": incident.resolution_breached,
        "kind": incident.kind,
        "source": incident.source,
        "flapping": incident.flapping,
        "reopen_count": incident.reopen_count,
        "cause": incident.cause,
        "address": incident.address,
        "check_name": incident.check_name,
        "check_kind": incident.check_kind,
        # Correlated outages (extensions): a child names its parent, a parent its children.
        "parent_id": incident.parent_id,
        "children": [child_json(child, tz) for child in incident.children],
        "reopened_at": iso(reopened_at(incident), tz),
        # Reported by a person (source "reported", extensions): who, and how.
        "reported_by": incident.reported_by,
        "channel": incident.channel,
    }
    if timeline:
        body["timeline"] = [
            {key: value for key, value in (
                ("at", iso(entry.at, tz)), ("type", entry.type), ("by", entry.by),
                ("note", entry.note)) if value is not None}
            for entry in incident.timeline
        ]
    return body


def child_json(child: ChildRef, tz: ZoneInfo) -> dict[str, Any]:
    return {
        "id": child.id, "app_id": child.app_id, "app_name": child.app_name,
        "check_id": child.check_id, "check_name": child.check_name,
        "check_kind": child.check_kind, "summary": child.summary,
        "started_at": iso(child.started_at, tz), "address": child.address,
    }


def reopened_at(incident: Incident) -> float | None:
    """When the incident last reopened (its check failed again soon after it resolved)."""
    return next((e.at for e in reversed(incident.timeline) if e.type == Entry.REOPENED), None)


def build_payload(
    incident: Incident,
    tz: ZoneInfo,
    *,
    app: dict[str, Any],
    links: dict[str, str],
    deadlines: dict[str, str | None],
    language: str,
) -> dict[str, Any]:
    """The snapshot stored with a delivery: the incident plus what a message needs to say."""
    # What people call the check, in the notification's language (an extension of INCIDENT).
    body = incident_json(incident, tz) | {"check_title": incident.check_title(language)}
    for child, shown in zip(incident.children, body["children"], strict=True):
        shown["check_title"] = child.check_title(language)
    return {
        "incident": body,
        "app": app,  # name, department, category, tier, owner_name
        "links": links,  # ack (the phone page), incident (its console page)
        "deadlines": deadlines,  # response, resolution: ISO times
        "language": language,
    }
