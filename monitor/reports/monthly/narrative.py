"""The words around the figures: the cover, the written summary (综述) and the recommendations
(整改建议), made from a built MonthlyReport in its language. No figure is computed here that
the report does not already hold; this only picks the ones a reader must see and says them.

    report = with_document(report, organisation, listing_items=..., previous=..., traffic=...)
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter
from collections.abc import Sequence
from typing import Final
from zoneinfo import ZoneInfo

from monitor.core.checknames import check_title
from monitor.core.durations import report_span
from monitor.core.i18n import EN, text
from monitor.reports.fmt import day_text, month_day_text, month_text, percent_text
from monitor.reports.monthly.docmodel import (
    AppTraffic,
    CertificateApp,
    Cover,
    Paragraph,
    PreviousMonth,
    Recommendation,
)
from monitor.reports.monthly.groups import (
    WATCH_BELOW_TARGET,
    WATCH_NO_DATA,
    WATCH_WEEK_FAILED,
    WEEK_FAILED_LIMIT_PCT,
)
from monitor.reports.monthly.model import CertificateWarning, MonthlyReport
from monitor.reports.texts import duration_text, report_text

# An app with at least this many incidents in the month has "repeated incidents".
REPEATED_INCIDENTS: Final = 2
# Apps named in the summary's attention sentence; the recommendations list them all.
ATTENTION_NAMED: Final = 5
DAY_S: Final = 86400.0

REASON_REPEATED: Final = "repeated_incidents"
REASON_SLA: Final = "sla_breaches"
REASON_CERTIFICATE: Final = "certificate"
REASON_OPEN_ITEMS: Final = "open_items"
# The order reasons are listed in, most pressing first.
REASONS: Final = (WATCH_BELOW_TARGET, WATCH_WEEK_FAILED, WATCH_NO_DATA, REASON_REPEATED,
                  REASON_SLA, REASON_CERTIFICATE, REASON_OPEN_ITEMS)


def with_document(report: MonthlyReport, organisation: str, *,
                  previous: PreviousMonth | None,
                  traffic: tuple[AppTraffic, ...] | None) -> MonthlyReport:
    """`report` with its cover, certificates by app, recommendations and summary."""
    report = dataclasses.replace(
        report, cover=cover(report, organisation), previous=previous, traffic=traffic,
        certificate_apps=certificate_apps(report.certificates, report.language))
    report = dataclasses.replace(report, recommendations=recommendations(report))
    return dataclasses.replace(report, summary=summary(report))


# --- the cover ----------------------------------------------------------------------------------

def report_number(lang: str, month: str) -> str:
    """运维〔2026〕11号: the year and the month's number, so one month has one number."""
    year, number = (int(part) for part in month.split("-"))
    return report_text(lang, "doc.number", year=year, n=number)


def cover(report: MonthlyReport, organisation: str) -> Cover:
    lang, tz = report.language, ZoneInfo(report.timezone)
    month = month_text(lang, report.period.month)
    unit = organisation.strip()
    title = (report_text(lang, "doc.title", organisation=unit, month=month) if unit
             else report_text(lang, "doc.title_plain", month=month))
    complete = report.generated_at >= report.period.end
    as_of = report.period.end if complete else report.generated_at
    first = dt.datetime.fromtimestamp(report.period.start, tz).date()
    if complete:
        last = dt.datetime.fromtimestamp(report.period.end - 1, tz).date()
        period = report_text(lang, "doc.period", start=day_text(lang, first),
                             end=month_day_text(lang, last) if lang != EN
                             else day_text(lang, last))
    else:
        today = dt.datetime.fromtimestamp(report.generated_at, tz).date()
        period = report_text(lang, "doc.period_open", date=day_text(lang, today))
    return Cover(
        organisation=unit or report_text(lang, "doc.organisation"), title=title,
        number=report_number(lang, report.period.month), period=period,
        generated=day_text(lang, dt.datetime.fromtimestamp(report.generated_at, tz).date()),
        complete=complete, as_of=as_of)


# --- certificates by app -----------------------------------------------------------------------

