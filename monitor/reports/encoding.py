"""A report as the bytes of one format (html, pdf or json), for the CLI and the console.

    data = encode(report, "pdf")                       # the CLI: PDF drawn in this process
    data = await encode_async(report, "pdf")           # the service: off the event loop
"""

from __future__ import annotations

import asyncio

from monitor.reports.files import json_bytes
from monitor.reports.incident.jsonview import incident_report_json
from monitor.reports.incident.model import IncidentReport
from monitor.reports.monthly.jsonview import to_json
from monitor.reports.monthly.model import MonthlyReport
from monitor.reports.render import (
    render_incident_html,
    render_monthly_html,
    render_pdf,
    render_pdf_isolated,
)

Report = MonthlyReport | IncidentReport


def report_json(report: Report) -> bytes:
    """CONTRACT.md §5 for a month, the analysis JSON for an incident."""
    return json_bytes(to_json(report) if isinstance(report, MonthlyReport)
                      else incident_report_json(report))


def report_html(report: Report) -> str:
    return (render_monthly_html(report) if isinstance(report, MonthlyReport)
            else render_incident_html(report))


def encode(report: Report, fmt: str) -> bytes:
    if fmt == "json":
        return report_json(report)
    html = report_html(report)
    return render_pdf(html) if fmt == "pdf" else html.encode("utf-8")


async def encode_async(report: Report, fmt: str) -> bytes:
    """`encode` for a running service: rendering is CPU work, so off the event loop, and a
    PDF in its own process (render_pdf_isolated)."""
    if fmt == "json":
        return report_json(report)
    html = await asyncio.to_thread(report_html, report)
    return await render_pdf_isolated(html) if fmt == "pdf" else html.encode("utf-8")
