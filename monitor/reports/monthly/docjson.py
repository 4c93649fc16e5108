"""The document parts of the monthly report in the JSON (extra keys `document` and `traffic`;
CONTRACT §5's keys are untouched)."""

from __future__ import annotations

import dataclasses
from typing import Any
from zoneinfo import ZoneInfo

from alerting.payload import iso
from monitor.reports.monthly.model import MonthlyReport

Json = dict[str, Any]


def document_json(report: MonthlyReport, tz: ZoneInfo) -> Json:
    cover = report.cover
    return {
        "cover": None if cover is None else {
            "organisation": cover.organisation, "title": cover.title, "number": cover.number,
            "period": cover.period, "generated": cover.generated, "complete": cover.complete,
            "as_of": iso(cover.as_of, tz)},
        "summary": [{"key": p.key, "text": p.text} for p in report.summary],
        "recommendations": [
            {"app_id": r.app_id, "app_name": r.app_name, "department": r.department,
             "owner_name": r.owner_name, "reasons": list(r.reasons),
             "problems": list(r.problems), "actions": list(r.actions)}
            for r in report.recommendations],
        "previous_month": None if report.previous is None
        else dataclasses.asdict(report.previous),
        "certificate_apps": [
            {"app_id": c.app_id, "app_name": c.app_name, "days_left": c.days_left,
             "expires_at": iso(c.expires_at, tz), "checks": list(c.checks)}
            for c in report.certificate_apps],
    }  # fmt: skip


def traffic_json(report: MonthlyReport) -> list[Json] | None:
    if report.traffic is None:
        return None
    return [dataclasses.asdict(t) for t in report.traffic]
