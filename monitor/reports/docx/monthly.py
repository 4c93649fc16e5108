"""The monthly report (运维月报) as a Word document: the HTML/PDF page's sections, in its order,
with Word headings, tables and the same charts as pictures.

Everything shown comes from the model through the page's own view (monthly_context), so the
document says what the page says; this module only lays it out for Word.
"""

from __future__ import annotations

from typing import Any

from docx.document import Document as DocumentObject

from monitor.reports.docx.common import (
    heading,
    landscape,
    new_document,
    numbered,
    para,
    picture,
    table,
    to_bytes,
)
from monitor.reports.docx.cover import cover, overview, recommendations
from monitor.reports.fmt import MISSING, Formatter
from monitor.reports.monthly.model import (
    AppFigures,
    CorrelatedLine,
    IncidentLine,
    MonthlyReport,
)
from monitor.reports.monthly.view import monthly_context
from monitor.reports.slastats import IncidentFigures

APP_COLUMNS = ("col.app", "col.department", "col.tier", "col.availability", "col.probes",
               "col.failed", "col.p50", "col.p95", "col.p99", "col.incidents", "col.mtta",
               "col.mttr", "col.breaches")


def monthly_docx(report: MonthlyReport) -> bytes:
    f = Formatter(report.language, report.timezone)
    c = monthly_context(report, f)
    doc = new_document(report.language, f"{f.t('monthly.title')} {report.period.month}")
    cover(doc, report, f, c)
    overview(doc, report, f)
    _summary(doc, report, f, c)
    recommendations(doc, report, f)
    _apps(doc, report, f)
    _breakdowns(doc, report, f, c)
    _incidents(doc, report, f, c)
    _requests(doc, report, f, c)
    _certificates(doc, report, f)
    _watch(doc, report, f, c)
    _inventory(doc, report, f)
    _maintenance(doc, report, f, c)
    _blind(doc, report, f)
    heading(doc, f.t("sec.methods"), 1)
    numbered(doc, (m.text for m in report.methods))
    return to_bytes(doc)


def _pct(f: Formatter, value: float | None) -> str:
    text = f.pct(value)
    return text if value is None else f"{text} %"


def _sla_cards(r: MonthlyReport, f: Formatter, c: dict[str, Any]) -> list[list[str]]:
    i: IncidentFigures = r.totals.incidents
    return [
        [f.t("card.mtta"), f.duration(i.mtta_seconds), f"{i.acknowledged} / {i.count}"],
        [f.t("card.mttr"), f.duration(i.mttr_seconds), f"{i.resolved} / {i.count}"],
        [f.t("card.response_sla", limit=c["response_limit"]), _pct(f, i.response_within_sla_pct),
         f.t("card.sla_counts", within=i.response_within, breached=i.response_breaches)],
        [f.t("card.resolution_sla", limit=c["resolution_limit"]),
         _pct(f, i.resolution_within_sla_pct),
         f.t("card.sla_counts", within=i.resolution_within, breached=i.resolution_breaches)],
    ]


def _summary(doc: DocumentObject, r: MonthlyReport, f: Formatter, c: dict[str, Any]) -> None:
    # Under the written summary the figures are its second level, as on the page.
    heading(doc, f.t("sec.summary"), 2 if getattr(r, "summary", ()) else 1)
    t = r.totals
    met = c["target_met"]
    verdict = MISSING if met is None else f.t("card.met") if met else f.t("card.missed")
    severities = " ".join(f"{f.severity(n.key)} {n.count}" for n in r.incidents_by_severity)
    if r.correlated:
        severities += " · " + f.t("card.correlated", events=len(r.correlated),
                                  incidents=r.correlated_incidents)
    latency = f"{f.ms(t.latency.p50_ms)} / {f.ms(t.latency.p95_ms)} / {f.ms(t.latency.p99_ms)} ms"
    rows = [
        [f.t("card.availability"), _pct(f, t.usage.availability_pct),
         f"{f.t('card.target', target=c['target'])} · {verdict}"],
        [f.t("card.apps"), f.num(t.apps), f.t("card.below", n=t.apps_below_target)],
        [f.t("card.incidents"), str(t.events), severities],
        [f.t("card.latency"), f"{f.ms(t.latency.p95_ms)} ms", latency],
        *_sla_cards(r, f, c),
    ]
    table(doc, [f.t("col.figure"), f.t("col.value"), f.t("col.detail")], rows, numeric=(1,))
    picture(doc, c["charts"]["availability"], f.t("chart.daily_availability"))
    picture(doc, c["charts"]["p95"], f.t("chart.daily_p95"))


