"""The monthly report on schedule: on the 1st at 00:10 (service.timezone), last month's report
is written to data_dir/reports/monthly-YYYY-MM.{html,pdf,json} and mailed with the PDF.

    job = MonthlyReportJob(config, ledger, store, data_dir,
                           recipients=("leader@example.org",), email_spec=spec)
    task = asyncio.create_task(job.run_forever())      # in the service
    await job.run_once(now)                            # tests, or a manual run

Ten minutes after midnight leaves the last hour's results time to reach the rollups. A
service that was down at that moment catches up when it starts, within CATCH_UP_S; a failed
mail is retried a few times from the files already written.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path
from typing import Any, Final
from zoneinfo import ZoneInfo

import structlog

from alerting.notifiers.email import EmailSpec
from alerting.store import AlertStore
from monitor.core.clock import SYSTEM_CLOCK, Clock
from monitor.core.config.model import Config
from monitor.ledger.types import Ledger
from monitor.reports.files import json_bytes, monthly_path, write_atomic
from monitor.reports.monthly.build import build_monthly
from monitor.reports.monthly.inventorychanges import ListingSource
from monitor.reports.monthly.jsonview import to_json
from monitor.reports.monthly.mail import monthly_message
from monitor.reports.monthly.traffic import TrafficSource
from monitor.reports.render import render_monthly_html, render_monthly_mail, render_pdf_isolated
from monitor.reports.reportjob import MAIL_RETRY_S, ReportJob

log = structlog.get_logger("reports")

RUN_DAY: Final = 1
RUN_TIME: Final = dt.time(0, 10)
# A start-up within this long after a missed run still produces (and mails) that report;
# later it is left to `report monthly` by hand, so a new install does not mail an empty one.
CATCH_UP_S: Final = 3 * 86400.0

PdfRenderer = Callable[[str], Awaitable[bytes]]


def next_run(now: float, timezone: str) -> float:
    """The first run time (1st of a month, 00:10 local) strictly after `now`."""
    tz = ZoneInfo(timezone)
    local = dt.datetime.fromtimestamp(now, tz)
    year, month = local.year, local.month
    while True:
        at = _run_time(year, month, tz)
        if at > now:
            return at
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def last_run(now: float, timezone: str) -> float:
    """The latest run time at or before `now`."""
    tz = ZoneInfo(timezone)
    local = dt.datetime.fromtimestamp(now, tz)
    at = _run_time(local.year, local.month, tz)
    if at <= now:
        return at
    year, month = (local.year - 1, 12) if local.month == 1 else (local.year, local.month - 1)
    return _run_time(year, month, tz)


def report_month(run_at: float, timezone: str) -> str:
    """The month a run at `run_at` reports on: the one before the local month it runs in."""
    local = dt.datetime.fromtimestamp(run_at, ZoneInfo(timezone))
    year, month = (local.year - 1, 12) if local.month == 1 else (local.year, local.month - 1)
    return f"{year:04d}-{month:02d}"


def _run_time(year: int, month: int, tz: ZoneInfo) -> float:
    # Where clocks jump over midnight on the 1st (00:00 -> 01:00), 00:10 does not exist; the
    # offset from before the jump applies (fold=0), so the run is at 01:10: ten minutes into
    # the new month all the same.
    return dt.datetime.combine(dt.date(year, month, RUN_DAY), RUN_TIME, tzinfo=tz).timestamp()


@dataclass(frozen=True)
class MonthlyRun:
    month: str
    paths: tuple[Path, ...]  # html, pdf, json
    recipients: tuple[str, ...]  # () when no mail was to be sent
    mail_error: str | None  # None: sent (or nothing to send)
    message: EmailMessage | None  # kept for a retry


class MonthlyReportJob(ReportJob[MonthlyRun]):
    kind = "monthly"

    def __init__(
        self,
        config: Config,
        ledger: Ledger,
        store: AlertStore,
        data_dir: Path | str,
        *,
        recipients: Sequence[str] = (),
        email_spec: EmailSpec | None = None,
        clock: Clock = SYSTEM_CLOCK,
        render_pdf: PdfRenderer = render_pdf_isolated,
        mail_retry_s: float = MAIL_RETRY_S,
        listing: ListingSource | None = None,
        traffic: TrafficSource | None = None,
    ) -> None:
        super().__init__(clock=clock, email_spec=email_spec, mail_retry_s=mail_retry_s)
        self.config = config
        self._listing = listing
        self._traffic = traffic
        self._ledger = ledger
        self._store = store
        self._data_dir = Path(data_dir)
        # No recipients of its own: the notifier's `to`.
        self._recipients = tuple(recipients) or (email_spec.to if email_spec else ())
        self._render_pdf = render_pdf

    def apply_config(self, config: Config) -> None:
        """After a reload: later runs use the new apps, SLA, zone and language."""
        self.config = config

    @property
    def timezone(self) -> str:
        return self.config.service.timezone

    def next_run(self, now: float) -> float:
        return next_run(now, self.timezone)

    async def run_once(self, now: float, *, mail_empty: bool = True) -> MonthlyRun:
        """Build, write and mail the report of the month before the local month of `now`.
        `mail_empty=False` writes but does not mail a month without a single probe run."""
        month = report_month(now, self.timezone)
        report = await build_monthly(self.config, self._ledger, self._store, month, now,
                                     listing=self._listing, traffic=self._traffic)
        html = await asyncio.to_thread(render_monthly_html, report)
        pdf = await self._render_pdf(html)
        paths = tuple(monthly_path(self._data_dir, month, ext) for ext in ("html", "pdf", "json"))
        contents = (html.encode("utf-8"), pdf, json_bytes(to_json(report)))
        for path, data in zip(paths, contents, strict=True):
            await asyncio.to_thread(write_atomic, path, data)
        log.info("monthly_report_written", month=month, path=str(paths[1]))
        empty = report.totals.usage.probes == 0 and not report.incidents
        if self._spec is None or not self._recipients or (empty and not mail_empty):
            return MonthlyRun(month, paths, (), None, None)
        summary = await asyncio.to_thread(render_monthly_mail, report)
        message = monthly_message(report, pdf=pdf, html_summary=summary, spec=self._spec,
                                  recipients=self._recipients, now=now)
        run = MonthlyRun(month, paths, self._recipients, None, message)
        return await self.send(run)

    def missed(self, now: float) -> bool:
        """Whether the last scheduled run is recent and its report was never written."""
        last = last_run(now, self.timezone)
        month = report_month(last, self.timezone)
        written = monthly_path(self._data_dir, month, "pdf").exists()
        return not written and now - last <= CATCH_UP_S

    async def _run(self, now: float, *, catch_up: bool) -> MonthlyRun:
        # A fresh install has no data for last month: write it, but mail no empty report.
        return await self.run_once(now, mail_empty=not catch_up)

    def _fields(self, run: MonthlyRun | None, now: float) -> dict[str, Any]:
        return {"month": run.month if run else report_month(now, self.timezone)}
