"""The incident analysis report (故障分析报告): gather one incident's record once.

    report = await build_incident_report(config, ledger, store, incident_id, now=time.time())
    if report is None: ...                       # unknown id
    body = incident_report_json(report)          # monitor.reports.incident.jsonview

Sources: the incident as stored (timeline, ack/resolve, cause), its deliveries (who was told
what and when), the raw results of the app's checks around it, and the incidents of other
apps overlapping it in time (impact).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Final

from alerting.model import ChildRef, Entry, Incident, IncidentKind
from alerting.store import AlertStore, DeliveryRecord, DeliveryState
from monitor.core.config.model import AppConfig, Config
from monitor.incidentview import IncidentView, incident_view
from monitor.ledger.types import Ledger
from monitor.reports.incident.analysis import analyse
from monitor.reports.incident.evidence import EVIDENCE_MARGIN_S, check_evidence
from monitor.reports.incident.model import (
    MITIGATED,
    NOTIFIED,
    NOTIFY_FAILED,
    REPORT,
    BasicInfo,
    CheckEvidence,
    Durations,
    FamilyMember,
    Handlers,
    Impact,
    IncidentReport,
    ParentRef,
    SlaCheck,
    TimelineItem,
)
from monitor.reports.incident.notes import is_mitigation
from monitor.reports.monthly.model import Method
from monitor.reports.reading import incidents_since
from monitor.reports.slastats import resolution_outcome, response_outcome
from monitor.reports.texts import duration_text, report_text

# How far back to look for other incidents that may overlap this one (impact): one still
# open from before is found if it opened at most this long before this one's first failure.
RELATED_LOOKBACK_S: Final = 86400.0


async def build_incident_report(
    config: Config, ledger: Ledger, store: AlertStore, incident_id: str, now: float
) -> IncidentReport | None:
    """The report of one incident; None when the id is unknown."""
    incident = await store.get_incident(incident_id)
    if incident is None:
        return None
    app = config.app(incident.app_id)
    deliveries = await store.deliveries_for(incident.id)
    end = incident.resolved_at if incident.resolved_at is not None else now
    family = {i.id: i for i in await _records(store, incident)}
    children = tuple(_member(c, family.get(c.id), config, now) for c in incident.children)
    if incident.children:  # a correlated outage: the evidence is its apps' failing checks
        checks = await _children_evidence(ledger, incident, config, family, now)
    else:
        checks = await _evidence(ledger, incident, app, end)
    others = await incidents_since(store, incident.started_at - RELATED_LOOKBACK_S)
    # The family is named in its own section, not among the incidents that merely overlap.
    skip = {incident.id, *(c.id for c in incident.children), *family}
    related = [o for o in others if o.id not in skip and _overlaps(o, incident, end, now)]
    own_apps = [c.app_id for c in incident.children] if incident.children \
        else [incident.app_id]
    sla = config.sla
    return IncidentReport(
        generated_at=now, timezone=config.service.timezone, language=config.service.language,
        incident=incident, basic=_basic(incident_view(incident, config)),
        timeline=_timeline(incident, deliveries, now),
        durations=_durations(incident, end),
        response=SlaCheck(sla.response_s, incident.opened_at + sla.response_s,
                          incident.response_seconds,
                          response_outcome(incident, sla.response_s, now).value),
        resolution=SlaCheck(sla.resolution_s, incident.opened_at + sla.resolution_s,
                            incident.resolution_seconds,
                            resolution_outcome(incident, sla.resolution_s, now).value),
        checks=checks, raw_available=any(c.results for c in checks),
        # Only what the incident touched: its app, or a correlated outage's apps. Others that
        # failed at the same time are not its impact (they stay in the JSON as overlapping).
        impact=Impact(
            apps=_unique(own_apps),
            app_names=tuple(_app_name(config, a) for a in _unique(own_apps)),
            related_incidents=tuple(o.id for o in sorted(related, key=lambda o: o.opened_at)),
            duration_seconds=end - incident.started_at, users=None,
        ),
        analysis=analyse(incident),
        methods=_methods(config, correlated=incident.kind == IncidentKind.CORRELATED),
        children=children,
        parent=_parent(incident.parent_id, family.get(incident.parent_id))
        if incident.parent_id else None,
    )  # fmt: skip


def _app_name(config: Config, app_id: str) -> str:
    app = config.app(app_id)
    return app.name if app else app_id


async def _records(store: AlertStore, incident: Incident) -> list[Incident]:
    """The stored records of a correlated outage's children, or of a child's parent (those
    that can be read: one pruned or never stored is shown without its times)."""
    ids = [c.id for c in incident.children]
    if incident.parent_id:
        ids.append(incident.parent_id)
    found = [await store.get_incident(i) for i in ids]
    return [i for i in found if i is not None]


def _member(child: ChildRef, record: Incident | None, config: Config, now: float
            ) -> FamilyMember:
    app = config.app(child.app_id)
    check = next((c for c in app.checks if c.id == child.check_id), None) if app else None
    resolved = record.resolved_at if record is not None else None
    return FamilyMember(
        id=child.id, app_id=child.app_id, app_name=app.name if app else child.app_name,
        check_id=child.check_id, check_name=check.name if check else child.check_name,
        check_kind=check.kind if check else child.check_kind, summary=child.summary,
        started_at=child.started_at,
        opened_at=record.opened_at if record is not None else None, resolved_at=resolved,
        state=record.state.value if record is not None else None,
        severity=record.severity.value if record is not None else None,
        outage_seconds=None if record is None
        else (resolved if resolved is not None else now) - child.started_at,
        ongoing=record is not None and resolved is None,
    )  # fmt: skip


def _parent(parent_id: str, parent: Incident | None) -> ParentRef:
    if parent is None:
        return ParentRef(parent_id, None, None, None, 0)
    return ParentRef(parent_id, parent.summary, parent.state.value, parent.opened_at,
                     len(parent.children))


async def _children_evidence(ledger: Ledger, incident: Incident, config: Config,
                             family: dict[str, Incident], now: float
                             ) -> tuple[CheckEvidence, ...]:
    """Each child's failing check over its own window, named with its app."""
    found = []
    for child in incident.children:
        record = family.get(child.id)
        end = record.resolved_at if record and record.resolved_at is not None else now
        app = config.app(child.app_id)
        check = next((c for c in app.checks if c.id == child.check_id), None) if app else None
        evidence = await check_evidence(
            ledger, child.app_id, child.check_id, check.kind if check else child.check_kind,
            start=child.started_at - EVIDENCE_MARGIN_S, end=end + EVIDENCE_MARGIN_S,
            name=check.name if check else child.check_name)
        found.append(dataclasses.replace(evidence, app_id=child.app_id,
                                         app_name=app.name if app else child.app_name))
    return tuple(found)