def _app_row(a: AppFigures, f: Formatter) -> list[str]:
    i = a.incidents
    return [f"{a.name} ({a.id})", a.department, str(a.tier), f.pct(a.usage.availability_pct),
            f.num(a.usage.probes), f.num(a.usage.failed_probes), f.ms(a.latency.p50_ms),
            f.ms(a.latency.p95_ms), f.ms(a.latency.p99_ms), str(i.count),
            f.duration(i.mtta_seconds), f.duration(i.mttr_seconds),
            f"{i.response_breaches} / {i.resolution_breaches}"]


def _apps(doc: DocumentObject, r: MonthlyReport, f: Formatter) -> None:
    """The per-app table on landscape pages: thirteen columns do not fit a portrait width."""
    landscape(doc, wide=True)
    heading(doc, f.t("sec.apps"), 1)
    para(doc, f"{f.t('legend.availability_prefix')} {f.t('legend.mtta')}", small=True)
    table(doc, [f.t(k) for k in APP_COLUMNS], (_app_row(a, f) for a in r.apps),
          numeric=range(2, len(APP_COLUMNS)))
    landscape(doc, wide=False)


def _breakdowns(doc: DocumentObject, r: MonthlyReport, f: Formatter, c: dict[str, Any]) -> None:
    heading(doc, f.t("sec.breakdowns"), 1)
    for dimension, groups in c["dimensions"]:
        heading(doc, f.t("dim." + dimension), 2)
        header = [f.t("col.rank"), f.t("col.key." + dimension), f.t("col.apps"),
                  f.t("col.availability"), f.t("col.below"), f.t("col.incidents"),
                  f.t("col.mtta"), f.t("col.mttr"), f.t("col.breaches")]
        table(doc, header, ([str(g.rank), c["group_key"](g), str(len(g.apps)),
                             f.pct(g.usage.availability_pct), str(g.below_target),
                             str(g.incidents.count), f.duration(g.incidents.mtta_seconds),
                             f.duration(g.incidents.mttr_seconds),
                             f"{g.incidents.response_breaches} / "
                             f"{g.incidents.resolution_breaches}"] for g in groups),
              numeric=(0, *range(2, 9)))
    if c["charts"]["departments"] is not None:
        picture(doc, c["charts"]["departments"], f.t("chart.incidents_by_department"))
    for key, apps in c["rankings"]:
        heading(doc, f.t("rank." + key), 2)
        if not apps:
            para(doc, f.t("none"))
        numbered(doc, (f"{a.name} — {_ranked(key, a, f)}" for a in apps))


def _ranked(key: str, a: AppFigures, f: Formatter) -> str:
    if key == "lowest_availability":
        return _pct(f, a.usage.availability_pct)
    if key == "slowest_p95":
        return f"{f.ms(a.latency.p95_ms)} ms"
    return str(a.incidents.count)


def _incident_row(kind: str, i: CorrelatedLine | IncidentLine, f: Formatter) -> list[str]:
    if isinstance(i, CorrelatedLine):
        who = f"{f.t('monthly.correlated', n=len(i.apps))}: {', '.join(i.app_names)}"
        return [f.short(i.opened_at), who, f.severity(i.severity),
                f.state(i.state) if i.state else MISSING, MISSING, MISSING, i.summary]
    late = f" {f.t('late')}"
    who = f"{'↳ ' if kind == 'child' else ''}{i.app_name} / " \
          f"{f.check(i.check_id, i.check_name, i.check_kind)}"
    summary = i.summary if not i.cause else f"{i.summary}\n{i.cause}"
    return [f.short(i.opened_at), who, f.severity(i.severity), f.state(i.state),
            f.duration(i.response_seconds) + (late if i.response_breached else ""),
            f.duration(i.resolution_seconds) + (late if i.resolution_breached else ""),
            summary]


def _incidents(doc: DocumentObject, r: MonthlyReport, f: Formatter, c: dict[str, Any]) -> None:
    heading(doc, f.t("sec.incidents"), 1)
    if r.incidents:
        header = [f.t("col.opened"), f"{f.t('col.app')} / {f.t('col.check')}",
                  f.t("col.severity"), f.t("col.state"), f.t("col.response"),
                  f.t("col.resolution"), f.t("col.summary")]
        table(doc, header, (_incident_row(kind, i, f) for kind, i in c["incident_rows"]),
              numeric=(4, 5))
    else:
        para(doc, f.t("empty.incidents"))
    if r.other_incidents:
        para(doc, f.t("other_incidents", n=r.other_incidents), small=True)


