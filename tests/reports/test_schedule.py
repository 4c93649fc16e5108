"""The monthly report on schedule: when it runs (across month ends and time zones), what it
writes, and the mail with the PDF attached, received by a real aiosmtpd server."""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import json
from email.message import EmailMessage
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from alerting.notifiers.email import EmailSpec
from alerting.store import AlertStore
from monitor.core.config.model import Config
from monitor.ledger import SqliteLedger
from monitor.reports.monthly.schedule import (
    MonthlyReportJob,
    last_run,
    next_run,
    report_month,
)
from monitor.reports.render import render_pdf
from monitor.reports.reportjob import stop_if_cancelled
from tests.ledger.helpers import FakeClock
from tests.reports.synthetic import local
from tests.reports.test_render_pdf import assert_drawn, text_of
from tests.support.http_servers import closed_port
from tests.support.receivers import SmtpReceiver

RECIPIENTS = ("leader@example.org", "ops@example.org")
RUN_AT = local(12, 1, 0, 10)  # the run that reports on 2026-11


def at(zone: str, *fields: int) -> float:
    year, month, day, hour, minute, second = (*fields, 0, 0, 0)[:6]
    return dt.datetime(year, month, day, hour, minute, second, tzinfo=ZoneInfo(zone)).timestamp()


@pytest.mark.parametrize(("zone", "now", "expected"), [
    # Asia/Shanghai: the service's default.
    ("Asia/Shanghai", (2026, 11, 24, 14, 0), (2026, 12, 1, 0, 10)),
    ("Asia/Shanghai", (2026, 12, 1, 0, 9, 59), (2026, 12, 1, 0, 10)),
    ("Asia/Shanghai", (2026, 12, 1, 0, 10), (2027, 1, 1, 0, 10)),  # strictly after
    ("Asia/Shanghai", (2026, 12, 31, 23, 59, 59), (2027, 1, 1, 0, 10)),  # the year turns
    ("Asia/Shanghai", (2028, 2, 29, 12, 0), (2028, 3, 1, 0, 10)),  # leap day
    ("Asia/Shanghai", (2026, 1, 31, 0, 0), (2026, 2, 1, 0, 10)),
    # Other zones: the run is at 00:10 local, whatever the offset.
    ("UTC", (2026, 11, 30, 16, 30), (2026, 12, 1, 0, 10)),
    ("Asia/Kolkata", (2026, 11, 30, 23, 0), (2026, 12, 1, 0, 10)),  # +05:30
    ("Pacific/Chatham", (2026, 11, 30, 23, 0), (2026, 12, 1, 0, 10)),  # +13:45
    ("America/New_York", (2026, 3, 15, 12, 0), (2026, 4, 1, 0, 10)),  # after the DST change
    ("America/New_York", (2026, 10, 31, 23, 0), (2026, 11, 1, 0, 10)),  # DST ends that day
])
def test_next_run(zone: str, now: tuple[int, ...], expected: tuple[int, ...]) -> None:
    when = next_run(at(zone, *now), zone)
    assert when == at(zone, *expected)
    assert dt.datetime.fromtimestamp(when, ZoneInfo(zone)).strftime("%d %H:%M") == "01 00:10"


def test_the_same_instant_in_two_zones() -> None:
    now = at("UTC", 2026, 11, 30, 16, 30)  # already December 1st, 00:30, in Shanghai
    assert next_run(now, "UTC") == at("UTC", 2026, 12, 1, 0, 10)
    assert next_run(now, "Asia/Shanghai") == at("Asia/Shanghai", 2027, 1, 1, 0, 10)
    assert last_run(now, "Asia/Shanghai") == at("Asia/Shanghai", 2026, 12, 1, 0, 10)
    assert report_month(now, "Asia/Shanghai") == "2026-11"
    assert report_month(now, "UTC") == "2026-10"


