"""The incident analysis report (故障分析报告) as a Word document: the page's sections, in its
order, with Word headings and tables and the per-minute charts as pictures.

The content comes from the page's own view (incident_context); the empty human sections keep
their "to be completed" hint, which is what a centre fills in by hand before stamping.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from docx.document import Document as DocumentObject

from monitor.reports.docx.common import (
    bulleted,
    heading,
    new_document,
    numbered,
    pairs,
    para,
    picture,
    table,
    to_bytes,
)
from monitor.reports.fmt import MISSING, Formatter
from monitor.reports.incident.model import BasicInfo, IncidentReport, NoteText
from monitor.reports.incident.view import incident_context


def incident_docx(report: IncidentReport, *, draft: bool = False) -> bytes:
    f = Formatter(report.language, report.timezone)
    c = incident_context(report, f)
    b: BasicInfo = c["b"]
    doc = new_document(report.language, f"{f.t('incident.title')} {b.incident_id}")
    heading(doc, f.t("incident.title"), 0)
    if report.is_correlated:
        para(doc, f"{f.t('family.title', n=len(report.children))} · {f.severity(b.severity)} · "
                  f"{f.state(b.state)}")
    else:
        para(doc, f"{b.app_name} / {f.check(b.check_id, b.check_name, b.check_kind)} · "
                  f"{f.severity(b.severity)} · {f.state(b.state)}")
    para(doc, f"{f.t('basic.incident_id')} {b.incident_id} · {f.t('generated')} "
              f"{c['generated']} · {f.t('timezone')} {report.timezone}", small=True)
    if draft:
        para(doc, f.t("draft"))
    _basic(doc, report, f)
    _family(doc, report, f)
    _timeline(doc, report, f, c)
    _sla(doc, report, f, c)
    _symptoms(doc, report, f, c)
    _impact(doc, report, f)
    heading(doc, f.t("sec.causes"), 1)
    heading(doc, f.t("sec.direct_cause"), 2)
    _notes(doc, report.analysis.direct_cause, c["todo"]["direct_cause"], f)
    heading(doc, f.t("sec.root_cause"), 2)
    _notes(doc, report.analysis.root_cause, c["todo"]["root_cause"], f)
    heading(doc, f.t("sec.steps"), 1)
    _notes(doc, report.analysis.steps, c["todo"]["steps"], f)
    _actions(doc, report, f, c)
    heading(doc, f.t("sec.lessons"), 1)
    _notes(doc, report.analysis.lessons, c["todo"]["lessons"], f)
    heading(doc, f.t("sec.methods"), 1)
    numbered(doc, (m.text for m in report.methods))
    return to_bytes(doc)


def _kv(doc: DocumentObject, f: Formatter, items: Sequence[tuple[str, str]]) -> None:
    pairs(doc, [f.t("col.field"), f.t("col.content")], items)


def _basic(doc: DocumentObject, r: IncidentReport, f: Formatter) -> None:
    b = r.basic
    heading(doc, f.t("sec.basic"), 1)
    items = [(f.t("basic.incident_id"), b.incident_id)]
    if r.is_correlated:
        items.append((f.t("basic.kind"), f"{f.t('kind.correlated')} · "
                                         f"{f.t('family.apps', n=len(r.children))}"))
    else:
        where = f" · {b.department} · {b.category} · {f.t('tier.n', n=b.tier)}" \
            if b.department else ""
        items += [(f.t("basic.app"), f"{b.app_name} ({b.app_id}){where}"),
                  (f.t("basic.owner"), b.owner_name or MISSING),
                  (f.t("basic.check"), f.check(b.check_id, b.check_name, b.check_kind))]
    if r.parent:
        p = r.parent
        parts = [f"{f.t('family.part_of')} {p.id}", p.summary or "",
                 f.t("family.apps", n=p.apps) if p.apps else "",
                 f.state(p.state) if p.state else ""]
        items.append((f.t("basic.parent"), " · ".join(x for x in parts if x)))
    state = f.state(b.state) + (f" · {f.t('basic.reopened', n=b.reopen_count)}"
                                if b.reopen_count else "")
    resolver = b.handlers.resolved_by or (f.t("basic.auto") if b.auto_resolved else MISSING)
    items += [(f.t("basic.severity"), f.severity(b.severity)), (f.t("basic.state"), state),
              (f.t("basic.summary"), b.summary), (f.t("basic.source"), b.source)]
    if b.address:
        items.append((f.t("basic.address"), b.address))
    items += [(f.t("basic.acknowledged_by"), b.handlers.acknowledged_by or MISSING),
              (f.t("basic.resolved_by"), resolver),
              (f.t("basic.note_authors"), ", ".join(b.handlers.note_authors) or MISSING)]
    _kv(doc, f, items)


def _family(doc: DocumentObject, r: IncidentReport, f: Formatter) -> None:
    if not r.is_correlated:
        return
    heading(doc, f.t("sec.family"), 1)
    if not r.children:
        para(doc, f.t("family.empty"))
        return
    header = [f"{f.t('col.app')} / {f.t('col.check')}", f.t("col.incident"),
              f.t("col.started"), f.t("col.opened"), f.t("col.state"), f.t("col.outage"),
              f.t("col.summary")]
    table(doc, header, ([f"{m.app_name} / {f.check(m.check_id, m.check_name, m.check_kind)}",
                         m.id, f.at(m.started_at), f.at(m.opened_at),
                         f.state(m.state) if m.state else f.t("unknown"),
                         f.duration(m.outage_seconds) + (f" {f.t('ongoing')}" if m.ongoing
                                                         else ""), m.summary]
                        for m in r.children), numeric=(5,))


def _timeline(doc: DocumentObject, r: IncidentReport, f: Formatter, c: dict[str, Any]) -> None:
    heading(doc, f.t("sec.timeline"), 1)
    table(doc, [f.t("col.step"), f.t("col.at"), f.t("col.since"), f.t("col.detail")],
          ([f.t("flow." + s.key), f.at(s.at) if s.at is not None else f.t("flow.pending"),
            f"+{f.duration(s.since_start)}" if s.at is not None else MISSING, s.detail]
           for s in c["flow"]))
    ongoing = f" {f.t('ongoing')}" if r.durations.ongoing else ""
    para(doc, f.t("durations", detect=f.duration(r.durations.detection_seconds),
                  outage=f.duration(r.durations.outage_seconds)) + ongoing)
    table(doc, [f.t("col.at"), f.t("col.event"), f.t("col.by"), f.t("col.detail")],
          ([f.at(item.at),
            f.t("entry." + item.type) if f.has("entry." + item.type) else item.type,
            item.by or "", c["detail"](item)] for item in r.timeline))


def _sla(doc: DocumentObject, r: IncidentReport, f: Formatter, c: dict[str, Any]) -> None:
    heading(doc, f.t("sec.sla"), 1)
    if r.is_correlated:
        para(doc, f.t("family.no_sla"))
        return
    table(doc, ["", f.t("col.limit"), f.t("col.due"), f.t("col.actual"), f.t("col.outcome")],
          ([f.t("sla." + key), limit, f.at(check.due_at), f.duration(check.actual_seconds),
            f.t("outcome." + check.outcome)]
           for key, check, limit in (("response", r.response, c["response_limit"]),
                                     ("resolution", r.resolution, c["resolution_limit"]))),
          numeric=(1, 3))


def _symptoms(doc: DocumentObject, r: IncidentReport, f: Formatter, c: dict[str, Any]) -> None:
    heading(doc, f.t("sec.symptoms"), 1)
    para(doc, r.basic.summary)
    if not r.raw_available:
        para(doc, f.t("ev.no_raw"), small=True)
    for view in c["evidence"]:
        e = view.evidence
        owner = f"{e.app_name} / " if e.app_name else ""
        heading(doc, owner + f.check(e.check_id, e.name, e.kind), 2)
        errors = ", ".join(f"{f.error(k.key)} × {k.count}" for k in e.error_kinds) or MISSING
        _kv(doc, f, [
            (f.t("ev.window"), f"{f.at(e.window_start)} – {f.at(e.window_end)} · "
                               f"{f.t('ev.results', n=e.results, f=e.failures)}"),
            (f.t("ev.errors"), errors),
            (f.t("ev.first_error"), f"{f.at(e.first_error_at)} {e.first_error or ''}"),
            (f.t("ev.last_error"), f"{f.at(e.last_error_at)} {e.last_error or ''}"),
        ])
        if e.truncated:
            para(doc, f.t("ev.truncated", n=e.results), small=True)
        if view.runs_chart is not None:
            picture(doc, view.runs_chart, f.t("chart.failures"))
            picture(doc, view.latency_chart, f.t("chart.latency"))


def _impact(doc: DocumentObject, r: IncidentReport, f: Formatter) -> None:
    heading(doc, f.t("sec.impact"), 1)
    ongoing = f" {f.t('ongoing')}" if r.durations.ongoing else ""
    users = f.num(r.impact.users) if r.impact.users is not None else f.t("impact.users_unknown")
    _kv(doc, f, [
        (f.t("impact.apps"), f.t("list.sep").join(r.impact.app_names or r.impact.apps)),
        (f.t("impact.duration"), f.duration(r.impact.duration_seconds) + ongoing),
        (f.t("impact.users"), users),
    ])


def _notes(doc: DocumentObject, notes: Sequence[NoteText], todo: str, f: Formatter) -> None:
    if not notes:
        para(doc, todo)
        return
    bulleted(doc, (f"{n.text} — {n.by or MISSING}, {f.at(n.at)}" for n in notes))


def _actions(doc: DocumentObject, r: IncidentReport, f: Formatter, c: dict[str, Any]) -> None:
    heading(doc, f.t("sec.actions"), 1)
    if not r.analysis.actions:
        para(doc, c["todo"]["actions"])
        return
    table(doc, [f.t("col.what"), f.t("col.owner"), f.t("col.deadline"), f.t("col.by")],
          ([a.what, a.owner or MISSING,
            (a.deadline or MISSING) + (f" {f.t('deadline.invalid')}"
                                       if a.deadline and not a.deadline_valid else ""),
            f"{a.by or MISSING}, {f.at(a.at)}"] for a in r.analysis.actions))
