"""The reports page's view model: which files in data_dir/reports are reports, grouped and
sorted for the list, and how one is served. Pure: the caller scans the directory.

    files = [FileStat("monthly-2026-10.pdf", 81234, 1793500000.0), ...]
    view = report_list(files, tz, app_names={"2026...-kq-oa-home": "柯桥区协同办公"})
    view.monthly[0].links[0].href   # "/reports/files/monthly-2026-10.html"

Only names of the agreed patterns (monitor.reports.files) are reports: they are the only
names the download route serves, so no other file of data_dir, and no path, ever leaves it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Final, Literal
from zoneinfo import ZoneInfo

from monitor.core.catalog.console_reports import WORDS as CONSOLE_REPORTS_WORDS
from monitor.reports.docx import CONTENT_TYPE as DOCX_CONTENT_TYPE
from monitor.reports.period import MONTH_PATTERN

FORMATS: Final = ("html", "pdf", "json", "docx")
# Matched whole (fullmatch): "$" would also accept a name ending in a line break.
MONTHLY_NAME: Final = re.compile(r"monthly-(\d{4}-(?:0[1-9]|1[0-2]))\.(html|pdf|json|docx)")
# The quarterly watch report (季度通报预警), listed with the monthly ones.
QUARTERLY_NAME: Final = re.compile(r"quarterly-(\d{4}Q[1-4])\.(html|pdf|json)")
# incident_path() keeps [A-Za-z0-9._-] and strips leading dots; drafts are html and json.
INCIDENT_NAME: Final = re.compile(r"incident-([A-Za-z0-9_-][A-Za-z0-9._-]{0,199})\.(html|json)")
# A year of incidents is a few hundred drafts: the page lists the newest, the rest stay on disk.
MAX_INCIDENT_ROWS: Final = 200

Kind = Literal["monthly", "quarterly", "incident"]

CONTENT_TYPES: Final = {
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "json": "application/json; charset=utf-8",
    "docx": DOCX_CONTENT_TYPE,
}
# HTML and PDF open in the browser (reading is the point; the name still comes with a save);
# JSON is data for scripts, so it downloads rather than showing a raw text page; a Word
# document is for Word or WPS.
DISPOSITIONS: Final = {"html": "inline", "pdf": "inline", "json": "attachment",
                       "docx": "attachment"}
# A report page is self-contained (inline CSS and SVG, no script): it may load nothing, and
# `sandbox` gives it an opaque origin, so even a script that got into one could not act as
# the console.
REPORT_CSP: Final = ("default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
                     "sandbox; frame-ancestors 'none'")

WORDS = CONSOLE_REPORTS_WORDS  # the words live in the catalog (monitor/core/catalog)


@dataclass(frozen=True, slots=True)
class FileStat:
    name: str
    size: int  # bytes
    mtime: float  # epoch seconds


@dataclass(frozen=True, slots=True)
class ReportName:
    kind: Kind
    key: str  # the month (YYYY-MM) or the incident id as it appears in the name
    ext: str


@dataclass(frozen=True, slots=True)
class FileLink:
    ext: str
    label: str  # HTML, PDF, JSON
    href: str
    size: str  # "12.3 KB"


@dataclass(frozen=True, slots=True)
class ReportRow:
    key: str
    title: str  # the month, or the incident's app name when known
    written: str  # local time of the newest of its files
    links: tuple[FileLink, ...]
    sort_time: float


@dataclass(frozen=True, slots=True)
class ReportList:
    monthly: tuple[ReportRow, ...]
    incidents: tuple[ReportRow, ...]
    incidents_total: int


def parse_name(name: str) -> ReportName | None:
    """The report a file name is, or None for anything else (temporaries, paths, typos)."""
    if match := MONTHLY_NAME.fullmatch(name):
        return ReportName("monthly", match.group(1), match.group(2))
    if match := QUARTERLY_NAME.fullmatch(name):
        return ReportName("quarterly", match.group(1), match.group(2))
    if match := INCIDENT_NAME.fullmatch(name):
        return ReportName("incident", match.group(1), match.group(2))
    return None


def download_headers(name: str, ext: str) -> dict[str, str]:
    """Headers of a report served from the console (a file or one rendered on request)."""
    headers = {
        "Content-Type": CONTENT_TYPES[ext],
        "Content-Disposition": f'{DISPOSITIONS[ext]}; filename="{name}"',
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "same-origin",
        # Regenerated under the same name: the browser asks again (ETag makes that cheap).
        "Cache-Control": "no-cache",
    }
    if ext == "html":
        headers["Content-Security-Policy"] = REPORT_CSP
    return headers


def report_list(files: Iterable[FileStat], tz: ZoneInfo, *,
                app_names: Mapping[str, str] | None = None) -> ReportList:
    groups: dict[tuple[Kind, str], list[tuple[ReportName, FileStat]]] = {}
    for stat in files:
        parsed = parse_name(stat.name)
        if parsed is not None:
            groups.setdefault((parsed.kind, parsed.key), []).append((parsed, stat))
    monthly: list[ReportRow] = []
    incidents: list[ReportRow] = []
    for (kind, key), members in groups.items():
        title = key if kind != "incident" else (app_names or {}).get(key, "")
        row = _row(key, title, members, tz)
        (incidents if kind == "incident" else monthly).append(row)
    monthly.sort(key=lambda r: r.key, reverse=True)  # newest month first
    incidents.sort(key=lambda r: (r.sort_time, r.key), reverse=True)  # newest written first
    return ReportList(tuple(monthly), tuple(incidents[:MAX_INCIDENT_ROWS]), len(incidents))


def _row(key: str, title: str, members: list[tuple[ReportName, FileStat]],
         tz: ZoneInfo) -> ReportRow:
    members.sort(key=lambda m: FORMATS.index(m[0].ext))
    links = tuple(FileLink(p.ext, p.ext.upper(), f"/reports/files/{s.name}", human_size(s.size))
                  for p, s in members)
    newest = max(s.mtime for _, s in members)
    return ReportRow(key, title, local_time(newest, tz), links, newest)


def human_size(size: int) -> str:
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size / (1024 * 1024):.1f} MB"


def local_time(ts: float, tz: ZoneInfo) -> str:
    return dt.datetime.fromtimestamp(ts, tz).strftime("%Y-%m-%d %H:%M")


def last_month(now: float, tz: ZoneInfo) -> str:
    """The form's default: the month before the local one (the scheduled report's month)."""
    first = dt.datetime.fromtimestamp(now, tz).date().replace(day=1)
    return (first - dt.timedelta(days=1)).strftime("%Y-%m")


def this_month(now: float, tz: ZoneInfo) -> str:
    return dt.datetime.fromtimestamp(now, tz).strftime("%Y-%m")


def valid_month(month: str, now: float, tz: ZoneInfo) -> bool:
    """YYYY-MM from 2000 up to this month (a month under way gives its report so far);
    earlier years are typos, and would only give empty reports."""
    return bool(MONTH_PATTERN.fullmatch(month)) and "2000-01" <= month <= this_month(now, tz)
