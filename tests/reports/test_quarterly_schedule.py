"""The quarterly watch report on schedule: a month before the notice, on the 1st of the quarter's
last month at 00:20 local time, written to data_dir/reports and mailed with the PDF attached
(a real aiosmtpd server), driven by a fake clock."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from alerting.store import AlertStore
from monitor.config import load_config
from monitor.core.config.model import Config
from monitor.governance.listing.store import ListingStore
from monitor.governance.traffic.store import TrafficStore
from monitor.ledger import SqliteLedger, Tuning
from monitor.reports import reportjob
from monitor.reports.quarterly.schedule import (
    QuarterlyReportJob,
    last_run,
    next_run,
    report_quarter,
)
from tests.inventory.synthetic import local
from tests.reports.test_quarterly import Quarter, write_quarter
from tests.reports.test_render_pdf import text_of
from tests.reports.test_schedule import attachments, spec_for, threaded_pdf
from tests.support.clocks import ManualClock
from tests.support.receivers import SmtpReceiver

ENDS = ((3, 31), (6, 30), (9, 30), (12, 31))
RUN_AT = local(12, 1, 0, 20)  # the run for 2026Q4
RECIPIENTS = ("leader@example.org",)


def at(zone: str, *fields: int) -> float:
    return dt.datetime(*fields, tzinfo=ZoneInfo(zone)).timestamp()  # type: ignore[misc]


@pytest.mark.parametrize(("zone", "now", "expected"), [
    ("Asia/Shanghai", (2026, 11, 24, 10), (2026, 12, 1, 0, 20)),
    ("Asia/Shanghai", (2026, 12, 1, 0, 19), (2026, 12, 1, 0, 20)),
    ("Asia/Shanghai", (2026, 12, 1, 0, 20), (2027, 3, 1, 0, 20)),  # strictly after
    ("Asia/Shanghai", (2026, 10, 1, 0, 0), (2026, 12, 1, 0, 20)),  # not on the monthly days
    ("Asia/Shanghai", (2027, 3, 1, 0, 30), (2027, 6, 1, 0, 20)),
    ("UTC", (2026, 11, 30, 23, 0), (2026, 12, 1, 0, 20)),  # local time of the zone
])
def test_next_run_on_the_1st_of_a_quarters_last_month(
        zone: str, now: tuple[int, ...], expected: tuple[int, ...]) -> None:
    assert next_run(at(zone, *now), zone, ENDS) == at(zone, *expected)


def test_run_days_follow_the_configured_quarter_ends() -> None:
    zone = "Asia/Shanghai"
    halves = ((6, 30), (12, 31))  # two notices a year
    assert next_run(at(zone, 2026, 7, 1), zone, halves) == at(zone, 2026, 12, 1, 0, 20)
    assert last_run(at(zone, 2026, 11, 30), zone, halves) == at(zone, 2026, 6, 1, 0, 20)
    assert report_quarter(RUN_AT, zone, ENDS).code == "2026Q4"
    assert report_quarter(at(zone, 2027, 3, 1, 0, 20), zone, ENDS).code == "2027Q1"
    assert last_run(RUN_AT, zone, ENDS) == RUN_AT
    assert last_run(RUN_AT - 1, zone, ENDS) == local(9, 1, 0, 20)


@dataclass(frozen=True)
class Sources:
    config: Config
    ledger: SqliteLedger
    alerts: AlertStore
    traffic: TrafficStore
    listing: ListingStore


@pytest.fixture(scope="module")
def quarter(tmp_path_factory: pytest.TempPathFactory) -> Quarter:
    return write_quarter(tmp_path_factory.mktemp("quarterly-schedule"))


@pytest.fixture
async def sources(quarter: Quarter) -> AsyncIterator[Sources]:
    data_dir = quarter.data_dir
    ledger = await SqliteLedger.open(data_dir, raw_retention_s=365 * 86400.0,
                                     tuning=Tuning(prune_interval_s=None))
    alerts = await AlertStore.open(data_dir)
    traffic = await TrafficStore.open(data_dir)
    listing = await ListingStore.open(data_dir)
    yield Sources(load_config(quarter.config_path), ledger, alerts, traffic, listing)
    for store in (listing, traffic, alerts, ledger):
        await store.close()


def job_of(s: Sources, out: Path, **kwargs: Any) -> QuarterlyReportJob:
    kwargs.setdefault("render_pdf", threaded_pdf)  # the isolated default: the monthly's test
    return QuarterlyReportJob(s.config, s.ledger, out, alerts=s.alerts, traffic=s.traffic,
                              listing=s.listing, **kwargs)


class RunningClock(ManualClock):
    """A fake wall clock that moves a minute each time it is read: the job's sleep-until loop
    reaches the run time in a few dozen reads instead of an hour."""

    def now(self) -> float:
        self.wall += 60.0
        return self.wall


@pytest.fixture
def short_sleeps(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(reportjob, "MAX_SLEEP_S", 0.001)


async def test_the_schedule_fires_on_the_right_day(
        sources: Sources, tmp_path: Path, short_sleeps: None) -> None:
    clock = RunningClock(local(11, 30, 23, 0))  # the evening before
    drawn_at: list[float] = []

    async def pdf(html: str) -> bytes:
        drawn_at.append(clock.wall)
        return await threaded_pdf(html)

    async with SmtpReceiver() as server:
        job = job_of(sources, tmp_path, clock=clock, recipients=RECIPIENTS,
                     email_spec=spec_for(server), render_pdf=pdf)
        assert not job.missed(clock.wall)  # September's run is long past: nothing to catch up
        task = asyncio.create_task(job.run_forever())
        try:
            for _ in range(1200):
                if server.messages:
                    break
                await asyncio.sleep(0.05)
        finally:
            task.cancel()
            with pytest.raises(asyncio.CancelledError):
                await task
    assert len(drawn_at) == 1
    assert drawn_at[0] >= RUN_AT  # not a minute before 12-01 00:20
    reports = tmp_path / "reports"
    assert sorted(p.name for p in reports.iterdir()) == [
        "quarterly-2026Q4.html", "quarterly-2026Q4.json", "quarterly-2026Q4.pdf"]
    body = json.loads((reports / "quarterly-2026Q4.json").read_text(encoding="utf-8"))
    assert body["generated_at"] == "2026-12-01T00:20:00+08:00"  # made at the run time
    assert (body["today"], body["days_left"]) == ("2026-12-01", 30)
    assert body["months"] == ["2026-09", "2026-10", "2026-11"]  # the quarter's months so far
    [mail] = server.messages
    assert mail.rcpt_tos == RECIPIENTS
    assert mail.message["Subject"] == "季度通报预警 2026年第四季度"
    assert mail.message["Message-ID"] == "<appmon.quarterly-2026Q4@example.org>"
    [attached] = attachments(mail.message)
    assert attached.get_filename() == "quarterly-2026Q4.pdf"
    pdf_bytes = (reports / "quarterly-2026Q4.pdf").read_bytes()
    assert attached.get_content() == pdf_bytes
    assert "季度通报预警" in "".join(text_of(pdf_bytes, tmp_path, "scheduled").split())
    text = mail.message.get_body(preferencelist=("plain",)).get_content()  # type: ignore[union-attr]
    assert "距今还有 30 天" in text


async def test_a_missed_run_is_caught_up_within_three_days(
        sources: Sources, tmp_path: Path) -> None:
    job = job_of(sources, tmp_path, clock=ManualClock(RUN_AT + 3600))
    assert job.missed(RUN_AT + 3600)
    assert not job.missed(RUN_AT + 4 * 86400)  # too late: left to `report quarterly`
    run = await job.run_once(RUN_AT + 3600)
    assert (run.quarter, run.recipients, run.mail_error) == ("2026Q4", (), None)
    assert not job.missed(RUN_AT + 7200)  # written now


async def test_a_failed_mail_is_sent_again(sources: Sources, tmp_path: Path) -> None:
    down = job_of(sources, tmp_path, recipients=RECIPIENTS, email_spec=spec_for(None))
    run = await down.run_once(RUN_AT)
    assert run.mail_error is not None
    async with SmtpReceiver() as server:
        up = job_of(sources, tmp_path, recipients=RECIPIENTS, email_spec=spec_for(server))
        again = await up.send(run)
    assert again.mail_error is None
    assert len(server.messages) == 1


async def test_the_service_builds_the_job_with_its_stores(quarter: Quarter) -> None:
    """The composition root hands the job its ledger, alert, traffic and listing stores: the
    report it writes has the listing's items (so the listing store was passed)."""
    from monitor.service import Service  # noqa: PLC0415 - the composition root, this test only

    config = load_config(quarter.config_path)
    service = Service(config, clock=ManualClock(RUN_AT), background=False, serve_http=False)
    await service.start()
    try:
        assert service.quarterly.next_run(RUN_AT - 60) == RUN_AT
        run = await service.quarterly.run_once(RUN_AT)
    finally:
        await service.stop()
    assert run.paths[0] == quarter.data_dir / "reports" / "quarterly-2026Q4.html"
    body = json.loads(run.paths[2].read_text(encoding="utf-8"))
    [down] = [r for r in body["classes"]["zombie"] if r["app_id"] == "zombie-down"]
    assert (down["item"]["id"], down["item"]["state"]) == ("ZG-20261015-zombie-down", "overdue")
    assert run.paths[1].read_bytes().startswith(b"%PDF")  # drawn in its own process
