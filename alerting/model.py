"""Incidents and per-check alert state: the runtime side of alerting, owned by the engine.

Both are frozen; the engine returns new values, the store persists them. Times are epoch
seconds; the API renders them as ISO 8601 in the service's time zone.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from enum import StrEnum
from typing import Final

from monitor.core.checknames import check_title


class IncidentState(StrEnum):
    OPEN = "open"
    ACKNOWLEDGED = "acknowledged"
    RESOLVED = "resolved"


class Severity(StrEnum):
    CRITICAL = "critical"
    MAJOR = "major"
    MINOR = "minor"


class IncidentKind(StrEnum):
    """What an incident is (CONTRACT §3 `kind`); only outages and requests carry SLA clocks."""

    OUTAGE = "outage"  # an app does not work: the 15-minute / 1-hour clocks run
    WARNING = "warning"  # works, but will not for long (a certificate close to expiry)
    MONITOR = "monitor"  # the monitor itself was cut off: nothing can be said of the apps
    REQUEST = "request"  # an ordinary service request reported by a person
    # 大面积故障: several apps failed together (one cause, probably); the parent of their
    # outages. The children keep their own records and SLA clocks; people are notified
    # through the parent.
    CORRELATED = "correlated"


class Channel(StrEnum):
    """How a person reported a fault or a request (CONTRACT §3 `channel`)."""

    PHONE = "phone"
    DINGTALK = "dingtalk"
    ONSITE = "onsite"
    OTHER = "other"


# A reported incident's source (CONTRACT §3 `source`) and its check id: one per app, shared by
# every report (each report is its own incident with its own id).
REPORTED: Final = "reported"
# The kinds a person may report: an outage (15 min / 1 h clocks) or a service request.
REPORTABLE_KINDS: Final = (IncidentKind.OUTAGE, IncidentKind.REQUEST)


class Event(StrEnum):
    """Notification events (CONTRACT.md §4)."""

    OPENED = "incident.opened"
    REMINDER = "incident.reminder"
    ESCALATED = "incident.escalated"
    ACKNOWLEDGED = "incident.acknowledged"
    RESOLVED = "incident.resolved"
    JOINED = "incident.joined"  # more apps' outages joined an open correlated incident


class Entry(StrEnum):
    """Timeline entry types, shown in the API, the console and the analysis report."""

    FIRST_FAILURE = "first_failure"
    OPENED = "opened"
    REOPENED = "reopened"
    NOTIFIED = "notified"  # a delivery succeeded (note names the channel)
    NOTIFY_FAILED = "notify_failed"  # a delivery attempt failed (it will be retried)
    ESCALATED = "escalated"
    REMINDER = "reminder"
    RESPONSE_BREACHED = "response_breached"
    RESOLUTION_BREACHED = "resolution_breached"
    ACKNOWLEDGED = "acknowledged"
    NOTE = "note"
    RESOLVED = "resolved"
    FLAPPING = "flapping"  # kept open: the check keeps changing state (不稳定)
    UPGRADED = "upgraded"  # a warning became an outage (the certificate expired)
    CORRELATED = "correlated"  # a child: joined a correlated incident (note: the parent's id)
    JOINED = "joined"  # a parent: more children joined (note: how many)


# Default severity of an app's incidents by tier (configurable: alerting.severity_by_tier).
DEFAULT_SEVERITY_BY_TIER: Final = {1: Severity.CRITICAL, 2: Severity.MAJOR, 3: Severity.MINOR}


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    at: float
    type: str
    by: str | None = None
    note: str | None = None


@dataclass(frozen=True, slots=True)
class ChildRef:
    """One child of a correlated incident, as the parent lists it."""

    id: str
    app_id: str
    app_name: str
    check_id: str
    summary: str
    started_at: float
    check_name: str | None = None
    check_kind: str | None = None
    address: str | None = None

    def check_title(self, lang: str) -> str:
        return check_title(self.check_name, self.check_kind, self.check_id, lang)


@dataclass(frozen=True, slots=True)
class Incident:
    id: str
    app_id: str
    app_name: str
    check_id: str
    severity: Severity
    state: IncidentState
    summary: str
    started_at: float  # the first failed run
    opened_at: float  # confirmation (or the last reopen keeps the original)
    acknowledged_at: float | None = None
    acknowledged_by: str | None = None
    resolved_at: float | None = None
    resolved_by: str | None = None
    auto_resolved: bool = False
    response_breached: bool = False
    resolution_breached: bool = False
    escalation_step: int = 0  # escalation steps already fired
    last_notified_at: float | None = None  # drives reminders
    reopen_count: int = 0
    source: str = "probe"  # "probe", "alertmanager", "monitor" or "reported"
    cause: str | None = None  # set by a manual resolve
    address: str | None = None  # the app address the failing run reached or tried (ip)
    kind: str = IncidentKind.OUTAGE  # an IncidentKind value
    flapping: bool = False  # held open while the check keeps changing state
    expires_at: float | None = None  # warnings: when the certificate expires
    warnings_sent: int = 0  # warnings: reminder thresholds already notified
    check_name: str | None = None  # the check's display name when it opened (None: unnamed)
    check_kind: str | None = None  # its probe kind (None: external alerts, older incidents)
    parent_id: str | None = None  # a child: the correlated incident it belongs to
    children: tuple[ChildRef, ...] = ()  # a correlated incident: its children, in order
    reported_by: str | None = None  # reported by a person: who reported it
    channel: str | None = None  # reported: how (a Channel value)

    def check_title(self, lang: str) -> str:
        """The check as people read it: its name, else its kind's name; an external alert
        is called by its own name (its check id)."""
        kind = self.check_kind or ("monitor" if self.source == "monitor" else None)
        return check_title(self.check_name, kind, self.check_id, lang)

    @property
    def has_sla(self) -> bool:
        """Whether the response and resolution clocks run (outages and requests only)."""
        return self.kind in (IncidentKind.OUTAGE, IncidentKind.REQUEST)
    timeline: tuple[TimelineEntry, ...] = ()

    @property
    def response_seconds(self) -> float | None:
        if self.acknowledged_at is None:
            return None
        return self.acknowledged_at - self.opened_at

    @property
    def resolution_seconds(self) -> float | None:
        if self.resolved_at is None:
            return None
        return self.resolved_at - self.opened_at

    @property
    def is_active(self) -> bool:
        return self.state is not IncidentState.RESOLVED

    def with_entry(self, entry: TimelineEntry, **changes: object) -> Incident:
        """A copy with `entry` appended to the timeline and `changes` applied."""
        return dataclasses.replace(
            self, timeline=(*self.timeline, entry), **changes  # type: ignore[arg-type]
        )


@dataclass(frozen=True, slots=True)
class CheckAlertState:
    """What the engine remembers about one check between results."""

    consecutive_failures: int = 0
    consecutive_passes: int = 0
    first_failure_at: float | None = None  # first failed run of the current failure streak
    last_failure: str = ""  # one line: what failed in the latest failed run
    incident_id: str | None = None  # the active incident of this check, if any
    last_resolved_id: str | None = None  # for reopening a flapping check
    last_resolved_at: float | None = None
    last_failure_at: float | None = None  # the latest failed run (flapping: stable since)
    transitions: tuple[float, ...] = ()  # recent opens, resolves and reopens (flapping)
