"""Reports as Word documents (.docx, python-docx): the same sections, tables and charts as the
HTML/PDF pages, with real Word headings and tables, so a centre can edit and stamp them.

    data = report_docx(report)                   # MonthlyReport | IncidentReport -> bytes
    data = await report_docx_isolated(report)    # the same, for the running service
"""

from __future__ import annotations

import asyncio
import multiprocessing
from concurrent.futures import ProcessPoolExecutor

from monitor.reports.docx.incident import incident_docx
from monitor.reports.docx.monthly import monthly_docx
from monitor.reports.incident.model import IncidentReport
from monitor.reports.monthly.model import MonthlyReport

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def report_docx(report: MonthlyReport | IncidentReport) -> bytes:
    if isinstance(report, MonthlyReport):
        return monthly_docx(report)
    return incident_docx(report)


async def report_docx_isolated(report: MonthlyReport | IncidentReport) -> bytes:
    """report_docx in a fresh process, for use inside the running service: a thousand-app
    document is seconds of pure-Python CPU that would hold the GIL against the event loop
    (render_pdf_isolated does the same for the PDF, for the same reason)."""
    loop = asyncio.get_running_loop()
    pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"))
    try:
        return await loop.run_in_executor(pool, report_docx, report)
    finally:
        pool.shutdown(wait=False, cancel_futures=True)


__all__ = ["CONTENT_TYPE", "incident_docx", "monthly_docx", "report_docx",
           "report_docx_isolated"]
