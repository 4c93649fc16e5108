"""The monthly report's document parts around the figures, for Word: the cover (report
number, title, issuer, period, date, sign-off lines), the written summary and the
recommendations by app, as monthly.html shows them.

The cover, the summary and the recommendations (monitor/reports/monthly/docmodel.py) are read
with getattr: they were added to MonthlyReport beside this module, and a report built without
them gets the page's plain header, as before.
"""

from __future__ import annotations

from typing import Any

from docx.document import Document as DocumentObject

from monitor.reports.docx.common import heading, para, table
from monitor.reports.fmt import Formatter
from monitor.reports.monthly.model import MonthlyReport


def cover(doc: DocumentObject, r: MonthlyReport, f: Formatter, c: dict[str, Any]) -> None:
    """The official cover when the report carries one (report number, title, issuer, period,
    date and sign-off lines, then a page break), else the page's plain header."""
    # The cover, the written summary and the recommendations (docmodel.py) are being added
    # to the model beside this module; read them when present, so this works either way.
    sheet = getattr(r, "cover", None)
    if sheet is None:
        heading(doc, f.t("monthly.title"), 0)
        para(doc, f.t("monthly.subtitle", month=r.period.month))
        para(doc, f"{f.t('monthly.period')} {c['period_start']} – {c['period_end']} · "
                  f"{f.t('timezone')} {r.timezone} · {f.t('generated')} {c['generated']}",
             small=True)
        return
    para(doc, sheet.number, centre=True)
    heading(doc, sheet.title, 0)
    table(doc, [f.t("cover.issuer"), sheet.organisation],
          [[f.t("cover.period"), sheet.period], [f.t("cover.date"), sheet.generated]])
    sign = [[f.t(key), "", f.t("sign.date"), ""]
            for key in ("sign.prepared", "sign.reviewed", "sign.issued")]
    table(doc, sign[0], sign[1:])
    doc.add_page_break()  # type: ignore[no-untyped-call]  # unannotated in python-docx


def overview(doc: DocumentObject, r: MonthlyReport, f: Formatter) -> None:
    """The written summary (its paragraphs as they are) and the recommendations by app."""
    paragraphs = getattr(r, "summary", ())
    if not paragraphs:
        return
    heading(doc, f.t("sec.overview"), 1)
    for paragraph in paragraphs:
        para(doc, paragraph.text)


def recommendations(doc: DocumentObject, r: MonthlyReport, f: Formatter) -> None:
    if getattr(r, "cover", None) is None:
        return
    heading(doc, f.t("sec.recommendations"), 1)
    items = getattr(r, "recommendations", ())
    if not items:
        para(doc, f.t("empty.recommendations"))
        return
    table(doc, [f.t("col.app"), f.t("col.department"), f.t("col.problems"), f.t("col.actions")],
          ([x.app_name, x.department + (f"\n{x.owner_name}" if x.owner_name else ""),
            "\n".join(x.problems), "\n".join(x.actions)] for x in items))
