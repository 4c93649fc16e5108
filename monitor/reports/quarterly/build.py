"""The quarterly watch report (季度通报预警): which listed apps the province's quarterly notice
(季度通报) would name, by class, with their evidence month by month, their rectification item
and progress, and the days left before the notice.

    report = await build_quarterly(config, ledger, "2026Q4", now=now, alerts=alerts,
                                   traffic=traffic, listing=listing)
    body = to_json(report)            # monitor.reports.quarterly.jsonview

It runs the inventory audit (monitor.governance.inventory) at `now` (at the quarter's end for
a quarter that is over): its rules, thresholds and evidence, never a second copy of them. The
audit reads the full months before today, so on the scheduled day (the 1st of the quarter's
last month) those are the quarter's months so far and the one before, which the three-month
low-frequency rule needs. Listed apps only: a trial or delisted app is not in the notice.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Protocol
from zoneinfo import ZoneInfo

from monitor.core.catalog import AREAS, pick
from monitor.core.config.model import AppConfig, Config
from monitor.core.config.monthdays import parse_month_days
from monitor.governance.inventory import texts, words
from monitor.governance.inventory.audit import MaintenanceSource, TrafficSource, build_audit
from monitor.governance.inventory.model import CLASSES, FLAGGED, ZOMBIE, AppAudit, Finding
from monitor.governance.listing.model import DONE, LISTED, AppStatus, RectItem
from monitor.ledger.types import Ledger
from monitor.reports.fmt import day_text
from monitor.reports.quarterly.model import (
    AtRisk,
    ClassSection,
    Cover,
    ItemStatus,
    MonthEvidence,
    Progress,
    QuarterlyReport,
)
from monitor.reports.quarterly.period import Quarter, QuarterError, parse_quarter

WORDS = AREAS["report_quarterly"]


class QuarterNotStartedError(QuarterError):
    """The quarter starts after today: there is nothing to watch yet."""


class ListingSource(Protocol):
    """The part of monitor.governance.listing.store.ListingStore the report reads."""

    async def statuses(self, apps: Iterable[AppConfig]) -> dict[str, AppStatus]: ...

    async def items(self, *, open_only: bool = False, app_id: str | None = None,
                    active_between: tuple[float, float] | None = None) -> list[RectItem]: ...


def word(lang: str, key: str, **values: object) -> str:
    return pick(WORDS, lang, key, **values)


def quarter_name(quarter: Quarter, lang: str) -> str:
    return word(lang, "quarter.name", year=quarter.year, n=quarter.number,
                nth=word(lang, f"quarter.nth.{quarter.number}")
                if f"quarter.nth.{quarter.number}" in WORDS else quarter.number)


def resolve_quarter(config: Config, code: str) -> Quarter:
    """`code` ("2026Q4") among config.governance.quarter_ends; QuarterError if it is not."""
    return parse_quarter(code, parse_month_days(config.governance.quarter_ends))


def _midnight(day: dt.date, tz: ZoneInfo) -> float:
    return dt.datetime(day.year, day.month, day.day, tzinfo=tz).timestamp()


async def build_quarterly(
    config: Config, ledger: Ledger, quarter: str | Quarter, *, now: float,
    alerts: MaintenanceSource | None = None, traffic: TrafficSource | None = None,
    listing: ListingSource | None = None,
) -> QuarterlyReport:
    """The report of `quarter` made at `now`; QuarterError for a quarter not configured,
    QuarterNotStartedError for one that starts after today. A source None: nothing recorded
    there (`listing` None: apps count as listed as configured, and no item is known)."""
    q = resolve_quarter(config, quarter) if isinstance(quarter, str) else quarter
    tz = ZoneInfo(config.service.timezone)
    lang = config.service.language
    local_today = dt.datetime.fromtimestamp(now, tz).date()
    if local_today < q.start:
        raise QuarterNotStartedError(q.code)
    over = local_today > q.end
    # A quarter that is over is seen from the first moment after it: its last months full.
    as_of = min(now, _midnight(q.end + dt.timedelta(days=1), tz))
    audit = await build_audit(config, ledger, alerts, traffic, now=as_of,
                              quarter_ends=((q.end.month, q.end.day),))
    today = audit.today
    statuses = await listing.statuses(config.apps) if listing else {}
    items = await _items(listing, q, tz, as_of)
    listed = [a for a in audit.apps if _listed(config.app(a.id), statuses.get(a.id))]
    quarter_months = set(q.months)
    sections = tuple(
        ClassSection(cls, tuple(sorted(
            (_row(app, finding, items.get(app.id), months=audit.months,
                  quarter_months=quarter_months, today=today, as_of=as_of, lang=lang)
             for app in listed for finding in app.findings if finding.cls == cls),
            key=lambda r: (r.level != FLAGGED, r.app_name, r.app_id))))
        for cls in CLASSES)
    return QuarterlyReport(
        quarter=q, generated_at=now, as_of=as_of, timezone=tz.key, language=lang,
        today=today, days_left=max(0, (q.end - today).days),
        deadline=None if over else audit.deadline, months=audit.months,
        listed_apps=len(listed), sections=sections, rules=words.rules(lang),
        cover=_cover(config, q, today, lang))


def _listed(app: AppConfig | None, status: AppStatus | None) -> bool:
    if status is not None:
        return status.status == LISTED
    return app is not None and app.status == LISTED


async def _items(listing: ListingSource | None, q: Quarter, tz: ZoneInfo,
                 as_of: float) -> Mapping[str, RectItem]:
    """Each app's latest item active in the quarter up to `as_of`."""
    if listing is None:
        return {}
    found = await listing.items(active_between=(_midnight(q.start, tz), as_of))
    latest: dict[str, RectItem] = {}
    for item in found:  # oldest first: the last one wins
        latest[item.app_id] = item
    return latest


