"""`report incident --format json`: the analysis report, section by section.

`incident` is the INCIDENT object of CONTRACT.md §3 with its timeline (the API's own
rendering, alerting.payload.incident_json), so scripts read the same fields everywhere.
"""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from alerting.payload import incident_json, iso
from monitor.reports.incident.model import (
    CheckEvidence,
    IncidentReport,
    NoteText,
    SlaCheck,
    TimelineItem,
)

Json = dict[str, Any]


def incident_report_json(report: IncidentReport) -> Json:
    tz = ZoneInfo(report.timezone)
    basic, d, impact, analysis = report.basic, report.durations, report.impact, report.analysis
    return {
        "generated_at": iso(report.generated_at, tz),
        "incident": incident_json(report.incident, tz, timeline=True),
        "basic": {
            "incident_id": basic.incident_id, "app_id": basic.app_id,
            "app_name": basic.app_name, "department": basic.department,
            "category": basic.category, "tier": basic.tier, "owner": basic.owner_name,
            "check_id": basic.check_id, "check_kind": basic.check_kind,
            "check_name": basic.check_name,
            "severity": basic.severity, "state": basic.state, "summary": basic.summary,
            "source": basic.source, "address": basic.address,
            "auto_resolved": basic.auto_resolved,
            "reopen_count": basic.reopen_count,
            "handlers": {"acknowledged_by": basic.handlers.acknowledged_by,
                         "resolved_by": basic.handlers.resolved_by,
                         "note_authors": list(basic.handlers.note_authors)},
        },
        "timeline": [_item(item, tz) for item in report.timeline],
        "durations": {
            "started_at": iso(d.started_at, tz), "opened_at": iso(d.opened_at, tz),
            "acknowledged_at": iso(d.acknowledged_at, tz),
            "resolved_at": iso(d.resolved_at, tz), "ongoing": d.ongoing,
            "detection_seconds": _s(d.detection_seconds),
            "outage_seconds": _s(d.outage_seconds),
            "response_seconds": _s(d.response_seconds),
            "resolution_seconds": _s(d.resolution_seconds),
        },
        "sla": {"response": _sla(report.response, tz), "resolution": _sla(report.resolution, tz)},
        "raw_available": report.raw_available,
        "checks": [_evidence(check, tz) for check in report.checks],
        "impact": {"apps": list(impact.apps), "app_names": list(impact.app_names),
                   "related_incidents": list(impact.related_incidents),
                   "duration_seconds": _s(impact.duration_seconds), "users": impact.users},
        "analysis": {
            "direct_cause": [_note(n, tz) for n in analysis.direct_cause],
            "root_cause": [_note(n, tz) for n in analysis.root_cause],
            "actions": [
                {"what": a.what, "owner": a.owner, "deadline": a.deadline,
                 "deadline_valid": a.deadline_valid, "at": iso(a.at, tz), "by": a.by}
                for a in analysis.actions
            ],
            "lessons": [_note(n, tz) for n in analysis.lessons],
            "steps": [_note(n, tz) for n in analysis.steps],
        },
        "methods": {m.key: m.text for m in report.methods},
        "family": _family(report, tz),
    }  # fmt: skip


def _family(report: IncidentReport, tz: ZoneInfo) -> Json:
    """A correlated outage's children with their times and states, or a child's parent."""
    parent = report.parent
    return {
        "parent": None if parent is None else {
            "id": parent.id, "summary": parent.summary, "state": parent.state,
            "opened_at": iso(parent.opened_at, tz), "apps": parent.apps},
        "children": [
            {"id": c.id, "app_id": c.app_id, "app_name": c.app_name, "check_id": c.check_id,
             "check_name": c.check_name, "summary": c.summary,
             "started_at": iso(c.started_at, tz), "opened_at": iso(c.opened_at, tz),
             "resolved_at": iso(c.resolved_at, tz), "state": c.state, "severity": c.severity,
             "outage_seconds": _s(c.outage_seconds), "ongoing": c.ongoing}
            for c in report.children
        ],
    }  # fmt: skip


def _s(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds, 3)


def _item(item: TimelineItem, tz: ZoneInfo) -> Json:
    body: Json = {"at": iso(item.at, tz), "type": item.type}
    optional = (("by", item.by), ("note", item.note), ("notifier_id", item.notifier_id),
                ("event", item.event), ("target", item.target),
                ("delivery_state", item.delivery_state))
    body.update((key, value) for key, value in optional if value is not None)
    if item.recipients:
        body["recipients"] = list(item.recipients)
    return body


def _sla(check: SlaCheck, tz: ZoneInfo) -> Json:
    return {"limit_seconds": check.limit_seconds, "due_at": iso(check.due_at, tz),
            "actual_seconds": _s(check.actual_seconds), "outcome": check.outcome}


def _note(note: NoteText, tz: ZoneInfo) -> Json:
    return {"at": iso(note.at, tz), "by": note.by, "text": note.text}


def _evidence(check: CheckEvidence, tz: ZoneInfo) -> Json:
    app = {} if check.app_id is None else {"app_id": check.app_id, "app_name": check.app_name}
    return {
        **app, "check_id": check.check_id, "kind": check.kind, "name": check.name,
        "window": {"start": iso(check.window_start, tz), "end": iso(check.window_end, tz)},
        "results": check.results, "failures": check.failures,
        "error_kinds": {c.key: c.count for c in check.error_kinds},
        "first_error": {"at": iso(check.first_error_at, tz), "message": check.first_error},
        "last_error": {"at": iso(check.last_error_at, tz), "message": check.last_error},
        "truncated": check.truncated,
        "minutes": [
            {"at": iso(m.at, tz), "runs": m.runs, "failures": m.failures,
             "latency_mean_ms": m.latency_mean_ms, "latency_max_ms": m.latency_max_ms}
            for m in check.minutes
        ],
    }  # fmt: skip
