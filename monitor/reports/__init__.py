"""Reports from what the service recorded: the monthly quality report (运维月报) and the
incident analysis report (故障分析报告).

Each is built once into frozen data (`build_monthly`, `build_incident_report`), read from the
ledger's hourly rollups and raw results and the alert store; the JSON and the HTML/PDF pages
are views of that data and do no I/O of their own.
"""

from monitor.reports.incident.build import build_incident_report
from monitor.reports.incident.jsonview import incident_report_json
from monitor.reports.incident.model import IncidentReport
from monitor.reports.monthly.build import AVAILABILITY_TARGET_PCT, build_monthly
from monitor.reports.monthly.jsonview import to_json
from monitor.reports.monthly.model import MonthlyReport
from monitor.reports.period import MonthError

__all__ = [
    "AVAILABILITY_TARGET_PCT",
    "IncidentReport",
    "MonthError",
    "MonthlyReport",
    "build_incident_report",
    "build_monthly",
    "incident_report_json",
    "to_json",
]
