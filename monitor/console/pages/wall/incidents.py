"""The wall's incidents block: open and acknowledged incidents with their SLA deadlines
(config.sla from incident.opened_at) in epoch ms for console.js countdowns. Pure, like
wallview.py (which uses it). An acknowledged incident's response clock has stopped: it carries
the time taken instead of a deadline to count down to.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from alerting.model import Incident, IncidentState
from monitor.core.config.model import Config
from monitor.core.durations import countdown
from monitor.incidentview import incident_view

_SEVERITY_RANK = {"critical": 0, "major": 1, "minor": 2}


@dataclass(frozen=True, slots=True)
class WallIncident:
    id: str
    app_id: str
    app_name: str
    check_id: str
    check_title: str  # the check's name, else its kind's name
    severity: str
    state: str
    summary: str
    department: str
    category: str
    tier: int
    opened_ms: int
    response_due_ms: int
    resolution_due_ms: int | None  # None: no resolution clock (a service request)
    response_due_text: str
    resolution_due_text: str
    acknowledged_by: str | None
    response_took_s: float | None  # set once acknowledged: that countdown has stopped
    response_took_text: str
    response_breached: bool
    resolution_breached: bool


def ms(ts: float) -> int:
    return round(ts * 1000)


def clock_text(ts: float, now: float, tz: ZoneInfo) -> str:
    """10:01 today, 11-24 10:01 on another day."""
    at, today = dt.datetime.fromtimestamp(ts, tz), dt.datetime.fromtimestamp(now, tz)
    return at.strftime("%H:%M") if at.date() == today.date() else at.strftime("%m-%d %H:%M")


def incident_views(config: Config, active: Iterable[Incident], now: float
                   ) -> tuple[WallIncident, ...]:
    """Open and acknowledged incidents, unacknowledged first, then by severity and age."""
    tz, lang = ZoneInfo(config.service.timezone), config.service.language
    views = []
    for incident in active:
        if incident.state is IncidentState.RESOLVED:
            continue
        view, i = incident_view(incident, config), incident
        views.append(WallIncident(
            i.id, i.app_id, view.app_name, i.check_id, view.check_title(lang), i.severity.value,
            i.state.value, i.summary, view.department, view.category, view.tier or 0,
            ms(i.opened_at), ms(view.response_due_at),
            None if view.resolution_due_at is None else ms(view.resolution_due_at),
            clock_text(view.response_due_at, now, tz),
            "" if view.resolution_due_at is None else clock_text(view.resolution_due_at, now, tz),
            i.acknowledged_by, i.response_seconds, countdown(i.response_seconds, lang),
            i.response_breached, i.resolution_breached))
    views.sort(key=lambda v: (v.state != "open", _SEVERITY_RANK.get(v.severity, 9),
                              v.opened_ms, v.id))
    return tuple(views)
