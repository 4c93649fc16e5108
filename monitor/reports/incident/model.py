"""The incident analysis report (故障分析报告) as data, section by section (DOMAIN.md).

Built once by `build_incident_report`; the JSON and the HTML/PDF pages only read it. Times are
epoch seconds, shown in `IncidentReport.timezone`.
"""

from __future__ import annotations

from dataclasses import dataclass

from alerting.model import Incident, IncidentKind
from monitor.reports.monthly.model import Count, Method


@dataclass(frozen=True, slots=True)
class Handlers:
    acknowledged_by: str | None
    resolved_by: str | None  # None for an automatic resolve
    note_authors: tuple[str, ...]  # who wrote notes, in order of their first note


@dataclass(frozen=True, slots=True)
class BasicInfo:
    incident_id: str
    app_id: str
    app_name: str
    department: str  # "" when the app is no longer configured
    category: str
    tier: int | None
    owner_name: str | None
    check_id: str
    check_kind: str | None
    check_name: str | None  # the check's display name, if it has one
    severity: str
    state: str
    summary: str  # the symptom, in one line
    source: str  # "probe" or "alertmanager"
    address: str | None  # the IP address the failing probe reached or tried
    auto_resolved: bool
    reopen_count: int
    handlers: Handlers


@dataclass(frozen=True, slots=True)
class TimelineItem:
    """One line of the timeline: an incident entry, a notification, or the report itself.

    `type` is an alerting.model.Entry value, or NOTIFIED / NOTIFY_FAILED / REPORT below.
    Notification fields are set only for notifications.
    """

    at: float
    type: str
    by: str | None = None
    note: str | None = None
    notifier_id: str | None = None
    event: str | None = None  # incident.opened, incident.escalated...
    target: str | None = None  # the notifier, or "<notifier>:owner" for the owner's copy
    recipients: tuple[str, ...] = ()  # @-mentioned mobiles and e-mail addresses
    delivery_state: str | None = None  # sent | pending | expired | dropped


NOTIFIED = "notified"
NOTIFY_FAILED = "notify_failed"
REPORT = "report"
MITIGATED = "mitigated"  # a note beginning 已缓解 / mitigated (incident.notes.is_mitigation)


@dataclass(frozen=True, slots=True)
class Durations:
    started_at: float  # first failed run
    opened_at: float
    acknowledged_at: float | None
    resolved_at: float | None
    ongoing: bool  # not resolved when the report was made
    detection_seconds: float  # first failure -> opened
    outage_seconds: float  # first failure -> resolved (or -> report time when ongoing)
    response_seconds: float | None
    resolution_seconds: float | None


@dataclass(frozen=True, slots=True)
class SlaCheck:
    limit_seconds: float
    due_at: float
    actual_seconds: float | None
    outcome: str  # slastats.SlaOutcome value: within | breached | pending


@dataclass(frozen=True, slots=True)
class MinuteBucket:
    at: float  # start of the minute
    runs: int
    failures: int
    latency_mean_ms: float | None  # passing and slow runs only, like the rollups
    latency_max_ms: float | None


@dataclass(frozen=True, slots=True)
class CheckEvidence:
    """What one check's raw results say over the evidence window."""

    check_id: str
    kind: str | None
    window_start: float
    window_end: float
    results: int
    failures: int
    error_kinds: tuple[Count, ...]  # most frequent first
    first_error_at: float | None
    first_error: str | None
    last_error_at: float | None
    last_error: str | None
    truncated: bool  # more results than were read (INCIDENT_RAW_LIMIT)
    minutes: tuple[MinuteBucket, ...]  # minutes that had results, for the charts
    name: str | None = None  # the check's display name, if it has one
    # A correlated outage's report shows each child's check: whose app it is (else None).
    app_id: str | None = None
    app_name: str | None = None


@dataclass(frozen=True, slots=True)
class Impact:
    apps: tuple[str, ...]  # the app's id, or a correlated outage's apps' ids
    related_incidents: tuple[str, ...]  # other incidents overlapping in time (not its impact)
    duration_seconds: float
    users: int | None  # None: unknown, no traffic figures are recorded for the period
    app_names: tuple[str, ...] = ()  # what people call `apps`, in the same order


@dataclass(frozen=True, slots=True)
class FamilyMember:
    """One app's incident of a correlated outage (大面积故障), as the parent's report lists it.
    Times and state come from the child's own record; None when it could not be read."""

    id: str
    app_id: str
    app_name: str
    check_id: str
    check_name: str | None
    check_kind: str | None
    summary: str
    started_at: float
    opened_at: float | None
    resolved_at: float | None
    state: str | None  # open | acknowledged | resolved; None: unknown
    severity: str | None
    outage_seconds: float | None  # first failure -> resolved (or -> report time while open)
    ongoing: bool  # not resolved when the report was made (False when unknown)


@dataclass(frozen=True, slots=True)
class ParentRef:
    """The correlated outage a child belongs to, as the child's report names it."""

    id: str
    summary: str | None  # None: its record could not be read
    state: str | None
    opened_at: float | None
    apps: int  # children it lists (0: unknown)


@dataclass(frozen=True, slots=True)
class NoteText:
    at: float
    by: str | None
    text: str


@dataclass(frozen=True, slots=True)
class ActionItem:
    what: str
    owner: str | None
    deadline: str | None  # as written
    deadline_valid: bool
    at: float
    by: str | None


@dataclass(frozen=True, slots=True)
class Analysis:
    """The human sections, filled through the note convention (monitor/reports/notes.py)."""

    direct_cause: tuple[NoteText, ...]
    root_cause: tuple[NoteText, ...]
    actions: tuple[ActionItem, ...]
    lessons: tuple[NoteText, ...]
    steps: tuple[NoteText, ...]  # plain notes: the handling steps


@dataclass(frozen=True, slots=True)
class IncidentReport:
    generated_at: float
    timezone: str
    language: str
    incident: Incident  # as stored, for the INCIDENT JSON
    basic: BasicInfo
    timeline: tuple[TimelineItem, ...]  # oldest first, ending with the report itself
    durations: Durations
    response: SlaCheck
    resolution: SlaCheck
    checks: tuple[CheckEvidence, ...]  # the incident's check first, then other failing ones
    raw_available: bool  # False when the raw results were pruned (older than retention)
    impact: Impact
    analysis: Analysis
    methods: tuple[Method, ...]
    # Correlated outages: a parent's children (its apps' incidents), or a child's parent.
    children: tuple[FamilyMember, ...] = ()
    parent: ParentRef | None = None

    @property
    def is_correlated(self) -> bool:
        """A correlated outage (大面积故障): no app, no check and no SLA clocks of its own."""
        return self.incident.kind == IncidentKind.CORRELATED
