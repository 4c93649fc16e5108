"""The quarterly watch report as a page: HTML from monitor/templates/reports/quarterly.html, and
the PDF drawn from it by WeasyPrint (monitor.reports.render), A4 like the monthly report.

    html = render_quarterly_html(report)
    pdf = render_pdf(html)                     # monitor.reports.render

Every word comes from the catalog (report_quarterly, and the audit's own names for classes,
levels and evidence); the page only formats what the model holds.
"""

from __future__ import annotations

from typing import Any

from monitor.governance.inventory import texts
from monitor.reports.fmt import MISSING, Formatter, day_text, percent_text
from monitor.reports.quarterly.build import WORDS, word
from monitor.reports.quarterly.model import AtRisk, ItemStatus, QuarterlyReport
from monitor.reports.render import environment

_NUMBERS = ("number.2", "number.3", "number.4")  # section numbers after the summary


def render_quarterly_html(report: QuarterlyReport) -> str:
    return environment().get_template("quarterly.html").render(quarterly_context(report))


def quarterly_context(report: QuarterlyReport) -> dict[str, Any]:
    lang = report.language
    f = Formatter(lang, report.timezone)

    def w(key: str, **values: object) -> str:
        return word(lang, key, **values)

    items = report.items()
    states = [i.state for i in items.values()]
    at_risk = report.apps_at_risk
    summary = [w("summary.lead", today=day_text(lang, report.today), listed=report.listed_apps,
                 at_risk=at_risk, flagged=report.apps_flagged,
                 warning=at_risk - report.apps_flagged)]
    end = day_text(lang, report.quarter.end)
    summary.append(w("summary.ended", end=end) if report.deadline is None
                   else w("summary.days_left", end=end, days=report.days_left))
    if at_risk:
        summary.append(w("summary.items", items=len(items), open=states.count("open"),
                         overdue=states.count("overdue"), done=states.count("done"),
                         none=at_risk - len(items)))
    else:
        summary.append(w("summary.none"))
    summary.append(w("summary.months", months=texts.list_text(lang, (
        _month_label(m, m in report.quarter.months) for m in report.months))))
    sections = [{
        "cls": s.cls,
        "heading": w("sec.class", number=w(number), name=texts.label(lang, "class", s.cls),
                     n=len(s.rows)),
        "rows": [_row(r, f) for r in s.rows],
    } for number, s in zip(_NUMBERS, report.sections, strict=True)]
    return {
        "lang": lang, "r": report, "w": w, "cover": report.cover,
        "days_left": w("days", n=report.days_left),
        "notice_day": end,
        "summary": summary,
        "counts": [{"cls": s.cls, "name": texts.label(lang, "class", s.cls),
                    "flagged": s.flagged, "warning": s.warning, "total": len(s.rows)}
                   for s in report.sections],
        "sections": sections,
    }


def _month_label(month: str, in_quarter: bool) -> str:
    return f"{month}*" if in_quarter else month


def _row(row: AtRisk, f: Formatter) -> dict[str, Any]:
    lang = f.lang
    owner = " ".join(part for part in (row.owner_name, row.owner_mobile) if part)
    return {
        "app_id": row.app_id, "name": row.app_name, "department": row.department,
        "owner": owner, "level": row.level, "level_text": texts.label(lang, "level", row.level),
        "basis": row.basis, "trend": texts.label(lang, "trend", row.trend),
        "zero_days": None if row.zero_days is None else word(lang, "zero_days", n=row.zero_days),
        "months": [{
            "month": _month_label(m.month, m.in_quarter), "in_quarter": m.in_quarter,
            "availability": percent_text(m.availability_pct),
            "failed": f"{f.num(m.failed_probes)}/{f.num(m.probes)}" if m.probes else MISSING,
            "visitors": word(lang, "no_data") if m.uv_sum is None else f.num(m.uv_sum),
            "pv": f.num(m.pv) if m.traffic_days else MISSING,
            "traffic_days": m.traffic_days,
        } for m in row.months],
        "suggested": word(lang, "item.suggested", actions=f.join(row.actions))
        if row.actions else "",
        "item": _item(row.item, f) if row.item else None,
    }


def _item(item: ItemStatus, f: Formatter) -> dict[str, Any]:
    lang = f.lang
    state = word(lang, f"item.state.{item.state}")
    if item.closed_by is not None:
        key = f"item.closed_by.{item.closed_by}"
        state = word(lang, "item.state_by", state=state,
                     by=word(lang, key) if key in WORDS else item.closed_by)
    return {
        "id": item.id, "state": item.state, "state_text": state,
        "deadline": word(lang, "item.deadline" if item.days_to_deadline >= 0
                         else "item.deadline.past", date=day_text(lang, item.deadline),
                         days=abs(item.days_to_deadline)),
        "actions": f.join(item.actions),
        "progress": [word(lang, "progress.line", when=f.when(p.at),
                          kind=word(lang, f"progress.{p.kind}")
                          if f"progress.{p.kind}" in WORDS else p.kind,
                          by=_who(p.by, lang), note=p.note).strip()
                     for p in item.progress],
    }



def _who(by: str, lang: str) -> str:
    """A person's name as written; the service's own codes (audit, delisting) in words."""
    return word(lang, f"by.{by}") if f"by.{by}" in WORDS else by