def certificate_apps(warnings: Sequence[CertificateWarning], lang: str
                     ) -> tuple[CertificateApp, ...]:
    """One line per app, by its certificate nearest to expiry (`warnings` are sorted so)."""
    apps: dict[str, CertificateApp] = {}
    for w in warnings:
        name = check_title(w.check_name, w.check_kind, w.check_id, lang)
        known = apps.get(w.app_id)
        if known is None:
            expires = None if w.seen_at is None else w.seen_at + w.days_left * DAY_S
            apps[w.app_id] = CertificateApp(w.app_id, w.app_name, w.days_left, expires,
                                            (name,))
        elif name not in known.checks:
            apps[w.app_id] = dataclasses.replace(known, checks=(*known.checks, name))
    return tuple(apps.values())


# --- recommendations -------------------------------------------------------------------------

def _open_items(report: MonthlyReport) -> dict[str, tuple[int, int]]:
    """app id -> (items not done, of which overdue)."""
    out: dict[str, tuple[int, int]] = {}
    for item in report.inventory.items if report.inventory else ():
        if item.state == "done":
            continue
        count, overdue = out.get(item.app_id, (0, 0))
        out[item.app_id] = (count + 1, overdue + (item.state == "overdue"))
    return out


def recommendations(report: MonthlyReport) -> tuple[Recommendation, ...]:
    """Every app flagged by the watch-list, repeated incidents, late handling, a certificate
    running out or open rectification items, once, lowest availability first."""
    lang = report.language
    target = target_text(report.availability_target_pct)
    watch = {w.app_id: w for w in report.watch_list}
    certs = {c.app_id: c for c in report.certificate_apps}
    items = _open_items(report)
    tz = ZoneInfo(report.timezone)
    out = []
    for app in report.apps:
        inc = app.incidents
        found: dict[str, dict[str, object]] = {}
        entry = watch.get(app.id)
        for code in entry.reasons if entry else ():
            found[code] = {"pct": percent_text(
                app.usage.availability_pct if code == WATCH_BELOW_TARGET
                else app.worst_week_failed_pct),
                "target": target, "limit": target_text(WEEK_FAILED_LIMIT_PCT)}
        if inc.count >= REPEATED_INCIDENTS:
            found[REASON_REPEATED] = {"n": inc.count}
        if inc.response_breaches or inc.resolution_breaches:
            found[REASON_SLA] = {"response": inc.response_breaches,
                                 "resolution": inc.resolution_breaches}
        if app.id in certs:
            cert = certs[app.id]
            date = "—" if cert.expires_at is None else day_text(
                lang, dt.datetime.fromtimestamp(cert.expires_at, tz).date())
            found[REASON_CERTIFICATE] = {"days": f"{cert.days_left:g}", "date": date}
        if app.id in items:
            found[REASON_OPEN_ITEMS] = {"n": items[app.id][0], "overdue": items[app.id][1]}
        if not found:
            continue
        codes = tuple(code for code in REASONS if code in found)
        out.append(Recommendation(
            app_id=app.id, app_name=app.name, department=app.department,
            owner_name=app.owner_name, reasons=codes,
            problems=tuple(report_text(lang, f"rec.{c}", **found[c]) for c in codes),
            actions=tuple(report_text(lang, f"act.{c}", **found[c]) for c in codes)))
    pct = {a.id: a.usage.availability_pct for a in report.apps}
    out.sort(key=lambda r: (WATCH_BELOW_TARGET not in r.reasons, pct[r.app_id] or 0.0))
    return tuple(out)


# --- the written summary ------------------------------------------------------------------------

def summary(report: MonthlyReport) -> tuple[Paragraph, ...]:
    paragraphs = [Paragraph("availability", _availability(report)),
                  Paragraph("incidents", _incidents(report))]
    if report.totals.incidents.count:
        paragraphs.append(Paragraph("sla", _sla(report)))
    paragraphs.append(Paragraph("attention", _attention(report)))
    paragraphs.append(Paragraph("previous", _previous(report)))
    if report.traffic:
        paragraphs.append(Paragraph("traffic", report_text(
            report.language, "sum.traffic", n=len(report.traffic),
            pv=f"{sum(t.pv for t in report.traffic):,}")))
    return tuple(paragraphs)


