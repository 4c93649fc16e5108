"""The audit as JSON (`inventory audit --format json`): codes in English for scripts, with the
evidence figures behind every class (its reason codes and `evidence`, which the sentence in
`basis` is made of), and the rules text the page shows; sentences in the reader's language."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from alerting.payload import iso
from monitor.governance.inventory import texts
from monitor.governance.inventory.model import AppAudit, Audit, Finding
from monitor.governance.inventory.words import rules, traffic_note


def to_json(audit: Audit, lang: str | None = None) -> dict[str, Any]:
    """The audit's JSON; its sentences in `lang` (default: the audit's, service.language)."""
    lang = lang or audit.language
    tz = ZoneInfo(audit.timezone)
    return {
        "generated_at": iso(audit.generated_at, tz),
        "timezone": audit.timezone,
        "today": audit.today.isoformat(),
        "quarter_end": audit.quarter_end.isoformat(),
        "days_left": audit.days_left,
        "deadline": audit.deadline.isoformat(),
        "months": list(audit.months),
        "has_probe_data": audit.has_probe_data,
        "apps": [_app(app, tz, lang) for app in audit.apps],
        "summary": audit.summary(),
        "rules": list(rules(lang)),
    }


def _app(app: AppAudit, tz: ZoneInfo, lang: str) -> dict[str, Any]:
    reach = app.reachability
    rect = app.rectification
    owner = None if app.owner_name is None else {
        "name": app.owner_name, "mobile": app.owner_mobile, "email": app.owner_email}
    return {
        "id": app.id, "name": app.name, "department": app.department,
        "category": app.category, "tier": app.tier, "owner": owner,
        "missing": list(app.missing),
        "duplicates": [{"by": d.by, "value": d.value, "apps": list(d.others)}
                       for d in app.duplicates],
        "reachability": {
            "status": reach.status, "since": iso(reach.since, tz),
            "checks": [{"id": c.id, "kind": c.kind, "status": c.status,
                        "since": iso(c.since, tz), "last_run_at": iso(c.last_run_at, tz),
                        "message": c.message} for c in reach.checks],
        },
        "traffic": {"status": app.traffic_status, "last_day": app.traffic_last_day,
                    "sources": list(app.traffic_sources),
                    "note": traffic_note(app.traffic_status, app.traffic_last_day, lang)},
        "months": [{"month": m.month, "availability_pct": m.availability_pct,
                    "probes": m.probes, "failed_probes": m.failed_probes,
                    "uv_sum": m.uv_sum, "pv": m.pv, "traffic_days": m.traffic_days}
                   for m in app.months],
        "classes": [_finding(f, lang) for f in app.findings],
        "rectification": None if rect is None else {
            "actions": list(texts.actions(rect, lang)), "deadline": rect.deadline.isoformat()},
    }  # fmt: skip


def _finding(finding: Finding, lang: str) -> dict[str, Any]:
    t = finding.trend
    return {
        "class": finding.cls, "level": finding.level, "reasons": list(finding.reasons),
        "evidence": dict(finding.evidence), "basis": texts.basis(finding, lang),
        "trend": {"direction": t.direction, "metric": t.metric, "months": list(t.months),
                  "values": list(t.values)},
    }  # fmt: skip
