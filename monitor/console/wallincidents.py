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

_SEVERITY_RANK = {"critical": 0, "major": 1, "minor": 2}


@dataclass(frozen=True, slots=True)
class IncidentView:
    id: str
    app_id: str
    app_name: str
    check_id: str
    severity: str
    state: str
    summary: str
    department: str
    category: str
    tier: int
    opened_ms: int
    response_due_ms: int
    resolution_due_ms: int
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


def duration_text(seconds: float | None, lang: str) -> str:
    """5分03秒 / 1小时5分, like console.js writes its countdowns ("" for None)."""
    if seconds is None:
        return ""
    s = max(0, int(seconds))
    hours, minutes, secs = s // 3600, s % 3600 // 60, s % 60
    if lang == "en":
        return f"{hours}h {minutes}m" if hours else f"{minutes}m {secs:02d}s"
    return f"{hours}小时{minutes}分" if hours else f"{minutes}分{secs:02d}秒"


def incident_views(config: Config, active: Iterable[Incident], now: float
                   ) -> tuple[IncidentView, ...]:
    """Open and acknowledged incidents, unacknowledged first, then by severity and age."""
    tz, sla = ZoneInfo(config.service.timezone), config.sla
    apps = {app.id: app for app in config.apps}
    views = []
    for i in active:
        if i.state is IncidentState.RESOLVED:
            continue
        app = apps.get(i.app_id)
        respond, resolve = i.opened_at + sla.response_s, i.opened_at + sla.resolution_s
        views.append(IncidentView(
            i.id, i.app_id, app.name if app else i.app_name, i.check_id, i.severity.value,
            i.state.value, i.summary, app.department if app else "",
            app.category if app else "", app.tier if app else 0, ms(i.opened_at),
            ms(respond), ms(resolve), clock_text(respond, now, tz),
            clock_text(resolve, now, tz), i.acknowledged_by, i.response_seconds,
            duration_text(i.response_seconds, config.service.language),
            i.response_breached, i.resolution_breached))
    views.sort(key=lambda v: (v.state != "open", _SEVERITY_RANK.get(v.severity, 9),
                              v.opened_ms, v.id))
    return tuple(views)
