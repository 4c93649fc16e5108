"""The inventory audit (应用清单治理): every app's record, state, class and rectification.

    audit = await build_audit(config, ledger, alerts, traffic, now=time.time())
    body = to_json(audit)       # monitor.governance.inventory.jsonview; also html.py, xlsx.py

Reads only: the checks' current state and hourly rollups (ledger), recorded maintenance
windows (alert store), daily traffic (traffic store), and the config's own files (declared.py).
The rules are in classify.py, the numbers in thresholds.py, the deadline in quarter.py.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Protocol
from zoneinfo import ZoneInfo

from alerting.storetypes import MaintenanceRecord
from monitor.core.config.model import AppConfig, Config
from monitor.governance.inventory.classify import classify
from monitor.governance.inventory.declared import declared_tiers
from monitor.governance.inventory.fields import Duplicate, duplicates, missing_fields
from monitor.governance.inventory.model import AppAudit, Audit, MonthFigures
from monitor.governance.inventory.probing import Probes, probes, read_rollups
from monitor.governance.inventory.quarter import next_quarter_end, rectification_deadline
from monitor.governance.inventory.reach import reachability
from monitor.governance.inventory.rectify import rectification
from monitor.governance.inventory.thresholds import (
    LOW_FREQUENCY_MONTHS,
    TREND_MONTHS,
    WEEKS_CHECKED,
)
from monitor.governance.inventory.visitors import Visitors, lookback_start, visitors
from monitor.governance.traffic.store import DayTraffic
from monitor.ledger.types import CheckKey, CheckState, Ledger
from monitor.reports.monthly.figures import WEEK_DAYS
from monitor.reports.period import month_period


class MaintenanceSource(Protocol):
    """The part of alerting.store.AlertStore the audit reads."""

    async def maintenance_between(self, start: float, end: float) -> list[MaintenanceRecord]:
        ...


class TrafficSource(Protocol):
    """The part of monitor.governance.traffic.store.TrafficStore the audit reads."""

    async def daily(self, app_id: str, start_day: str, end_day: str) -> list[DayTraffic]:
        ...


def full_months(today: dt.date, count: int) -> tuple[str, ...]:
    """The `count` calendar months before today's, oldest first, as YYYY-MM."""
    months = []
    year, month = today.year, today.month
    for _ in range(count):
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
        months.append(f"{year:04d}-{month:02d}")
    return tuple(reversed(months))


async def build_audit(
    config: Config,
    ledger: Ledger,
    alerts: MaintenanceSource | None,
    traffic: TrafficSource | None,
    *,
    now: float,
    quarter_ends: Sequence[tuple[int, int]],
    has_probe_data: bool = True,
) -> Audit:
    """The audit at `now`; `alerts` or `traffic` None: nothing recorded there (no windows,
    no traffic data). Its words are in config.service.language (Audit.language)."""
    tz = ZoneInfo(config.service.timezone)
    lang = config.service.language
    today = dt.datetime.fromtimestamp(now, tz).date()
    months = full_months(today, max(TREND_MONTHS, LOW_FREQUENCY_MONTHS))
    quarter_end = next_quarter_end(today, quarter_ends)
    deadline = rectification_deadline(today, quarter_end)
    weeks_start = today - dt.timedelta(days=WEEK_DAYS * WEEKS_CHECKED)
    read_start = min(month_period(months[0], tz, now).start,
                     dt.datetime(weeks_start.year, weeks_start.month, weeks_start.day,
                                 tzinfo=tz).timestamp())
    windows = await alerts.maintenance_between(read_start, now) if alerts else []
    states = ledger.check_states()
    tiers = declared_tiers(config)
    twins = duplicates(config.apps)
    apps = []
    for app in config.apps:
        rollups = await read_rollups(ledger, app, read_start, now)
        figures = probes(app.id, rollups, windows, months=months, today=today, tz=tz, now=now)
        records = await traffic.daily(app.id, lookback_start(today).isoformat(),
                                      today.isoformat()) if traffic else []
        seen = visitors(records, today, months)
        tier_declared = tiers is None or app.id in tiers
        apps.append(_app(app, figures, seen, states=states, tier_declared=tier_declared,
                         twins=twins[app.id], deadline=deadline, now=now, tz=tz, lang=lang))
    return Audit(now, tz.key, today, quarter_end, (quarter_end - today).days, deadline, months,
                 has_probe_data, tuple(apps), language=lang)


def _app(app: AppConfig, figures: Probes, seen: Visitors, *,
         states: dict[CheckKey, CheckState], tier_declared: bool, twins: tuple[Duplicate, ...],
         deadline: dt.date, now: float, tz: ZoneInfo, lang: str) -> AppAudit:
    findings = classify(app, seen, figures, now, tz, lang=lang)
    missing = missing_fields(app, tier_declared)
    owner = app.owner
    return AppAudit(
        id=app.id, name=app.name, department=app.department, category=app.category,
        tier=app.tier, owner_name=owner.name if owner else None,
        owner_mobile=owner.mobile if owner else None, owner_email=owner.email if owner else None,
        missing=missing, duplicates=twins, reachability=reachability(app, states),
        traffic_status=seen.status, traffic_last_day=seen.last_day,
        traffic_sources=seen.sources,
        months=tuple(
            MonthFigures(p.month, p.usage.availability_pct, p.usage.probes,
                         p.usage.failed_probes, v.uv_sum, v.pv, v.days_with_data)
            for p, v in zip(figures.months, seen.months, strict=True)),
        findings=findings,
        rectification=rectification(findings, missing, twins, deadline, lang=lang),
    )  # fmt: skip
