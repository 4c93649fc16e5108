"""Reports as Word documents (.docx, python-docx): the same sections, tables and charts as the
HTML/PDF pages, with real Word headings and tables, so a centre can edit and stamp them.

    data = report_docx(report)        # MonthlyReport | IncidentReport -> bytes
"""

from __future__ import annotations

from monitor.reports.docx.incident import incident_docx
from monitor.reports.docx.monthly import monthly_docx
from monitor.reports.incident.model import IncidentReport
from monitor.reports.monthly.model import MonthlyReport

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def report_docx(report: MonthlyReport | IncidentReport) -> bytes:
    if isinstance(report, MonthlyReport):
        return monthly_docx(report)
    return incident_docx(report)


__all__ = ["CONTENT_TYPE", "incident_docx", "monthly_docx", "report_docx"]
