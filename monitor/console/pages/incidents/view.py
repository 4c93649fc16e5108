"""View models of the incident pages: plain data in, plain rows out, no I/O (the list's
filters are in incidentfilters).

Times are shown in service.timezone; deadlines are also given in epoch milliseconds, so
console.js counts them down live (data-deadline) while the incident waits for a person.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import quote
from zoneinfo import ZoneInfo

from alerting.model import (
    ChildRef,
    Entry,
    Incident,
    IncidentKind,
    IncidentState,
    TimelineEntry,
)
from alerting.storetypes import DeliveryRecord
from monitor.core.catalog import pick
from monitor.core.catalog.console_incidents import WORDS
from monitor.core.checknames import check_title
from monitor.core.config.model import Config
from monitor.core.durations import span
from monitor.incidentview import incident_view
from monitor.reports.incident.notes import DIRECT_CAUSE, split_note


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
    kind: str = IncidentKind.OUTAGE
    parent_id: str | None = None  # a child of a correlated outage: its parent
    children: int = 0  # a correlated outage: how many apps' incidents joined it

    @property
    def is_parent(self) -> bool:
        """A correlated outage (大面积故障): no app of its own, a family of app incidents."""
        return self.kind == IncidentKind.CORRELATED


def incident_row(incident: Incident, config: Config, tz: ZoneInfo, lang: str) -> IncidentRow:
    view = incident_view(incident, config)
    # A correlated outage has no SLA clocks: no deadline counts down for it.
    clocks = incident.kind != IncidentKind.CORRELATED
    return IncidentRow(
        id=incident.id, state=incident.state.value, severity=incident.severity.value,
        app_id=incident.app_id, app_name=incident.app_name, department=view.department,
        check_id=incident.check_id, check_title=view.check_title(lang),
        summary=incident.summary, opened=local(incident.opened_at, tz, "%m-%d %H:%M"),
        response=span(incident.response_seconds, lang),
        resolution=span(incident.resolution_seconds, lang),
        response_breached=incident.response_breached,
        resolution_breached=incident.resolution_breached,
        response_due_ms=_ms(view.response_due_at)
        if clocks and view.awaiting_response else None,
        resolution_due_ms=_ms(view.resolution_due_at)
        if clocks and incident.is_active and view.resolution_due_at is not None else None,
        kind=incident.kind, parent_id=incident.parent_id, children=len(incident.children),
    )


def _ms(ts: float) -> int:
    return int(ts * 1000)


@dataclass(frozen=True, slots=True)
class TimelineItem:
    at: str
    type: str
    by: str
    note: str
    link: str = ""  # an incident the entry names (a child's parent): its page


@dataclass(frozen=True, slots=True)
class ChildItem:
    """One app's incident in a correlated outage, as the parent's page lists it."""

    id: str
    app_id: str
    app_name: str
    check_title: str
    summary: str
    started: str  # local time of its first failure
    state: str  # "" when its record cannot be read


@dataclass(frozen=True, slots=True)
class ParentLink:
    """The correlated outage a child belongs to, as the child's page names it."""

    id: str
    summary: str  # "" when the parent's record cannot be read
    apps: int  # its children so far (0: unknown)
    state: str  # "" when unknown


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
    children: tuple[ChildItem, ...] = ()  # a correlated outage: its family, in order
    parent: ParentLink | None = None  # a child: the correlated outage it belongs to
    # Resolved with no cause given (a recovery resolved it) and none noted since: the page
    # offers to fill it in (a note with the direct-cause prefix: the analysis report reads it).
    cause_missing: bool = False
    late_ack: bool = False  # acknowledged after the response limit


def cause_missing(incident: Incident) -> bool:
    if incident.state is not IncidentState.RESOLVED or incident.cause:
        return False
    return not any(part.section == DIRECT_CAUSE for entry in incident.timeline if entry.note
                   for part in split_note(entry.note))


def _facts(incident: Incident, row: IncidentRow, tz: ZoneInfo, lang: str) -> list[
        tuple[str, str]]:
    def when_by(at: float | None, by: str | None) -> str:
        if at is None:
            return ""
        text = local(at, tz)
        return pick(WORDS, lang, "resolved.when_by", when=text, by=by) if by else text

    facts = [
        ("fact.summary", incident.summary),
        ("fact.check", "" if row.is_parent else row.check_title),
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


def _timeline_item(entry: TimelineEntry, tz: ZoneInfo, lang: str) -> TimelineItem:
    at, kind, by, text = local(entry.at, tz), entry.type, entry.by, entry.note or ""
    if kind == Entry.CORRELATED and text:  # the parent's id: a link to its page
        return TimelineItem(at, kind, by or "", text, link=incident_href(text))
    if kind == Entry.JOINED and text.isdigit():  # how many joined, in words
        return TimelineItem(at, kind, by or "", pick(WORDS, lang, "entry.joined_note", n=text))
    return TimelineItem(at, kind, by or "", text)


def incident_href(incident_id: str) -> str:
    """The console page of an incident (the id quoted: ids are data)."""
    return f"/incidents/{quote(incident_id, safe='')}"


def child_item(child: ChildRef, record: Incident | None, config: Config, tz: ZoneInfo,
               lang: str) -> ChildItem:
    """A child as its parent lists it; its state from its own record when that was read."""
    app = config.app(child.app_id)
    check = next((c for c in app.checks if c.id == child.check_id), None) if app else None
    title = check_title(check.name if check else child.check_name,
                        check.kind if check else child.check_kind, child.check_id, lang)
    return ChildItem(id=child.id, app_id=child.app_id, app_name=app.name if app else child.app_name,
                     check_title=title, summary=child.summary, started=local(child.started_at, tz),
                     state=record.state.value if record is not None else "")


def parent_link(parent_id: str, parent: Incident | None) -> ParentLink:
    if parent is None:
        return ParentLink(parent_id, "", 0, "")
    return ParentLink(parent_id, parent.summary, len(parent.children), parent.state.value)


def incident_detail(incident: Incident, deliveries: Sequence[DeliveryRecord], config: Config,
                    tz: ZoneInfo, lang: str, *, family: Mapping[str, Incident] | None = None
                    ) -> IncidentDetail:
    """The detail page's model. `family`: the records of the incident's parent or children
    that could be read, by id (a missing one is shown without its state)."""
    row = incident_row(incident, config, tz, lang)
    known = family or {}
    timeline = tuple(_timeline_item(e, tz, lang) for e in incident.timeline)
    return IncidentDetail(
        row=row, facts=tuple(_facts(incident, row, tz, lang)), timeline=timeline,
        deliveries=tuple(delivery_item(r, tz) for r in deliveries),
        can_ack=incident.state is IncidentState.OPEN, can_resolve=incident.is_active,
        children=tuple(child_item(c, known.get(c.id), config, tz, lang)
                       for c in incident.children),
        parent=parent_link(incident.parent_id, known.get(incident.parent_id))
        if incident.parent_id else None,
        cause_missing=cause_missing(incident),
        late_ack=incident.acknowledged_at is not None and incident.response_breached,
    )
