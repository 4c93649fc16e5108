"""The monthly quality report (运维月报): read the month once, compute every figure once.

    report = await build_monthly(config, ledger, store, "2026-11", now=time.time())
    body = to_json(report)          # monitor.reports.monthly.jsonview, CONTRACT.md §5

Reads only: hourly rollups (never raw results, which are pruned after days), the recorded
maintenance windows, the incidents and the checks' current state. How each figure is computed
is in figures.py, slastats.py and groups.py, and stated to readers in `MonthlyReport.methods`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Final
from zoneinfo import ZoneInfo

from alerting.model import Incident, IncidentKind, Severity
from alerting.store import AlertStore
from alerting.storetypes import MaintenanceRecord
from monitor.core.config.model import AppConfig, Config
from monitor.incidentview import incident_view
from monitor.ledger.types import Ledger
from monitor.reports.fmt import day_text
from monitor.reports.monthly import groups
from monitor.reports.monthly.figures import (
    Tally,
    covers,
    excluded_hours,
    no_data_hours,
    tally_check,
    total,
    window_hours,
    worst_week,
)
from monitor.reports.monthly.inventorychanges import ListingSource, inventory_changes
from monitor.reports.monthly.model import (
    AppFigures,
    BlindPeriod,
    CertificateWarning,
    CheckFigures,
    CorrelatedLine,
    Count,
    IncidentLine,
    MaintenanceLine,
    Method,
    MonthlyReport,
    Totals,
)
from monitor.reports.monthly.narrative import with_document
from monitor.reports.monthly.previous import previous_month
from monitor.reports.monthly.requests import request_figures
from monitor.reports.monthly.traffic import TrafficSource, app_traffic
from monitor.reports.period import Period, month_period, truncated_pct
from monitor.reports.reading import incidents_since
from monitor.reports.slastats import (
    IncidentFigures,
    SlaOutcome,
    incident_figures,
    resolution_outcome,
    response_outcome,
)
from monitor.reports.texts import duration_text, report_text

# DOMAIN.md's low-availability (低可用) line. A constant here, not a config key: the report
# rules are the contract's, and the config files are not this module's to extend. Change it
# here (with the methods text following automatically) if the centre sets another target.
AVAILABILITY_TARGET_PCT: Final = 99.0
# Certificates with fewer days left are listed (DOMAIN.md: warn at 30, 14 and 7 days).
CERT_WARN_DAYS: Final = 30


async def build_monthly(
    config: Config, ledger: Ledger, store: AlertStore, month: str, now: float, *,
    listing: ListingSource | None = None, traffic: TrafficSource | None = None,
) -> MonthlyReport:
    """The report of `month` (YYYY-MM in service.timezone); MonthError for a bad month.
    With `listing`, it also shows the month's listing changes and rectification items; with
    `traffic`, each app's recorded page views and visitors."""
    tz = ZoneInfo(config.service.timezone)
    period = month_period(month, tz, now)
    windows = await store.maintenance_between(period.start, period.end)
    window_hours_ = [(w, window_hours(w, period)) for w in windows]
    incidents = await month_incidents(store, period)
    known = {app.id for app in config.apps}
    # Only outages are an app's failures: warnings carry no clocks, and the monitor's own
    # outages are blind periods, not the apps' (README: what counts against an app).
    outages = [i for i in incidents if i.kind == IncidentKind.OUTAGE]
    by_app: dict[str, list[Incident]] = {}
    for incident in outages:
        if incident.app_id in known:
            by_app.setdefault(incident.app_id, []).append(incident)
    counted = [i for i in outages if i.app_id in known]

    def figures_of(items: Sequence[Incident]) -> IncidentFigures:
        return incident_figures(items, config.sla.response_s, config.sla.resolution_s, now)

    apps: list[AppFigures] = []
    overall = [Tally() for _ in period.dates]
    for app in config.apps:
        figures, days = await _app(ledger, app, period, excluded_hours(app.id, window_hours_),
                                   figures_of(by_app.get(app.id, [])), now=now)
        apps.append(figures)
        for whole, day in zip(overall, days, strict=True):
            whole.add(day)
    target = AVAILABILITY_TARGET_PCT
    month_tally = total(overall)
    events = _events(counted)
    correlated = _correlated(events, incidents)
    totals = Totals(month_tally.usage(), month_tally.latency(), figures_of(counted), len(apps),
                    sum(1 for a in apps if groups.below_target(a, target)), events=len(events))
    report = MonthlyReport(
        period=period, generated_at=now, timezone=tz.key, language=config.service.language,
        sla_response_s=config.sla.response_s, sla_resolution_s=config.sla.resolution_s,
        availability_target_pct=target, apps=tuple(apps), totals=totals,
        # By event, like the total: a correlated outage once, at its most severe app's.
        incidents_by_severity=tuple(
            Count(s.value, sum(1 for e in events if _severity(e) is s)) for s in Severity),
        breakdowns=groups.breakdowns(apps, by_app, figures_of, target),
        rankings=groups.rankings(apps),
        incidents=tuple(_line(i, config, now) for i in counted),  # oldest first
        certificates=_certificates(config, ledger),
        watch_list=groups.watch_list(apps, target),
        daily=tuple(t.daily_point(d) for t, d in zip(overall, period.dates, strict=True)),
        maintenance=tuple(_maintenance(w, h, config) for w, h in window_hours_),
        methods=_methods(config, period, tz, len(windows), len(outages) - len(counted),
                         blind=sum(1 for i in incidents if i.kind == IncidentKind.MONITOR),
                         now=now,
                         correlated=correlated),
        other_incidents=len(outages) - len(counted),
        blind_periods=tuple(BlindPeriod(i.started_at, i.resolved_at, i.summary)
                            for i in incidents if i.kind == IncidentKind.MONITOR),
        warnings=sum(1 for i in incidents if i.kind == IncidentKind.WARNING and i.app_id in known),
        inventory=await inventory_changes(listing, config, period, now) if listing else None,
        correlated=correlated,
        requests=request_figures([i for i in incidents if i.app_id in known],
                                 config.sla.request_response_s, now),
    )  # fmt: skip
    return with_document(
        report, config.service.organisation,
        previous=await previous_month(config, ledger, store, period, now,
                                        target_pct=target),
        traffic=await app_traffic(traffic, config, period) if traffic else None)


