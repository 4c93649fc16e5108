"""`report monthly --format json`: CONTRACT.md §5, exactly, plus extra top-level keys.

The `apps[]` and `totals` objects carry exactly the contract's keys, in its order. Everything
else the model holds (methods, breakdowns, the incident list, daily series...) goes under
additional top-level keys, which the contract allows; no contract key is renamed or moved.
"""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from alerting.payload import iso
from monitor.reports.monthly.docjson import document_json, traffic_json
from monitor.reports.monthly.inventorychanges import inventory_json
from monitor.reports.monthly.model import (
    AppFigures,
    CheckFigures,
    DailyPoint,
    GroupFigures,
    IncidentLine,
    LatencyFigures,
    MonthlyReport,
    Usage,
)
from monitor.reports.monthly.requests import RequestFigures
from monitor.reports.slastats import IncidentFigures

Json = dict[str, Any]


def to_json(report: MonthlyReport) -> Json:
    tz = ZoneInfo(report.timezone)
    totals = report.totals
    body: Json = {
        "month": report.period.month,
        "generated_at": iso(report.generated_at, tz),
        "apps": [_app(app) for app in report.apps],
        "totals": {
            "availability_pct": totals.usage.availability_pct,
            # Events: a correlated outage once, however many apps it took down.
            "incidents": totals.events,
            "mtta_seconds": totals.incidents.mtta_seconds,
            "mttr_seconds": totals.incidents.mttr_seconds,
            "response_within_sla_pct": totals.incidents.response_within_sla_pct,
            "resolution_within_sla_pct": totals.incidents.resolution_within_sla_pct,
        },
    }
    body.update(_extras(report, tz))
    return body


def _app(app: AppFigures) -> Json:
    """One element of §5 `apps`: exactly these keys."""
    return {
        "id": app.id,
        "name": app.name,
        "department": app.department,
        "category": app.category,
        "tier": app.tier,
        "availability_pct": app.usage.availability_pct,
        "probes": app.usage.probes,
        "failed_probes": app.usage.failed_probes,
        "latency_ms": _latency(app.latency),
        "incidents": app.incidents.count,
        "mtta_seconds": app.incidents.mtta_seconds,
        "mttr_seconds": app.incidents.mttr_seconds,
        "response_breaches": app.incidents.response_breaches,
        "resolution_breaches": app.incidents.resolution_breaches,
    }


def _latency(latency: LatencyFigures) -> Json:
    return {"p50": latency.p50_ms, "p95": latency.p95_ms, "p99": latency.p99_ms}


def _extras(report: MonthlyReport, tz: ZoneInfo) -> Json:
    totals = report.totals
    return {
        "timezone": report.timezone,
        "period": {"start": iso(report.period.start, tz), "end": iso(report.period.end, tz)},
        "sla": {"response_seconds": report.sla_response_s,
                "resolution_seconds": report.sla_resolution_s},
        "availability_target_pct": report.availability_target_pct,
        "methods": {m.key: m.text for m in report.methods},
        "summary": {
            **_usage(totals.usage),
            "latency_ms": _latency(totals.latency),
            "apps": totals.apps,
            "apps_below_target": totals.apps_below_target,
            "incident_figures": _incident_figures(totals.incidents),
            "events": totals.events,
        },
        "incidents_by_severity": {c.key: c.count for c in report.incidents_by_severity},
        "breakdowns": {
            dimension: [_group(g) for g in report.group(dimension)]
            for dimension in ("department", "category", "tier")
        },
        "rankings": {
            "lowest_availability": list(report.rankings.lowest_availability),
            "slowest_p95": list(report.rankings.slowest_p95),
            "most_incidents": list(report.rankings.most_incidents),
        },
        "app_details": {app.id: _app_details(app) for app in report.apps},
        "incident_list": [_incident(line, tz) for line in report.incidents],
        "correlated_events": [
            {"id": c.id, "summary": c.summary, "opened_at": iso(c.opened_at, tz),
             "resolved_at": iso(c.resolved_at, tz), "state": c.state, "severity": c.severity,
             "apps": list(c.apps), "incidents": list(c.incidents)}
            for c in report.correlated
        ],
        "certificates": [
            {"app_id": c.app_id, "app_name": c.app_name, "check_id": c.check_id,
             "check_name": c.check_name, "days_left": c.days_left,
             "seen_at": iso(c.seen_at, tz)}
            for c in report.certificates
        ],
        "watch_list": [
            {"app_id": w.app_id, "app_name": w.app_name, "department": w.department,
             "availability_pct": w.availability_pct,
             "worst_week_failed_pct": w.worst_week_failed_pct, "reasons": list(w.reasons)}
            for w in report.watch_list
        ],
        "daily": [_day(point) for point in report.daily],
        "maintenance": [
            {"window_id": m.window_id, "scope": m.scope, "reason": m.reason,
             "start": iso(m.start, tz), "end": iso(m.end, tz), "apps": list(m.apps),
             "excluded_hours": m.excluded_hours}
            for m in report.maintenance
        ],
        "other_incidents": report.other_incidents,
        "warning_incidents": report.warnings,
        "blind_periods": [
            {"start": iso(b.start, tz), "end": iso(b.end, tz), "summary": b.summary}
            for b in report.blind_periods
        ],
        "inventory_changes": None if report.inventory is None
        else inventory_json(report.inventory, tz),
        "requests": None if report.requests is None else _requests(report.requests),
        "document": document_json(report, tz),
        "traffic": traffic_json(report),
    }  # fmt: skip


