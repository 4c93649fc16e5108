"""The monthly quality report (运维月报) as data: everything a page or the JSON shows.

Built once by `build_monthly`; the JSON (`monthjson.to_json`) and the HTML/PDF pages only read
these objects, so every figure is computed in one place and says the same everywhere. Times
are epoch seconds (shown in `MonthlyReport.timezone`); percentages are truncated to three
decimals and None where there is nothing to divide (see `methods` for every rule).
"""

from __future__ import annotations

from dataclasses import dataclass

from monitor.reports.monthly.docmodel import (
    AppTraffic,
    CertificateApp,
    Cover,
    Paragraph,
    PreviousMonth,
    Recommendation,
)
from monitor.reports.monthly.inventorychanges import InventoryChanges
from monitor.reports.monthly.requests import RequestFigures
from monitor.reports.period import Period
from monitor.reports.slastats import IncidentFigures


@dataclass(frozen=True, slots=True)
class LatencyFigures:
    """Percentiles of the runs that measured the app's answer (passing and slow ones)."""

    p50_ms: float | None
    p95_ms: float | None
    p99_ms: float | None
    samples: int


@dataclass(frozen=True, slots=True)
class Usage:
    """Probe counts over the counted hours, and the availability they give."""

    probes: int
    failed_probes: int
    availability_pct: float | None  # None: no probe ran in the counted hours


@dataclass(frozen=True, slots=True)
class DailyPoint:
    date: str  # YYYY-MM-DD, local
    usage: Usage
    p95_ms: float | None


@dataclass(frozen=True, slots=True)
class CheckFigures:
    check_id: str
    kind: str
    usage: Usage
    latency: LatencyFigures


@dataclass(frozen=True, slots=True)
class AppFigures:
    id: str
    name: str
    department: str
    category: str
    tier: int
    owner_name: str | None
    usage: Usage
    latency: LatencyFigures
    incidents: IncidentFigures  # those opened in the month
    excluded_hours: int  # hours of the month left out for maintenance
    excluded_probes: int  # runs recorded in those hours, not counted
    unknown_probes: int  # runs the monitor could not judge (its own fault): no data
    no_data_hours: int  # hours of the month so far without a single judged run
    worst_week_failed_pct: float | None  # the worst 7 consecutive days (low-availability rule)
    checks: tuple[CheckFigures, ...]
    daily: tuple[DailyPoint, ...]  # one per day of the month


@dataclass(frozen=True, slots=True)
class BlindPeriod:
    """A time the monitor could not see the apps (a `monitor` incident)."""

    start: float
    end: float | None  # None: still cut off when the report was made
    summary: str


@dataclass(frozen=True, slots=True)
class Totals:
    usage: Usage  # summed over apps: availability is probe-weighted
    latency: LatencyFigures  # every app's histograms merged
    incidents: IncidentFigures  # every app's incidents, each with its own SLA clocks
    apps: int
    apps_below_target: int
    # Events: a correlated outage's children (one per app) count once, with other incidents
    # one each. CONTRACT §5 totals.incidents is this number.
    events: int = 0


@dataclass(frozen=True, slots=True)
class Count:
    key: str
    count: int


@dataclass(frozen=True, slots=True)
class GroupFigures:
    """One department, category or tier."""

    dimension: str  # "department" | "category" | "tier"
    key: str
    rank: int  # 1 = best availability within the dimension
    apps: tuple[str, ...]  # app ids
    usage: Usage
    incidents: IncidentFigures
    below_target: int  # apps under the availability target


@dataclass(frozen=True, slots=True)
class Rankings:
    """App ids, worst first, at most RANKING_SIZE each."""

    lowest_availability: tuple[str, ...]
    slowest_p95: tuple[str, ...]
    most_incidents: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class IncidentLine:
    id: str
    app_id: str
    app_name: str
    check_id: str
    severity: str
    state: str
    summary: str
    opened_at: float
    acknowledged_at: float | None
    resolved_at: float | None
    response_seconds: float | None
    resolution_seconds: float | None
    response_breached: bool  # by the rule in slastats (flag, late, or missing past the limit)
    resolution_breached: bool
    cause: str | None
    check_name: str | None = None  # the check's display name, if it has one
    check_kind: str | None = None
    parent_id: str | None = None  # part of a correlated outage (大面积故障): its id