def _events(counted: Sequence[Incident]) -> list[list[Incident]]:
    """The month's counted incidents as events, oldest first: the children of one correlated
    outage (sharing a parent_id) are one event; every other incident is its own. The parent
    itself is no app's incident and is never among `counted`."""
    events: list[list[Incident]] = []
    families: dict[str, list[Incident]] = {}
    for incident in counted:
        if incident.parent_id is None:
            events.append([incident])
        elif incident.parent_id in families:
            families[incident.parent_id].append(incident)
        else:
            families[incident.parent_id] = [incident]
            events.append(families[incident.parent_id])
    return events


_RANK: Final = {s: n for n, s in enumerate(Severity)}  # critical first


def _severity(event: Sequence[Incident]) -> Severity:
    return min((i.severity for i in event), key=_RANK.__getitem__)


def _correlated(events: Sequence[Sequence[Incident]], incidents: Sequence[Incident]
                ) -> tuple[CorrelatedLine, ...]:
    parents = {i.id: i for i in incidents if i.kind == IncidentKind.CORRELATED}
    lines = []
    for event in events:
        parent_id = event[0].parent_id
        if parent_id is None:
            continue
        parent = parents.get(parent_id)
        lines.append(CorrelatedLine(
            id=parent_id, summary=parent.summary if parent else event[0].summary,
            opened_at=min([i.opened_at for i in event]
                          + ([parent.opened_at] if parent else [])),
            resolved_at=parent.resolved_at if parent else None,
            state=parent.state.value if parent else None, severity=_severity(event).value,
            apps=tuple(dict.fromkeys(i.app_id for i in event)),
            app_names=tuple(dict.fromkeys(i.app_name for i in event)),
            incidents=tuple(i.id for i in event)))
    return tuple(lines)


async def _app(ledger: Ledger, app: AppConfig, period: Period, excluded: frozenset[int],
               incidents: IncidentFigures, *, now: float) -> tuple[AppFigures, list[Tally]]:
    """One app's figures and its day tallies (for the month's overall days)."""
    days = [Tally() for _ in period.dates]
    checks, excluded_probes, unknown_probes = [], 0, 0
    hours_with_data: set[int] = set()
    for check in app.checks:
        rollups = await ledger.hourly(app.id, check.id, period.start, period.end)
        tally = tally_check(rollups, period, excluded)
        whole = total(tally.days)
        checks.append(CheckFigures(check.id, check.kind, whole.usage(), whole.latency()))
        excluded_probes += tally.excluded_probes
        unknown_probes += tally.unknown_probes
        hours_with_data |= tally.hours_with_data
        for day, check_day in zip(days, tally.days, strict=True):
            day.add(check_day)
    month = total(days)
    week = worst_week(days)
    figures = AppFigures(
        id=app.id, name=app.name, department=app.department, category=app.category,
        tier=app.tier, owner_name=app.owner.name if app.owner else None,
        usage=month.usage(), latency=month.latency(), incidents=incidents,
        excluded_hours=len(excluded), excluded_probes=excluded_probes,
        unknown_probes=unknown_probes,
        no_data_hours=no_data_hours(period, now, excluded, hours_with_data),
        worst_week_failed_pct=None if week is None else truncated_pct(*week),
        checks=tuple(checks),
        daily=tuple(t.daily_point(d) for t, d in zip(days, period.dates, strict=True)),
    )  # fmt: skip
    return figures, days