def _availability(report: MonthlyReport) -> str:
    lang, t = report.language, report.totals
    pct = t.usage.availability_pct
    if pct is None:
        return report_text(lang, "sum.no_probes", apps=t.apps)
    met = pct >= report.availability_target_pct
    first = report_text(lang, "sum.availability", apps=t.apps, pct=percent_text(pct),
                        verdict=report_text(lang, "sum.met" if met else "sum.missed"),
                        target=target_text(report.availability_target_pct))
    rest = (report_text(lang, "sum.below", n=t.apps_below_target) if t.apps_below_target
            else report_text(lang, "sum.all_met"))
    return _sentences(lang, first, rest)


def _incidents(report: MonthlyReport) -> str:
    lang = report.language
    if not report.totals.events:
        return report_text(lang, "sum.no_incidents")
    severities = _list(lang, [report_text(lang, "sum.severity", n=c.count,
                                          name=text(lang, f"severity.{c.key}"))
                              for c in report.incidents_by_severity if c.count])
    parts = [report_text(lang, "sum.incidents", events=report.totals.events,
                         severities=severities)]
    kinds = Counter(check_title(None, i.check_kind, i.check_id, lang) for i in report.incidents)
    if kinds:
        parts.append(report_text(lang, "sum.kinds", kinds=_list(lang, [
            report_text(lang, "sum.kind", name=name, n=n) for name, n in kinds.most_common()])))
    if report.correlated:
        parts.append(report_text(lang, "sum.correlated", events=len(report.correlated),
                                 incidents=report.correlated_incidents))
    if report.requests is not None and report.requests.reported_outages:
        parts.append(report_text(lang, "sum.reported", n=report.requests.reported_outages))
    return _sentences(lang, *parts)


def _sla(report: MonthlyReport) -> str:
    lang, i = report.language, report.totals.incidents
    return report_text(
        lang, "sum.sla", response=duration_text(lang, report.sla_response_s),
        resolution=duration_text(lang, report.sla_resolution_s),
        r_within=i.response_within, r_late=i.response_breaches,
        r_pct=percent_text(i.response_within_sla_pct),
        s_within=i.resolution_within, s_late=i.resolution_breaches,
        s_pct=percent_text(i.resolution_within_sla_pct),
        mtta=_span(lang, i.mtta_seconds), mttr=_span(lang, i.mttr_seconds))


def _span(lang: str, seconds: float | None) -> str:
    return "—" if seconds is None else report_span(seconds, lang)


def _attention(report: MonthlyReport) -> str:
    lang, recs = report.language, report.recommendations
    if not recs:
        return report_text(lang, "sum.attention_none")
    named = [report_text(lang, "sum.attention_app", name=r.app_name, why=_list(lang, [
        report_text(lang, f"why.{code}") for code in r.reasons])) for r in recs[:ATTENTION_NAMED]]
    apps = _list(lang, named)
    if len(recs) > ATTENTION_NAMED:
        apps = report_text(lang, "sum.attention_more", apps=apps)
    return report_text(lang, "sum.attention", n=len(recs), apps=apps)


def _previous(report: MonthlyReport) -> str:
    lang, before = report.language, report.previous
    now_pct = report.totals.usage.availability_pct
    if before is None or before.availability_pct is None or now_pct is None:
        return report_text(lang, "sum.no_previous")
    cents = round((now_pct - before.availability_pct) * 100)
    points = f"{abs(cents) / 100:.2f}"
    pct_change = (report_text(lang, "sum.same") if cents == 0
                  else report_text(lang, "sum.up_pp" if cents > 0 else "sum.down_pp", n=points))
    diff = report.totals.events - before.events
    e_change = (report_text(lang, "sum.same") if diff == 0
                else report_text(lang, "sum.more" if diff > 0 else "sum.fewer", n=abs(diff)))
    return report_text(lang, "sum.previous", month=month_text(lang, before.month),
                       before=percent_text(before.availability_pct),
                       now=percent_text(now_pct), pct_change=pct_change,
                       e_before=before.events, e_now=report.totals.events, e_change=e_change)


def target_text(value: float) -> str:
    """A set line, as configured: 99%, 99.9%."""
    return f"{value:g}%"


def _list(lang: str, parts: Sequence[str]) -> str:
    return (", " if lang == EN else "、").join(parts)


def _sentences(lang: str, *parts: str) -> str:
    return (" " if lang == EN else "").join(parts)
