"""One incident as every page sees it: the incident joined with what the config says of its app
and check. The console's list and detail, the wall, the phone acknowledgement page and both
reports build their rows from this one model, so an app's department, a check's title or an
SLA deadline is looked up one way everywhere; each page only formats it.

Language-independent (reports keep it as data); `check_title(lang)` names the check for people.
"""

from __future__ import annotations

from dataclasses import dataclass

from alerting.model import Incident, IncidentState
from alerting.policies import sla_deadlines
from monitor.core.checknames import check_title
from monitor.core.config.model import AppConfig, CheckConfig, Config


@dataclass(frozen=True, slots=True)
class IncidentView:
    incident: Incident
    app_name: str  # the configured name; the incident's own when the app is gone
    department: str  # "" when the app is no longer configured
    category: str
    tier: int | None
    owner_name: str | None
    check_name: str | None  # the check's configured display name, if any
    check_kind: str | None  # its probe kind (None: external alerts, checks gone since)
    response_due_at: float  # opened + sla.response (a service request: sla.request_response)
    resolution_due_at: float | None  # opened + sla.resolution; None: no resolution clock

    @property
    def id(self) -> str:
        return self.incident.id

    @property
    def app_id(self) -> str:
        return self.incident.app_id

    @property
    def check_id(self) -> str:
        return self.incident.check_id

    def check_title(self, lang: str) -> str:
        """The check as people read it: its name, else its kind's name, never a bare id."""
        kind = self.check_kind or ("monitor" if self.incident.source == "monitor" else None)
        return check_title(self.check_name, kind, self.incident.check_id, lang)

    @property
    def awaiting_response(self) -> bool:
        """Open and unacknowledged: the response clock still runs."""
        return self.incident.state is IncidentState.OPEN


def incident_view(incident: Incident, config: Config) -> IncidentView:
    app = config.app(incident.app_id)
    check = _check(app, incident.check_id)
    response_due, resolution_due = sla_deadlines(incident, config.sla)
    return IncidentView(
        incident=incident,
        app_name=app.name if app else incident.app_name,
        department=app.department if app else "",
        category=app.category if app else "",
        tier=app.tier if app else None,
        owner_name=app.owner.name if app and app.owner else None,
        check_name=check.name if check else incident.check_name,
        check_kind=check.kind if check else incident.check_kind,
        response_due_at=response_due,
        resolution_due_at=resolution_due,
    )


def _check(app: AppConfig | None, check_id: str) -> CheckConfig | None:
    return next((c for c in app.checks if c.id == check_id), None) if app else None
