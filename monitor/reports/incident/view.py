"""What the analysis page needs beyond the model: the key-moments strip, the notification
lines in words, the per-minute charts and the "to be completed" hints of empty sections."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from alerting.payload import iso
from monitor.reports.charts import FAIR, GOOD, POOR
from monitor.reports.fmt import Formatter
from monitor.reports.incident.minutecharts import Marker, Window, latency_chart, runs_chart
from monitor.reports.incident.model import (
    NOTIFIED,
    NOTIFY_FAILED,
    CheckEvidence,
    IncidentReport,
    TimelineItem,
)
from monitor.reports.texts import duration_text

# The human sections, in page order, each with the note prefix that fills it.
HUMAN_SECTIONS = ("direct_cause", "root_cause", "steps", "actions", "lessons")
DAY_S = 86400.0


@dataclass(frozen=True, slots=True)
class FlowStep:
    key: str  # flow.<key> label
    at: float | None  # None: has not happened (yet)
    since_start: float | None  # seconds after the first failure
    detail: str


@dataclass(frozen=True, slots=True)
class EvidenceView:
    evidence: CheckEvidence
    runs_chart: Markup | None
    latency_chart: Markup | None


def incident_context(report: IncidentReport, f: Formatter) -> dict[str, Any]:
    basic = report.basic
    return {
        "r": report,
        "f": f,
        "lang": report.language,
        "b": basic,
        "generated": iso(report.generated_at, f.tz),
        "flow": flow(report, f),
        "response_limit": duration_text(report.language, report.response.limit_seconds),
        "resolution_limit": duration_text(report.language, report.resolution.limit_seconds),
        "evidence": [_evidence(check, report, f) for check in report.checks],
        "detail": lambda item: timeline_detail(item, f),
        "todo": {key: _todo(key, basic.incident_id, f) for key in HUMAN_SECTIONS},
    }


def _recipients(items: Sequence[TimelineItem]) -> str:
    """Who was told: each target once, with the mobiles (@) and addresses it reached."""
    seen: dict[str, list[str]] = {}
    for item in items:
        names = seen.setdefault(item.target or item.notifier_id or "?", [])
        for who in item.recipients:
            shown = who if "@" in who else f"@{who}"
            if shown not in names:
                names.append(shown)
    return ", ".join(f"{target} {' '.join(names)}".strip() for target, names in seen.items())


def flow(report: IncidentReport, f: Formatter) -> list[FlowStep]:
    """First failure -> detected -> notified (to whom) -> acknowledged -> resolved -> report."""
    d, handlers = report.durations, report.basic.handlers
    sent = [i for i in report.timeline if i.type == NOTIFIED]
    first_sent = sent[0].at if sent else None
    # "Notified" means the first round: every delivery sent for the event that opened it.
    first_round = [i for i in sent if sent and i.event == sent[0].event]
    resolver = handlers.resolved_by or (f.t("basic.auto") if report.basic.auto_resolved else "")
    steps = [
        ("first_failure", d.started_at, ""),
        ("detected", d.opened_at, report.basic.summary),
        ("notified", first_sent, _recipients(first_round)),
        ("acknowledged", d.acknowledged_at, handlers.acknowledged_by or ""),
        ("resolved", d.resolved_at, resolver if d.resolved_at is not None else ""),
        ("report", report.generated_at, ""),
    ]
    return [FlowStep(key, at, None if at is None else at - d.started_at, detail)
            for key, at, detail in steps]


def timeline_detail(item: TimelineItem, f: Formatter) -> str:
    if item.type not in (NOTIFIED, NOTIFY_FAILED):
        return item.note or ""
    event = f.t(f"event.{item.event}") if item.event and f.has(f"event.{item.event}") \
        else item.event or ""
    parts = [f.t("notified.via", notifier=item.notifier_id or "?", event=event)]
    who = _recipients([item])
    if who:
        parts.append(f.t("notified.to", who=who))
    if item.type == NOTIFY_FAILED:
        parts.append(" · ".join(p for p in (item.delivery_state, item.note) if p))
    return f.join(parts)


def _evidence(check: CheckEvidence, report: IncidentReport, f: Formatter) -> EvidenceView:
    if not check.minutes:
        return EvidenceView(check, None, None)
    d = report.durations
    markers = [Marker(d.opened_at, f.t("flow.detected"), POOR)]
    if d.acknowledged_at is not None:
        markers.append(Marker(d.acknowledged_at, f.t("flow.acknowledged"), FAIR))
    if d.resolved_at is not None:
        markers.append(Marker(d.resolved_at, f.t("flow.resolved"), GOOD))
    # Over a day, HH:MM alone is ambiguous: the axis then shows the date too.
    long = check.window_end - check.window_start > DAY_S
    window = Window(check.window_start, check.window_end, f.short if long else f.clock, markers)
    return EvidenceView(check,
                        runs_chart(check.minutes, window, f"{check.check_id}: "
                                   f"{f.t('chart.failures')}"),
                        latency_chart(check.minutes, window, f"{check.check_id}: "
                                      f"{f.t('chart.latency')}"))


def _todo(key: str, incident_id: str, f: Formatter) -> str:
    example = f.t(f"example.{key}")
    if key == "steps":
        return f.t("todo.steps_text", id=incident_id, example=example)
    return f.t("todo", id=incident_id, prefix=f.t(f"todo.{key}"), example=example)