async def _evidence(ledger: Ledger, incident: Incident, app: AppConfig | None, end: float
                    ) -> tuple[CheckEvidence, ...]:
    """The incident's check first, then the app's other checks that failed in the window."""
    start, stop = incident.started_at - EVIDENCE_MARGIN_S, end + EVIDENCE_MARGIN_S
    kinds = {c.id: c.kind for c in app.checks} if app else {}
    names = {c.id: c.name for c in app.checks} if app else {}
    order = [incident.check_id, *(c for c in kinds if c != incident.check_id)]
    found = []
    for check_id in order:
        evidence = await check_evidence(ledger, incident.app_id, check_id, kinds.get(check_id),
                                        start=start, end=stop, name=names.get(check_id))
        if check_id == incident.check_id or evidence.failures:
            found.append(evidence)
    return tuple(found)


def _overlaps(other: Incident, incident: Incident, end: float, now: float) -> bool:
    other_end = other.resolved_at if other.resolved_at is not None else now
    return other.started_at <= end and other_end >= incident.started_at


def _basic(view: IncidentView) -> BasicInfo:
    incident = view.incident
    authors = [e.by for e in incident.timeline if e.type == Entry.NOTE and e.by]
    return BasicInfo(
        incident_id=incident.id, app_id=incident.app_id, app_name=incident.app_name,
        department=view.department, category=view.category, tier=view.tier,
        owner_name=view.owner_name, check_id=incident.check_id, check_kind=view.check_kind,
        check_name=view.check_name,
        severity=incident.severity.value, state=incident.state.value,
        summary=incident.summary, source=incident.source, address=incident.address,
        auto_resolved=incident.auto_resolved, reopen_count=incident.reopen_count,
        handlers=Handlers(incident.acknowledged_by, incident.resolved_by, _unique(authors)),
    )  # fmt: skip


def _timeline(incident: Incident, deliveries: Sequence[DeliveryRecord], now: float
              ) -> tuple[TimelineItem, ...]:
    """Incident entries and notifications by time; at equal times entries come first (a
    notification follows what it announces). The report itself closes the timeline."""
    items = [TimelineItem(e.at, MITIGATED if e.type == Entry.NOTE and is_mitigation(e.note)
                          else str(e.type), e.by, e.note) for e in incident.timeline]
    items.extend(_notification(record) for record in deliveries)
    items.sort(key=lambda item: item.at)  # stable: the order above holds at equal times
    items.append(TimelineItem(now, REPORT))
    return tuple(items)


def _notification(record: DeliveryRecord) -> TimelineItem:
    delivery = record.delivery
    recipients = (*delivery.recipients.at_mobiles, *delivery.recipients.emails)
    if record.state is DeliveryState.SENT and record.sent_at is not None:
        at, kind, note = record.sent_at, NOTIFIED, None
    else:  # never got through (yet): placed at its last attempt, or when it was queued
        last = record.history[-1].at if record.history else delivery.created_at
        at, kind, note = record.finished_at or last, NOTIFY_FAILED, record.last_error
    return TimelineItem(at, kind, note=note, notifier_id=delivery.notifier_id,
                        event=delivery.event, target=delivery.target, recipients=recipients,
                        delivery_state=record.state.value)


def _durations(incident: Incident, end: float) -> Durations:
    return Durations(
        started_at=incident.started_at, opened_at=incident.opened_at,
        acknowledged_at=incident.acknowledged_at, resolved_at=incident.resolved_at,
        ongoing=incident.resolved_at is None,
        detection_seconds=incident.opened_at - incident.started_at,
        outage_seconds=end - incident.started_at,
        response_seconds=incident.response_seconds,
        resolution_seconds=incident.resolution_seconds,
    )  # fmt: skip


def _methods(config: Config, *, correlated: bool = False) -> tuple[Method, ...]:
    lang = config.service.language
    values: dict[str, dict[str, object]] = {
        "evidence": {"margin": duration_text(lang, EVIDENCE_MARGIN_S)},
        "sla": {"response": duration_text(lang, config.sla.response_s),
                "resolution": duration_text(lang, config.sla.resolution_s)},
        "notes": {},
    }
    if correlated:
        values["correlated"] = {}
    return tuple(Method(key, report_text(lang, f"imethod.{key}", **kwargs))
                 for key, kwargs in values.items())


def _unique(values: Sequence[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(values))