def _row(app: AppAudit, finding: Finding, item: RectItem | None, *, months: tuple[str, ...],
         quarter_months: set[str], today: dt.date, as_of: float, lang: str) -> AtRisk:
    zero = finding.evidence.get("zero_days") if finding.cls == ZOMBIE else None
    return AtRisk(
        app_id=app.id, app_name=app.name, department=app.department,
        owner_name=app.owner_name, owner_mobile=app.owner_mobile, cls=finding.cls,
        level=finding.level, reasons=finding.reasons, notes=finding.notes,
        basis=texts.basis(finding, lang), evidence=finding.evidence,
        trend=finding.trend.direction, zero_days=zero if isinstance(zero, int) else None,
        months=tuple(
            MonthEvidence(m.month, m.month in quarter_months, m.availability_pct, m.probes,
                          m.failed_probes, m.uv_sum, m.pv, m.traffic_days)
            for m in app.months if m.month in months),
        actions=texts.actions(app.rectification, lang) if app.rectification else (),
        item=_item(item, today, as_of) if item else None)


def _item(item: RectItem, today: dt.date, as_of: float) -> ItemStatus:
    done = item.state == DONE and item.closed_at is not None and item.closed_at <= as_of
    state = "done" if done else "overdue" if today > item.deadline else "open"
    return ItemStatus(
        id=item.id, state=state, opened_at=item.opened_at, deadline=item.deadline,
        days_to_deadline=(item.deadline - today).days,
        closed_at=item.closed_at if done else None, closed_by=item.closed_by if done else None,
        actions=item.actions,
        progress=tuple(Progress(n.at, n.by, n.kind, n.note) for n in item.notes
                       if n.at <= as_of))


def _cover(config: Config, q: Quarter, today: dt.date, lang: str) -> Cover:
    # service.organisation where the config has it (older configs do not): else a neutral word.
    unit = str(getattr(config.service, "organisation", "") or "").strip()
    name = quarter_name(q, lang)
    title = (word(lang, "doc.title", organisation=unit, quarter=name) if unit
             else word(lang, "doc.title_plain", quarter=name))
    return Cover(
        organisation=unit or word(lang, "doc.organisation"), title=title,
        number=word(lang, "doc.number", year=q.year, n=q.number), quarter_name=name,
        period=word(lang, "period", start=day_text(lang, q.start), end=day_text(lang, q.end)),
        generated=day_text(lang, today))