def test_a_dst_gap_over_the_run_time() -> None:
    # Asunción moved its clocks from 00:00 to 01:00 on 2023-10-01: 00:10 did not exist that
    # night, and the run happens at 01:10, the same ten minutes after the (shifted) midnight.
    when = next_run(at("America/Asuncion", 2023, 9, 20, 12, 0), "America/Asuncion")
    local_time = dt.datetime.fromtimestamp(when, ZoneInfo("America/Asuncion"))
    assert (local_time.month, local_time.day, local_time.hour, local_time.minute) == (10, 1, 1, 10)


def test_report_month_and_last_run() -> None:
    assert report_month(at("Asia/Shanghai", 2027, 1, 1, 0, 10), "Asia/Shanghai") == "2026-12"
    assert report_month(RUN_AT, "Asia/Shanghai") == "2026-11"
    assert last_run(RUN_AT, "Asia/Shanghai") == RUN_AT
    assert last_run(RUN_AT - 1, "Asia/Shanghai") == local(11, 1, 0, 10)


async def threaded_pdf(html: str) -> bytes:
    """The PDF in a thread: the process-isolated default is tested once, below."""
    return await asyncio.to_thread(render_pdf, html)


def spec_for(server: SmtpReceiver | None, port: int | None = None) -> EmailSpec:
    return EmailSpec(host="127.0.0.1", port=server.port if server else port or closed_port(),
                     sender="运维监控 <monitor@example.org>", to=("fallback@example.org",))


def attachments(message: EmailMessage) -> list[EmailMessage]:
    return [part for part in message.iter_attachments() if isinstance(part, EmailMessage)]


def body(message: EmailMessage, subtype: str) -> str:
    part = message.get_body(preferencelist=(subtype,))
    assert isinstance(part, EmailMessage)
    return str(part.get_content())


async def test_run_once_writes_and_mails_the_report(
        config: Config, ledger: SqliteLedger, store: AlertStore, tmp_path: Path) -> None:
    async with SmtpReceiver() as server:
        job = MonthlyReportJob(config, ledger, store, tmp_path, recipients=RECIPIENTS,
                               email_spec=spec_for(server), render_pdf=threaded_pdf)
        run = await job.run_once(RUN_AT)
    assert (run.month, run.mail_error, run.recipients) == ("2026-11", None, RECIPIENTS)
    reports = tmp_path / "reports"
    assert sorted(p.name for p in reports.iterdir()) == [
        "monthly-2026-11.html", "monthly-2026-11.json", "monthly-2026-11.pdf"]
    figures = json.loads((reports / "monthly-2026-11.json").read_text(encoding="utf-8"))
    assert figures["month"] == "2026-11"
    pdf = (reports / "monthly-2026-11.pdf").read_bytes()
    assert_drawn(pdf, tmp_path, "scheduled")
    assert "运维月报" in text_of(pdf, tmp_path, "scheduled")

    [mail] = server.messages
    message = mail.message
    assert mail.mail_from == "monitor@example.org"
    assert mail.rcpt_tos == RECIPIENTS
    assert message["Subject"] == "【运维月报】2026-11 应用运行质量报告"
    assert message["Message-ID"] == "<appmon.monthly-2026-11@example.org>"
    [attached] = attachments(message)
    assert attached.get_content_type() == "application/pdf"
    assert attached.get_filename() == "monthly-2026-11.pdf"
    assert attached.get_content() == pdf  # the very file written
    availability = f"{figures['totals']['availability_pct']:.3f}"
    html, text = body(message, "html"), body(message, "plain")
    assert availability in html
    assert "运维月报" in html
    assert "附件" in html
    assert availability in text
    assert "MTTA" in text


async def test_english_and_the_notifiers_own_recipients(
        config: Config, ledger: SqliteLedger, store: AlertStore, tmp_path: Path) -> None:
    english = dataclasses.replace(config, service=dataclasses.replace(config.service,
                                                                      language="en"))
    async with SmtpReceiver() as server:
        job = MonthlyReportJob(english, ledger, store, tmp_path, email_spec=spec_for(server),
                               render_pdf=threaded_pdf)
        run = await job.run_once(RUN_AT)
    assert run.recipients == ("fallback@example.org",)
    [mail] = server.messages
    assert mail.message["Subject"] == "[Monthly report] App service quality, 2026-11"
    assert "Monthly operations report" in body(mail.message, "html")