@dataclass(frozen=True, slots=True)
class CorrelatedLine:
    """A correlated outage of the month, once, with the apps whose incidents joined it."""

    id: str  # the parent incident's id
    summary: str
    opened_at: float  # the earliest of its counted incidents (or the parent's own)
    resolved_at: float | None  # None: the parent is still open, or its record is not read
    state: str | None  # the parent's state; None when its record was not among the month's
    severity: str  # the most severe of its apps' incidents
    apps: tuple[str, ...]  # app ids, in order of their incidents
    app_names: tuple[str, ...]
    incidents: tuple[str, ...]  # its counted children's ids


@dataclass(frozen=True, slots=True)
class CertificateWarning:
    app_id: str
    app_name: str
    check_id: str
    days_left: float  # as the last run that saw the certificate measured it
    seen_at: float | None  # that run's time
    check_name: str | None = None  # the check's display name, if it has one
    check_kind: str | None = None


@dataclass(frozen=True, slots=True)
class WatchEntry:
    """An app on the low-availability watch-list ahead of the quarterly notice."""

    app_id: str
    app_name: str
    department: str
    availability_pct: float | None
    worst_week_failed_pct: float | None
    reasons: tuple[str, ...]  # WATCH_* codes in monthly.py


@dataclass(frozen=True, slots=True)
class MaintenanceLine:
    window_id: str
    scope: str  # "*" or "app:a,b" as recorded
    reason: str  # from the config, when the window is still configured
    start: float
    end: float
    apps: tuple[str, ...]  # the report's apps it covered
    excluded_hours: int  # whole hours of the month it made leave out (per app, not summed)


@dataclass(frozen=True, slots=True)
class Method:
    key: str
    text: str  # in the report's language


@dataclass(frozen=True, slots=True)
class MonthlyReport:
    period: Period
    generated_at: float
    timezone: str
    language: str
    sla_response_s: float
    sla_resolution_s: float
    availability_target_pct: float
    apps: tuple[AppFigures, ...]  # in config order
    totals: Totals
    incidents_by_severity: tuple[Count, ...]  # critical, major, minor
    breakdowns: tuple[GroupFigures, ...]  # by department, then category, then tier
    rankings: Rankings
    incidents: tuple[IncidentLine, ...]  # opened in the month, oldest first
    certificates: tuple[CertificateWarning, ...]  # fewest days left first
    watch_list: tuple[WatchEntry, ...]
    daily: tuple[DailyPoint, ...]  # all apps together, one per day
    maintenance: tuple[MaintenanceLine, ...]
    methods: tuple[Method, ...]
    other_incidents: int  # opened in the month for apps no longer in the config (not counted)
    # When the monitor itself was cut off (its connectivity guard failed): no data then.
    blind_periods: tuple[BlindPeriod, ...] = ()
    warnings: int = 0  # warning incidents opened in the month (no SLA clocks, not counted)
    # Listing changes and rectification items (None: built without the listing store).
    inventory: InventoryChanges | None = None
    # Correlated outages whose apps' incidents are counted this month, oldest first.
    correlated: tuple[CorrelatedLine, ...] = ()
    # Service requests people reported (服务请求): answered within sla.request_response.
    requests: RequestFigures | None = None
    # The document around the figures (docmodel.py): cover, written summary (综述),
    # recommendations (整改建议), last month's figures, traffic and certificates by app.
    cover: Cover | None = None
    summary: tuple[Paragraph, ...] = ()
    recommendations: tuple[Recommendation, ...] = ()
    previous: PreviousMonth | None = None  # None: no data last month
    traffic: tuple[AppTraffic, ...] | None = None  # None: built without the traffic store
    certificate_apps: tuple[CertificateApp, ...] = ()  # `certificates` by app, nearest first

    @property
    def correlated_incidents(self) -> int:
        """The apps' incidents counted this month that belong to a correlated outage."""
        return sum(len(c.incidents) for c in self.correlated)

    def group(self, dimension: str) -> tuple[GroupFigures, ...]:
        return tuple(g for g in self.breakdowns if g.dimension == dimension)