def _requests(f: RequestFigures) -> Json:
    """服务请求: count, answered within sla.request_response (count and %), by channel."""
    return {
        "count": f.count, "acknowledged": f.acknowledged,
        "answered_within": f.answered_within, "response_breaches": f.response_breaches,
        "pending": f.pending, "answered_within_pct": f.answered_within_pct,
        "mtta_seconds": f.mtta_seconds, "response_limit_seconds": f.response_limit_s,
        "by_channel": {c.channel: {"count": c.count, "answered_within": c.answered_within}
                       for c in f.by_channel},
        "reported_outages": f.reported_outages,
    }  # fmt: skip


def _usage(usage: Usage) -> Json:
    return {"availability_pct": usage.availability_pct, "probes": usage.probes,
            "failed_probes": usage.failed_probes}


def _incident_figures(f: IncidentFigures) -> Json:
    return {
        "count": f.count, "acknowledged": f.acknowledged, "resolved": f.resolved,
        "mtta_seconds": f.mtta_seconds, "mttr_seconds": f.mttr_seconds,
        "response_within": f.response_within, "response_breaches": f.response_breaches,
        "resolution_within": f.resolution_within, "resolution_breaches": f.resolution_breaches,
        "response_within_sla_pct": f.response_within_sla_pct,
        "resolution_within_sla_pct": f.resolution_within_sla_pct,
    }  # fmt: skip


def _group(group: GroupFigures) -> Json:
    return {"key": group.key, "rank": group.rank, "apps": list(group.apps),
            **_usage(group.usage), "below_target": group.below_target,
            "incident_figures": _incident_figures(group.incidents)}


def _app_details(app: AppFigures) -> Json:
    return {
        "owner": app.owner_name,
        "excluded_hours": app.excluded_hours,
        "excluded_probes": app.excluded_probes,
        "unknown_probes": app.unknown_probes,
        "no_data_hours": app.no_data_hours,
        "worst_week_failed_pct": app.worst_week_failed_pct,
        "incident_figures": _incident_figures(app.incidents),
        "checks": [_check(check) for check in app.checks],
        "daily": [_day(point) for point in app.daily],
    }


def _check(check: CheckFigures) -> Json:
    return {"check_id": check.check_id, "kind": check.kind, **_usage(check.usage),
            "latency_ms": _latency(check.latency), "latency_samples": check.latency.samples}


def _day(point: DailyPoint) -> Json:
    return {"date": point.date, **_usage(point.usage), "p95_ms": point.p95_ms}


def _incident(line: IncidentLine, tz: ZoneInfo) -> Json:
    return {
        "id": line.id, "app_id": line.app_id, "app_name": line.app_name,
        "check_id": line.check_id, "check_name": line.check_name,
        "severity": line.severity, "state": line.state,
        "summary": line.summary, "opened_at": iso(line.opened_at, tz),
        "acknowledged_at": iso(line.acknowledged_at, tz),
        "resolved_at": iso(line.resolved_at, tz),
        "response_seconds": _rounded(line.response_seconds),
        "resolution_seconds": _rounded(line.resolution_seconds),
        "response_breached": line.response_breached,
        "resolution_breached": line.resolution_breached, "cause": line.cause,
        "parent_id": line.parent_id,
    }  # fmt: skip


def _rounded(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds, 3)