async def test_a_failed_mail_keeps_the_files_and_is_sent_again(
        config: Config, ledger: SqliteLedger, store: AlertStore, tmp_path: Path) -> None:
    async with SmtpReceiver() as server:
        down = MonthlyReportJob(config, ledger, store, tmp_path, recipients=RECIPIENTS,
                                email_spec=spec_for(None, closed_port()),
                                render_pdf=threaded_pdf)
        run = await down.run_once(RUN_AT)
        assert run.mail_error is not None
        assert "Connect" in run.mail_error
        assert (tmp_path / "reports" / "monthly-2026-11.pdf").exists()
        up = MonthlyReportJob(config, ledger, store, tmp_path, recipients=RECIPIENTS,
                              email_spec=spec_for(server), render_pdf=threaded_pdf)
        again = await up.send(run)
    assert again.mail_error is None
    [mail] = server.messages
    assert attachments(mail.message)[0].get_filename() == "monthly-2026-11.pdf"


async def test_without_an_email_notifier_only_files_are_written(
        config: Config, ledger: SqliteLedger, store: AlertStore, tmp_path: Path) -> None:
    job = MonthlyReportJob(config, ledger, store, tmp_path, recipients=RECIPIENTS,
                           render_pdf=threaded_pdf)
    run = await job.run_once(RUN_AT)
    assert (run.recipients, run.mail_error, run.message) == ((), None, None)
    assert all(path.exists() for path in run.paths)


async def wait_for_mail(server: SmtpReceiver, timeout_s: float = 60.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout_s
    while loop.time() < deadline:
        if server.messages:
            return
        await asyncio.sleep(0.05)
    pytest.fail("no mail arrived")


async def test_missed_run_is_caught_up_at_start(
        config: Config, ledger: SqliteLedger, store: AlertStore, tmp_path: Path) -> None:
    clock = FakeClock(RUN_AT + 3600)  # the service started an hour after the run time
    async with SmtpReceiver() as server:
        job = MonthlyReportJob(config, ledger, store, tmp_path, recipients=RECIPIENTS,
                               email_spec=spec_for(server), clock=clock,
                               render_pdf=threaded_pdf)
        assert job.missed(clock.now())
        assert not job.missed(RUN_AT + 4 * 86400)  # too late: left to `report monthly`
        task = asyncio.create_task(job.run_forever())
        try:
            await wait_for_mail(server)
        finally:
            task.cancel()
            with pytest.raises(asyncio.CancelledError):
                await task
        assert not job.missed(clock.now())  # written now
    assert job.next_run(clock.now()) == local(12, 1, 0, 10) + 31 * 86400  # 2027-01-01 00:10


async def test_the_pdf_is_drawn_in_a_separate_process(
        config: Config, ledger: SqliteLedger, store: AlertStore, tmp_path: Path) -> None:
    job = MonthlyReportJob(config, ledger, store, tmp_path)  # the service's default renderer
    run = await job.run_once(RUN_AT)
    pdf = run.paths[1].read_bytes()
    assert "运维月报" in text_of(pdf, tmp_path, "isolated")


async def test_a_cancel_lost_inside_a_library_still_stops_the_job() -> None:
    """Python 3.11's asyncio.wait_for (under aiosmtplib) can drop a cancel that races with the
    server's reply; the job checks the task's pending cancel before sleeping again."""
    reached = asyncio.Event()

    async def job() -> None:
        try:
            reached.set()
            await asyncio.sleep(10)
        except asyncio.CancelledError:
            pass  # swallowed, as that wait_for does
        stop_if_cancelled()
        await asyncio.sleep(3600)  # what the job would do next: sleep until next month

    task = asyncio.create_task(job())
    await reached.wait()
    task.cancel()
    async with asyncio.timeout(5):
        with pytest.raises(asyncio.CancelledError):
            await task
