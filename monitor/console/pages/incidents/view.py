"""View models of the incident pages: plain data in, plain rows out, no I/O (the list's
filters are in incidentfilters).

Times are shown in service.timezone; deadlines are also given in epoch milliseconds, so
console.js counts them down live (data-deadline) while the incident waits for a person.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from alerting.model import Incident, IncidentState
from alerting.storetypes import DeliveryRecord
from monitor.core.catalog import pick
from monitor.core.catalog.console_incidents import WORDS
from monitor.core.config.model import Config
from monitor.core.durations import span
from monitor.incidentview import incident_view


def local(ts: float | None, tz: ZoneInfo, fmt: str = "%Y-%m-%d %H:%M:%S") -> str:
    return "" if ts is None else dt.datetime.fromtimestamp(ts, tz).strftime(fmt)


@dataclass(frozen=True, slots=True)
class IncidentRow:
    id: str
    state: str
    severity: str
    app_id: str
    app_name: str
    department: str
    check_id: str
    check_title: str  # the check's name, else its kind's name
    summary: str
    opened: str  # local time
    response: str  # duration text, "" while not acknowledged
    resolution: str
    response_breached: bool
    resolution_breached: bool
    response_due_ms: int | None  # set while open and unacknowledged
    resolution_due_ms: int | None  # set while not resolved


def incident_row(incident: Incident, config: Config, tz: ZoneInfo, lang: str) -> IncidentRow:
    view = incident_view(incident, config)
    return IncidentRow(
        id=incident.id, state=incident.state.value, severity=incident.severity.value,
        app_id=incident.app_id, app_name=incident.app_name, department=view.department,
        check_id=incident.check_id, check_title=view.check_title(lang),
        summary=incident.summary, opened=local(incident.opened_at, tz, "%m-%d %H:%M"),
        response=span(incident.response_seconds, lang),
        resolution=span(incident.resolution_seconds, lang),
        response_breached=incident.response_breached,
        resolution_breached=incident.resolution_breached,
        response_due_ms=_ms(view.response_due_at) if view.awaiting_response else None,
        resolution_due_ms=_ms(view.resolution_due_at) if incident.is_active else None,
    )


def _ms(ts: float) -> int:
    return int(ts * 1000)


@dataclass(frozen=True, slots=True)
class TimelineItem:
    at: str
    type: str
    by: str
    note: str


@dataclass(frozen=True, slots=True)
class DeliveryItem:
    notifier: str
    target: str
    event: str
    state: str
    attempts: int
    last_error: str
    sent_at: str


@dataclass(frozen=True, slots=True)
class IncidentDetail:
    row: IncidentRow
    facts: tuple[tuple[str, str], ...]  # (word key, value), only facts that are known
    timeline: tuple[TimelineItem, ...]
    deliveries: tuple[DeliveryItem, ...]
    can_ack: bool
    can_resolve: bool


def _facts(incident: Incident, row: IncidentRow, tz: ZoneInfo, lang: str) -> list[
        tuple[str, str]]:
    def when_by(at: float | None, by: str | None) -> str:
        if at is None:
            return ""
        text = local(at, tz)
        return pick(WORDS, lang, "resolved.when_by", when=text, by=by) if by else text

    facts = [
        ("fact.summary", incident.summary),
        ("fact.check", row.check_title),
        ("fact.address", incident.address or ""),
        ("fact.department", row.department),
        ("fact.started", local(incident.started_at, tz)),
        ("fact.opened", local(incident.opened_at, tz)),
        ("fact.acknowledged", when_by(incident.acknowledged_at, incident.acknowledged_by)),
        ("fact.response", row.response),
        ("fact.resolved", when_by(incident.resolved_at, incident.resolved_by)
         + (pick(WORDS, lang, "resolved.auto") if incident.auto_resolved else "")),
        ("fact.resolution", row.resolution),
        ("fact.cause", incident.cause or ""),
        ("fact.source", incident.source if incident.source != "probe" else ""),
        ("fact.reopened", str(incident.reopen_count) if incident.reopen_count else ""),
    ]
    return [(key, value) for key, value in facts if value]


def delivery_item(record: DeliveryRecord, tz: ZoneInfo) -> DeliveryItem:
    d = record.delivery
    return DeliveryItem(notifier=d.notifier_id, target=d.target, event=d.event,
                        state=record.state.value, attempts=record.attempts,
                        last_error=record.last_error or "", sent_at=local(record.sent_at, tz))


def incident_detail(incident: Incident, deliveries: Sequence[DeliveryRecord], config: Config,
                    tz: ZoneInfo, lang: str) -> IncidentDetail:
    row = incident_row(incident, config, tz, lang)
    timeline = tuple(TimelineItem(local(e.at, tz), e.type, e.by or "", e.note or "")
                     for e in incident.timeline)
    return IncidentDetail(
        row=row, facts=tuple(_facts(incident, row, tz, lang)), timeline=timeline,
        deliveries=tuple(delivery_item(r, tz) for r in deliveries),
        can_ack=incident.state is IncidentState.OPEN, can_resolve=incident.is_active,
    )