def _requests(doc: DocumentObject, r: MonthlyReport, f: Formatter, c: dict[str, Any]) -> None:
    q = r.requests
    if q is None:
        return
    heading(doc, f.t("sec.requests"), 1)
    rows = [[f.t("channel." + ch.channel), str(ch.count), str(ch.answered_within)]
            for ch in q.by_channel]
    rows.append([f.t("requests.count"), str(q.count), str(q.answered_within)])
    table(doc, [f.t("col.channel"), f.t("requests.count"),
                f.t("requests.within", limit=c["request_limit"])], rows, numeric=(1, 2))
    table(doc, [f.t("col.figure"), f.t("col.value")], [
        [f.t("requests.within_pct"), _pct(f, q.answered_within_pct)],
        [f.t("requests.breaches"), str(q.response_breaches)],
        [f.t("requests.pending"), str(q.pending)],
        [f.t("requests.mtta"), f.duration(q.mtta_seconds)],
    ], numeric=(1,))
    para(doc, f.t("requests.reported_outages", n=q.reported_outages), small=True)


def _certificates(doc: DocumentObject, r: MonthlyReport, f: Formatter) -> None:
    """One row per app, by the nearest expiry, as the HTML/PDF show them."""
    heading(doc, f.t("sec.certificates"), 1)
    if not r.certificate_apps:
        para(doc, f.t("empty.certificates"))
        return
    table(doc, [f.t("col.app"), f.t("col.checks"), f.t("col.days_left"), f.t("col.expires")],
          ([c.app_name, f.sep.join(c.checks), str(c.days_left), f.day(c.expires_at)]
           for c in r.certificate_apps), numeric=(2,))


def _watch(doc: DocumentObject, r: MonthlyReport, f: Formatter, c: dict[str, Any]) -> None:
    heading(doc, f.t("sec.watch"), 1)
    if not r.watch_list:
        para(doc, f.t("empty.watch"))
        return
    table(doc, [f.t("col.app"), f.t("col.department"), f.t("col.availability"),
                f.t("col.worst_week"), f.t("col.reasons")],
          ([w.app_name, w.department, f.pct(w.availability_pct), f.pct(w.worst_week_failed_pct),
            c["reasons"](w)] for w in r.watch_list), numeric=(2, 3))


def _inventory(doc: DocumentObject, r: MonthlyReport, f: Formatter) -> None:
    inv = r.inventory
    if inv is None:
        return
    heading(doc, f.t("sec.inventory"), 1)
    para(doc, f.t("inv.summary", **inv.counts()))
    heading(doc, f.t("inv.changes"), 2)
    if inv.changes:
        table(doc, [f.t("col.app"), f.t("col.change"), f.t("col.at"), f.t("col.by"),
                    f.t("col.evaluation")],
              ([ch.app_name, f"{f.t('listing.' + ch.previous) if ch.previous else MISSING} → "
                f"{f.t('listing.' + ch.status)}", f.at(ch.at), ch.by, _verdict(ch, f)]
               for ch in inv.changes))
    else:
        para(doc, f.t("empty.changes"))
    heading(doc, f.t("inv.items"), 2)
    if not inv.items:
        para(doc, f.t("empty.items"))
        return
    table(doc, [f.t("col.item"), f.t("col.app"), f.t("col.problem"), f.t("col.deadline"),
                f.t("col.state"), f.t("col.progress")],
          ([i.id, i.app_name, f.join(f.t("iclass." + k) for k in i.classes),
            i.deadline.isoformat(), f.t("item." + i.state),
            "\n".join(f"{f.short(at)} {f.t('progress.' + kind)}"
                      f"{': ' + note if note else ''}{'' if by == 'audit' else f' ({by})'}"
                      for at, by, kind, note in i.progress)] for i in inv.items))


def _verdict(change: Any, f: Formatter) -> str:
    if not change.verdict:
        return f.t("not_checked")
    score = "" if change.score is None else f" ({change.score})"
    return f.t("verdict." + change.verdict) + score


def _maintenance(doc: DocumentObject, r: MonthlyReport, f: Formatter, c: dict[str, Any]
                 ) -> None:
    heading(doc, f.t("sec.maintenance"), 1)
    if not r.maintenance:
        para(doc, f.t("empty.maintenance"))
        return
    table(doc, [f.t("col.window"), f.t("col.scope"), f.t("col.reason"), f.t("col.start"),
                f.t("col.end"), f.t("col.excluded_hours")],
          ([w.window_id, c["scope"](w.scope), w.reason or MISSING, f.at(w.start), f.at(w.end),
            str(w.excluded_hours)] for w in r.maintenance), numeric=(5,))


def _blind(doc: DocumentObject, r: MonthlyReport, f: Formatter) -> None:
    heading(doc, f.t("sec.blind"), 1)
    if r.blind_periods:
        table(doc, [f.t("col.start"), f.t("col.end"), f.t("col.reason")],
              ([f.at(b.start), f.at(b.end) if b.end else f.t("still_blind"), b.summary]
               for b in r.blind_periods))
    else:
        para(doc, f.t("empty.blind"))
    no_data = [a for a in r.apps if a.no_data_hours]
    if no_data:
        table(doc, [f.t("col.app"), f.t("col.no_data_hours")],
              ([a.name, str(a.no_data_hours)] for a in no_data), numeric=(1,))
