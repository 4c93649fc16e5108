"""What the incident engine takes and gives: observations, policies, situations, actions.

Shared by alerting.engine and alerting.warningincidents (the warning side of the lifecycle).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from alerting.model import CheckAlertState, Event, Incident, IncidentKind, Severity


class IncidentResolvedError(Exception):
    """The incident is resolved; it can no longer be acknowledged (HTTP 409)."""


@dataclass(frozen=True, slots=True)
class Observation:
    """What the engine needs from one probe result."""

    ok: bool
    at: float  # when the run started
    summary: str  # one line: what failed (empty when ok); for a warning, what it warns of
    address: str | None = None  # the IP address the probe reached (or tried), if any
    warning: bool = False  # passed, with a warning (a certificate close to expiry)
    expires_at: float | None = None  # the certificate's expiry, when the probe saw one


@dataclass(frozen=True, slots=True)
class CheckRef:
    app_id: str
    app_name: str
    check_id: str
    source: str = "probe"  # "probe" (our checks) or "alertmanager" (external alerts)
    check_name: str | None = None  # the check's display name, when it has one
    check_kind: str | None = None  # the probe kind (http, flow...), for its name


@dataclass(frozen=True, slots=True)
class Step:
    after_s: float
    notify: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Policy:
    """How one check's incidents behave. Built by the runner from the config."""

    confirm: int
    recover: int
    severity: Severity
    escalation: tuple[Step, ...]
    response_s: float  # SLA: opened -> acknowledged
    resolution_s: float  # SLA: opened -> resolved
    reminder_s: float | None  # repeat while unresolved; None = no reminders
    flap_window_s: float  # a failure this soon after resolving reopens the incident
    in_maintenance: bool = False
    # More opens, resolves and reopens than this within flap_window_s: the incident is held
    # open as flapping (不稳定) until the check has been stable for a whole window.
    flap_threshold: int = 3
    # Warnings are reminded when the time left first falls under each of these (seconds).
    warning_reminders_s: tuple[float, ...] = (30 * 86400, 14 * 86400, 7 * 86400, 3 * 86400,
                                              86400)
    warning_targets: tuple[str, ...] = ("app", "owner")
    # The monitor's own outages go to every channel (some may be out of reach with it).
    monitor_targets: tuple[str, ...] = ()
    # SLA of service requests reported by people: reported -> acknowledged (None: response_s).
    # A request has no resolution clock.
    request_response_s: float | None = None

    def response_limit_s(self, incident: Incident) -> float:
        """The incident's response limit: a service request's own, else `response_s`."""
        if incident.kind == IncidentKind.REQUEST and self.request_response_s is not None:
            return self.request_response_s
        return self.response_s

    def resolution_limit_s(self, incident: Incident) -> float | None:
        """The incident's resolution limit; None for a service request (no such clock)."""
        return None if incident.kind == IncidentKind.REQUEST else self.resolution_s

    def response_due(self, incident: Incident) -> float:
        """When the incident must be acknowledged by (epoch seconds)."""
        return incident.opened_at + self.response_limit_s(incident)

    def resolution_due(self, incident: Incident) -> float | None:
        """When it must be resolved by; None when it has no resolution clock."""
        limit = self.resolution_limit_s(incident)
        return None if limit is None else incident.opened_at + limit


@dataclass(frozen=True, slots=True)
class SaveIncident:
    incident: Incident


@dataclass(frozen=True, slots=True)
class Notify:
    incident: Incident
    event: Event
    step: str  # part of the delivery id: "0", "1"... for escalation, "reminder-3", "ack"...
    targets: tuple[str, ...]  # notifier ids, "app" or "owner"


Action = SaveIncident | Notify


@dataclass(frozen=True, slots=True)
class CheckSituation:
    """The engine's input state for one check: its counters, its active incident and the
    incident it last resolved (reopened if the check fails again within the flap window)."""

    check: CheckAlertState
    active: Incident | None = None
    last_resolved: Incident | None = None


def incident_id(ref: CheckRef, opened_at: float) -> str:
    """Readable and unique: one incident per check at a time, opened at most once a second."""
    stamp = dt.datetime.fromtimestamp(opened_at, dt.UTC).strftime("%Y%m%d%H%M%S")
    return f"{stamp}-{ref.app_id}-{ref.check_id}"