async def month_incidents(store: AlertStore, period: Period) -> list[Incident]:
    """Incidents opened within the month, oldest first."""
    recent = await incidents_since(store, period.start)
    return sorted((i for i in recent if i.opened_at < period.end), key=_opened)


def _opened(incident: Incident) -> tuple[float, str]:
    return incident.opened_at, incident.id


def _line(incident: Incident, config: Config, now: float) -> IncidentLine:
    sla, view = config.sla, incident_view(incident, config)
    return IncidentLine(
        id=incident.id, app_id=incident.app_id, app_name=incident.app_name,
        check_id=incident.check_id, severity=incident.severity.value,
        state=incident.state.value, summary=incident.summary, opened_at=incident.opened_at,
        acknowledged_at=incident.acknowledged_at, resolved_at=incident.resolved_at,
        response_seconds=incident.response_seconds,
        resolution_seconds=incident.resolution_seconds,
        response_breached=response_outcome(incident, sla.response_s, now)
        is SlaOutcome.BREACHED,
        resolution_breached=resolution_outcome(incident, sla.resolution_s, now)
        is SlaOutcome.BREACHED,
        cause=incident.cause, check_name=view.check_name, check_kind=view.check_kind,
        parent_id=incident.parent_id,
    )  # fmt: skip


def _certificates(config: Config, ledger: Ledger) -> tuple[CertificateWarning, ...]:
    states = ledger.check_states()
    warnings = []
    for app, check in config.iter_checks():
        state = states.get((app.id, check.id))
        if state is not None and state.cert_days_left is not None \
                and state.cert_days_left < CERT_WARN_DAYS:
            warnings.append(CertificateWarning(app.id, app.name, check.id,
                                               round(state.cert_days_left, 1), state.last_run_at,
                                               check.name, check.kind))
    return tuple(sorted(warnings, key=lambda w: (w.days_left, w.app_id, w.check_id)))


def _maintenance(window: MaintenanceRecord, hours: frozenset[int], config: Config
                 ) -> MaintenanceLine:
    reason = next((w.reason for w in config.maintenance if w.id == window.window_id), "")
    apps = tuple(a.id for a in config.apps if covers(window.scope, a.id))
    return MaintenanceLine(window.window_id, window.scope, reason, window.start, window.end,
                           apps, len(hours))


def _date(ts: float, tz: ZoneInfo) -> dt.date:
    return dt.datetime.fromtimestamp(ts, tz).date()


def _methods(config: Config, period: Period, tz: ZoneInfo, windows: int, other: int, *,
             blind: int, now: float, correlated: Sequence[CorrelatedLine] = ()
             ) -> tuple[Method, ...]:
    lang = config.service.language
    values: dict[str, dict[str, object]] = {
        "period": {"start": day_text(lang, _date(period.start, tz)),
                   "end": day_text(lang, _date(min(period.end, now) - 1, tz)),
                   "tz_name": tz.key},
        "availability": {},
        "maintenance": {"count": windows},
        "monitor_faults": {"blind": blind},
        "totals": {},
        "latency": {},
        "incidents": {},
        "sla": {"response": duration_text(lang, config.sla.response_s),
                "resolution": duration_text(lang, config.sla.resolution_s)},
        "percentages": {},
        "certificates": {"days": CERT_WARN_DAYS},
        "watch_list": {"target": f"{AVAILABILITY_TARGET_PCT:g}",
                       "week": groups.WEEK_FAILED_LIMIT_PCT},
        "correlated": {"events": len(correlated),
                       "incidents": sum(len(c.incidents) for c in correlated)},
        "requests": {"limit": duration_text(lang, config.sla.request_response_s)},
        "scope": {"other": other},
        "comparison": {},
        "traffic": {},
    }
    return tuple(Method(key, report_text(lang, f"method.{key}", **kwargs))
                 for key, kwargs in values.items())
