"""The quarterly watch report as JSON: codes in English, figures as the model holds them, and
the evidence and actions in the report's language beside their codes."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from monitor.reports.quarterly.model import AtRisk, ItemStatus, QuarterlyReport


def _iso(ts: float | None, tz: ZoneInfo) -> str | None:
    return None if ts is None else dt.datetime.fromtimestamp(ts, tz).isoformat(timespec="seconds")


def to_json(report: QuarterlyReport) -> dict[str, Any]:
    tz = ZoneInfo(report.timezone)
    q = report.quarter
    items = report.items()
    states = [i.state for i in items.values()]
    at_risk = {r.app_id for s in report.sections for r in s.rows}
    return {
        "kind": "quarterly_watch",
        "quarter": {"code": q.code, "year": q.year, "number": q.number,
                    "start": q.start.isoformat(), "end": q.end.isoformat(),
                    "months": list(q.months)},
        "generated_at": _iso(report.generated_at, tz),
        "as_of": _iso(report.as_of, tz),
        "timezone": report.timezone,
        "language": report.language,
        "today": report.today.isoformat(),
        "notice_day": q.end.isoformat(),
        "days_left": report.days_left,
        "deadline": report.deadline.isoformat() if report.deadline else None,
        "months": list(report.months),
        "cover": {"organisation": report.cover.organisation, "title": report.cover.title,
                  "number": report.cover.number},
        "summary": {
            "listed_apps": report.listed_apps,
            "apps_at_risk": report.apps_at_risk,
            "apps_flagged": report.apps_flagged,
            "apps_warning_only": report.apps_at_risk - report.apps_flagged,
            "classes": {s.cls: {"flagged": s.flagged, "warning": s.warning,
                                "total": len(s.rows)} for s in report.sections},
            "items": {"total": len(items), "open": states.count("open"),
                      "overdue": states.count("overdue"), "done": states.count("done"),
                      "apps_without_item": len(at_risk - items.keys())},
        },
        "classes": {s.cls: [_row(r, tz) for r in s.rows] for s in report.sections},
        "rules": list(report.rules),
    }


def _row(row: AtRisk, tz: ZoneInfo) -> dict[str, Any]:
    return {
        "app_id": row.app_id, "app_name": row.app_name, "department": row.department,
        "owner": {"name": row.owner_name, "mobile": row.owner_mobile}
        if row.owner_name or row.owner_mobile else None,
        "level": row.level, "reasons": list(row.reasons), "basis": row.basis,
        "evidence": dict(row.evidence), "trend": row.trend, "zero_days": row.zero_days,
        "months": [{"month": m.month, "in_quarter": m.in_quarter,
                    "availability_pct": m.availability_pct, "probes": m.probes,
                    "failed_probes": m.failed_probes, "uv_sum": m.uv_sum, "pv": m.pv,
                    "traffic_days": m.traffic_days} for m in row.months],
        "suggested_actions": list(row.actions),
        "item": _item(row.item, tz) if row.item else None,
    }


def _item(item: ItemStatus, tz: ZoneInfo) -> dict[str, Any]:
    return {
        "id": item.id, "state": item.state, "opened_at": _iso(item.opened_at, tz),
        "deadline": item.deadline.isoformat(), "days_to_deadline": item.days_to_deadline,
        "closed_at": _iso(item.closed_at, tz), "closed_by": item.closed_by,
        "actions": list(item.actions),
        "progress": [{"at": _iso(p.at, tz), "by": p.by, "kind": p.kind, "note": p.note}
                     for p in item.progress],
    }
