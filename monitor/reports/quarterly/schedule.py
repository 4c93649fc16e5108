"""The quarterly watch report on schedule: a month before the province's notice, on the 1st of
each quarter's last month at 00:20 (service.timezone), that quarter's report is written to
data_dir/reports/quarterly-2026Q4.{html,pdf,json} and mailed with the PDF attached, through
reports.email_via like the monthly report (monitor.reports.monthly.schedule, mirrored here).

    job = QuarterlyReportJob(config, ledger, data_dir, alerts=alerts, traffic=traffic,
                             listing=listing, recipients=(...), email_spec=spec, clock=clock)
    task = asyncio.create_task(job.run_forever())      # in the service
    await job.run_once(now)                            # tests, or a manual run

00:20, ten minutes after the monthly report: the month's last hour is in the rollups, and the
two PDF layouts do not compete for the CPU. A service down at that moment catches up when it
starts, within CATCH_UP_S; a failed mail is retried from the files already written.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import email.policy
import email.utils
from collections.abc import Sequence
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path
from typing import Any, Final
from zoneinfo import ZoneInfo

import structlog

from alerting.notifiers.email import EmailSpec
from monitor.core.clock import SYSTEM_CLOCK, Clock
from monitor.core.config.model import Config
from monitor.core.config.monthdays import parse_month_days
from monitor.governance.inventory.audit import MaintenanceSource, TrafficSource
from monitor.ledger.types import Ledger
from monitor.reports.files import json_bytes, reports_dir, write_atomic
from monitor.reports.monthly.schedule import CATCH_UP_S, PdfRenderer
from monitor.reports.quarterly.build import ListingSource, build_quarterly, word
from monitor.reports.quarterly.jsonview import to_json
from monitor.reports.quarterly.model import QuarterlyReport
from monitor.reports.quarterly.period import Quarter, quarter_containing
from monitor.reports.quarterly.view import quarterly_context, render_quarterly_html
from monitor.reports.render import render_pdf_isolated
from monitor.reports.reportjob import MAIL_RETRY_S, ReportJob

log = structlog.get_logger("reports")

RUN_DAY: Final = 1
RUN_TIME: Final = dt.time(0, 20)

Ends = Sequence[tuple[int, int]]


def quarterly_path(data_dir: Path | str, quarter: str, extension: str) -> Path:
    return reports_dir(data_dir) / f"quarterly-{quarter}.{extension}"


def _run_time(year: int, month: int, tz: ZoneInfo) -> float:
    return dt.datetime.combine(dt.date(year, month, RUN_DAY), RUN_TIME, tzinfo=tz).timestamp()


def _runs(years: Sequence[int], ends: Ends, tz: ZoneInfo) -> list[float]:
    return sorted(_run_time(year, month, tz) for year in years for month, _ in ends)


def next_run(now: float, timezone: str, ends: Ends) -> float:
    """The first run time (1st of a quarter's last month, 00:20 local) strictly after `now`."""
    tz = ZoneInfo(timezone)
    year = dt.datetime.fromtimestamp(now, tz).year
    return next(at for at in _runs((year, year + 1), ends, tz) if at > now)


def last_run(now: float, timezone: str, ends: Ends) -> float:
    """The latest run time at or before `now`."""
    tz = ZoneInfo(timezone)
    year = dt.datetime.fromtimestamp(now, tz).year
    return [at for at in _runs((year - 1, year), ends, tz) if at <= now][-1]


def report_quarter(run_at: float, timezone: str, ends: Ends) -> Quarter:
    """The quarter a run at `run_at` reports on: the one its local day falls in."""
    return quarter_containing(dt.datetime.fromtimestamp(run_at, ZoneInfo(timezone)).date(), ends)


def plain_summary(report: QuarterlyReport) -> str:
    """The mail body: the report's summary paragraphs, then where the rest is."""
    context = quarterly_context(report)
    lines = [report.cover.title, "", *context["summary"], ""]
    lines += [f"{c['name']}: {c['total']}" for c in context["counts"]]
    lines += ["", word(report.language, "mail.attached")]
    return "\n".join(lines) + "\n"


def quarterly_message(report: QuarterlyReport, *, pdf: bytes, spec: EmailSpec,
                      recipients: Sequence[str], now: float) -> EmailMessage:
    code = report.quarter.code
    msg = EmailMessage(policy=email.policy.SMTP)
    msg["Subject"] = word(report.language, "mail.subject", quarter=report.cover.quarter_name)
    msg["From"] = spec.sender
    msg["To"] = ", ".join(recipients)
    msg["Date"] = email.utils.format_datetime(
        dt.datetime.fromtimestamp(now, ZoneInfo(report.timezone)))
    domain = email.utils.parseaddr(spec.sender)[1].rpartition("@")[2] or "appmon.invalid"
    msg["Message-ID"] = f"<appmon.quarterly-{code}@{domain}>"  # a resend: the same report
    msg["X-Monitor-Report"] = f"quarterly-{code}"
    msg.set_content(plain_summary(report), subtype="plain", charset="utf-8")
    msg.add_attachment(pdf, maintype="application", subtype="pdf",
                       filename=f"quarterly-{code}.pdf")
    return msg


@dataclass(frozen=True)
class QuarterlyRun:
    quarter: str
    paths: tuple[Path, ...]  # html, pdf, json
    recipients: tuple[str, ...]  # () when no mail was to be sent
    mail_error: str | None  # None: sent (or nothing to send)
    message: EmailMessage | None  # kept for a retry


class QuarterlyReportJob(ReportJob[QuarterlyRun]):
    kind = "quarterly"

    def __init__(
        self, config: Config, ledger: Ledger, data_dir: Path | str, *,
        alerts: MaintenanceSource | None = None, traffic: TrafficSource | None = None,
        listing: ListingSource | None = None, recipients: Sequence[str] = (),
        email_spec: EmailSpec | None = None,
        clock: Clock = SYSTEM_CLOCK, render_pdf: PdfRenderer = render_pdf_isolated,
        mail_retry_s: float = MAIL_RETRY_S,
    ) -> None:
        super().__init__(clock=clock, email_spec=email_spec, mail_retry_s=mail_retry_s)
        self.config = config
        self._sources = (ledger, alerts, traffic, listing)
        self._data_dir = Path(data_dir)
        self._recipients = tuple(recipients) or (email_spec.to if email_spec else ())
        self._render_pdf = render_pdf

    def apply_config(self, config: Config) -> None:
        """After a reload: later runs use the new apps, quarter ends, zone and language."""
        self.config = config

    @property
    def _zone(self) -> str:
        return self.config.service.timezone

    @property
    def _ends(self) -> Ends:
        return parse_month_days(self.config.governance.quarter_ends)

    def next_run(self, now: float) -> float:
        return next_run(now, self._zone, self._ends)

    async def run_once(self, now: float) -> QuarterlyRun:
        """Build, write and mail the report of the quarter `now` falls in."""
        quarter = report_quarter(now, self._zone, self._ends)
        ledger, alerts, traffic, listing = self._sources
        report = await build_quarterly(self.config, ledger, quarter, now=now, alerts=alerts,
                                       traffic=traffic, listing=listing)
        html = await asyncio.to_thread(render_quarterly_html, report)
        pdf = await self._render_pdf(html)
        paths = tuple(quarterly_path(self._data_dir, quarter.code, ext)
                      for ext in ("html", "pdf", "json"))
        for path, data in zip(paths, (html.encode("utf-8"), pdf, json_bytes(to_json(report))),
                              strict=True):
            await asyncio.to_thread(write_atomic, path, data)
        log.info("quarterly_report_written", quarter=quarter.code, path=str(paths[1]),
                 apps_at_risk=report.apps_at_risk)
        if self._spec is None or not self._recipients:
            return QuarterlyRun(quarter.code, paths, (), None, None)
        message = quarterly_message(report, pdf=pdf, spec=self._spec,
                                    recipients=self._recipients, now=now)
        return await self.send(QuarterlyRun(quarter.code, paths, self._recipients, None,
                                            message))

    def missed(self, now: float) -> bool:
        """Whether the last scheduled run is recent and its report was never written."""
        last = last_run(now, self._zone, self._ends)
        code = report_quarter(last, self._zone, self._ends).code
        written = quarterly_path(self._data_dir, code, "pdf").exists()
        return not written and now - last <= CATCH_UP_S

    async def _run(self, now: float, *, catch_up: bool) -> QuarterlyRun:
        return await self.run_once(now)  # a quarter has listed apps to report even if new

    def _fields(self, run: QuarterlyRun | None, now: float) -> dict[str, Any]:
        return {"quarter": run.quarter if run else report_quarter(
            now, self._zone, self._ends).code}
