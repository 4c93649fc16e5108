"""The console's reports page over real HTTP: the list of data_dir/reports, downloads (and
only of report names), an incident's report rendered now, and generating a monthly report
through the signed-in, CSRF-checked form. The view model's pure parts are tested at the end.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import aiohttp
import pytest
from yarl import URL

from monitor.console.pages.reports.view import (
    FileStat,
    ReportName,
    human_size,
    last_month,
    parse_name,
    report_list,
    valid_month,
)
from monitor.reports.files import reports_dir
from tests.api.conftest import TOKEN, SetClock, open_incident
from tests.console.signin_support import (
    Console,
    Reply,
    csrf_of,
    get_text,
    hidden_fields,
    post_form,
    running_console,
    sign_in,
)
from tests.support.clocks import T0

CAUSE = "数据库连接池耗尽"
SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
async def resolved(console: Console) -> str:
    """An incident of kq-oa, opened, resolved through the API: its draft is on disk."""
    incident_id = await open_incident(console.service, console.target, console.clock)
    console.clock.advance(300)
    async with aiohttp.ClientSession() as http, http.post(
        f"{console.base}/api/v1/incidents/{incident_id}/resolve",
        json={"by": "张三", "cause": CAUSE, "note": "已扩容", "force": True},
        headers={"Authorization": f"Bearer {TOKEN}"},
    ) as resp:
        assert resp.status == 200
    await console.service.drafts.drain()
    return incident_id


async def fetch(console: Console, path: str | URL, **kwargs: Any) -> Reply:
    url = path if isinstance(path, URL) else console.base + path
    async with aiohttp.ClientSession() as http, \
            http.get(url, allow_redirects=False, **kwargs) as resp:
        return Reply(resp.status, resp.headers, (await resp.read()).decode("utf-8", "replace"))


def report_files(console: Console) -> set[str]:
    directory = reports_dir(console.data_dir)
    return {p.name for p in directory.iterdir()} if directory.exists() else set()


async def test_the_list_shows_the_incident_draft(console: Console, resolved: str) -> None:
    page = (await fetch(console, "/reports")).text
    incidents = page.split('data-section="incidents"', 1)[1]
    assert f'data-report="incident-{resolved}"' in incidents
    assert "柯桥区协同办公" in incidents  # the app the incident was about, from the store
    for ext in ("html", "json"):
        assert f'href="/reports/files/incident-{resolved}.{ext}"' in incidents
    assert f'href="/reports/incident/{resolved}?format=html"' in incidents
    assert "还没有月报" in page.split('data-section="monthly"', 1)[1]


async def test_the_draft_downloads(console: Console, resolved: str) -> None:
    html = await fetch(console, f"/reports/files/incident-{resolved}.html")
    assert html.status == 200
    assert html.headers["Content-Type"] == "text/html; charset=utf-8"
    assert html.headers["Content-Disposition"] == f'inline; filename="incident-{resolved}.html"'
    assert "sandbox" in html.headers["Content-Security-Policy"]  # never runs as the console
    assert html.headers["X-Content-Type-Options"] == "nosniff"
    assert "故障分析报告" in html.text
    assert CAUSE in html.text

    raw = await fetch(console, f"/reports/files/incident-{resolved}.json")
    assert raw.status == 200
    assert raw.headers["Content-Type"] == "application/json; charset=utf-8"
    assert raw.headers["Content-Disposition"] == \
        f'attachment; filename="incident-{resolved}.json"'
    assert json.loads(raw.text)["basic"]["incident_id"] == resolved
    again = await fetch(console, f"/reports/files/incident-{resolved}.json",
                        headers={"If-None-Match": raw.headers["ETag"]})
    assert again.status == 304  # a file response: unchanged files are not sent twice


async def test_an_incident_report_is_rendered_now(console: Console, resolved: str) -> None:
    await console.service.alerts.add_note(resolved, "李四", "补充：已联系厂商")
    raw = await fetch(console, f"/reports/incident/{resolved}?format=json")
    assert raw.status == 200
    assert raw.headers["Content-Type"] == "application/json; charset=utf-8"
    body = json.loads(raw.text)
    assert body["basic"]["incident_id"] == resolved
    assert body["incident"]["id"] == resolved
    assert "已联系厂商" in raw.text  # newer than the draft on disk
    html = await fetch(console, f"/reports/incident/{resolved}")  # html by default
    assert html.status == 200
    assert html.headers["Content-Type"] == "text/html; charset=utf-8"
    assert resolved in html.text
    assert "已联系厂商" in html.text

    missing = await fetch(console, "/reports/incident/20250101000000-nope-home?format=json")
    assert missing.status == 404
    assert missing.headers["Content-Type"] == "text/html; charset=utf-8"
    assert "没有这个故障" in missing.text
    assert "20250101000000-nope-home" in missing.text
    bad = await fetch(console, f"/reports/incident/{resolved}?format=doc")
    assert bad.status == 400
    assert "格式无效" in bad.text


async def test_only_report_names_are_served(console: Console, resolved: str) -> None:
    secret = "SECRET-must-not-leak"
    directory = reports_dir(console.data_dir)
    (console.data_dir / "secret.json").write_text(secret)
    (directory / "notes.txt").write_text(secret)
    (directory / ".monthly-2025-10.json.x1y2.tmp").write_text(secret)
    (directory / "monthly-2025-09.json").symlink_to(console.data_dir / "secret.json")
    base = URL(console.base)
    for path in (
        base.with_path("/reports/files/../../etc/passwd", encoded=True),
        base.with_path("/reports/files/..%2F..%2Fetc%2Fpasswd", encoded=True),
        base.with_path("/reports/files/..%2Fsecret.json", encoded=True),
        base.with_path("/reports/files/%2E%2E%2Fsecret.json", encoded=True),
        base.with_path("/reports/files/monthly-2025-10.json%0A", encoded=True),
        "/reports/files/notes.txt", "/reports/files/.monthly-2025-10.json.x1y2.tmp",
        "/reports/files/monthly-2025-09.json",  # a symlink out of the directory
        "/reports/files/monthly-2025-08.json",  # the right pattern, but no such file
        "/reports/files/monthly-2025-13.json", "/reports/files/monthly-2025-10.exe",
        f"/reports/files/incident-{resolved}.pdf", "/reports/files/incident-..json",
        "/reports/files/secret.json",
    ):
        reply = await fetch(console, path)
        assert reply.status == 404, path
        assert secret not in reply.text, path
        assert "root:" not in reply.text, path
    page = (await fetch(console, "/reports")).text
    assert "2025-09" not in page
    assert "notes.txt" not in page
    assert ".tmp" not in page


async def test_generating_needs_a_session(console: Console) -> None:
    async with console.client() as http:
        reply = await post_form(http, f"{console.base}/reports/generate",
                                {"month": "2025-10", "format": "json", "_csrf": "x"},
                                headers={"Referer": f"{console.base}/reports"})
    assert reply.status == 303
    assert reply.headers["Location"].startswith("/login?next=")
    assert "reports" in reply.headers["Location"]
    assert not any(name.startswith("monthly-") for name in report_files(console))


async def test_generating_needs_the_csrf_token(console: Console) -> None:
    async with console.client() as http:
        await sign_in(http, console.base)
        good = await csrf_of(http, f"{console.base}/reports")
        for bad in ({}, {"_csrf": good[:-1] + ("A" if good[-1] != "A" else "B")}):
            reply = await post_form(http, f"{console.base}/reports/generate",
                                    {"month": "2025-10", "format": "json", **bad})
            assert reply.status == 403, bad
    assert not any(name.startswith("monthly-") for name in report_files(console))


async def generate(http: aiohttp.ClientSession, console: Console, month: str,
                   fmt: str) -> Reply:
    csrf = await csrf_of(http, f"{console.base}/reports")
    return await post_form(http, f"{console.base}/reports/generate",
                           {"_csrf": csrf, "month": month, "format": fmt})


async def test_the_form_writes_the_monthly_report(console: Console, resolved: str) -> None:
    async with console.client() as http:
        await sign_in(http, console.base)
        page = await get_text(http, f"{console.base}/reports")
        assert 'name="month" value="2025-10"' in page  # last month, by default
        assert 'max="2025-11"' in page
        # This month so far: it holds the incident the fixture opened and resolved.
        reply = await generate(http, console, "2025-11", "json")
        assert (reply.status, reply.headers["Location"]) == \
            (303, "/reports?done=monthly-2025-11.json")
        written = json.loads((reports_dir(console.data_dir) / "monthly-2025-11.json").read_text())
        assert written["month"] == "2025-11"
        assert written["totals"]["incidents"] == 1
        reply = await generate(http, console, "2025-10", "html")
        assert reply.headers["Location"] == "/reports?done=monthly-2025-10.html"
        assert "运维月报" in (reports_dir(console.data_dir) / "monthly-2025-10.html").read_text()

        page = await get_text(http, f"{console.base}/reports?done=monthly-2025-11.json")
    assert 'href="/reports/files/monthly-2025-11.json">monthly-2025-11.json' in page
    monthly = page.split('data-section="monthly"', 1)[1].split("data-section=", 1)[0]
    assert monthly.index('data-report="monthly-2025-11"') < \
        monthly.index('data-report="monthly-2025-10"')  # newest first
    assert 'href="/reports/files/monthly-2025-11.json"' in monthly
    assert 'href="/reports/files/monthly-2025-10.html"' in monthly
    download = await fetch(console, "/reports/files/monthly-2025-11.json")
    assert json.loads(download.text)["month"] == "2025-11"


async def test_the_form_writes_a_pdf(console: Console) -> None:
    async with console.client() as http:
        await sign_in(http, console.base)
        started = time.monotonic()
        reply = await generate(http, console, "2025-10", "pdf")
        seconds = time.monotonic() - started
    assert reply.headers["Location"] == "/reports?done=monthly-2025-10.pdf"
    assert seconds < 20, seconds
    download = await fetch(console, "/reports/files/monthly-2025-10.pdf")
    assert download.headers["Content-Type"] == "application/pdf"
    assert download.headers["Content-Disposition"] == 'inline; filename="monthly-2025-10.pdf"'
    assert (reports_dir(console.data_dir) / "monthly-2025-10.pdf").read_bytes()[:5] == b"%PDF-"


async def test_a_bad_month_or_format_is_said_on_the_page(console: Console) -> None:
    async with console.client() as http:
        await sign_in(http, console.base)
        for month in ("2025-13", "2025-1", "25-10", "", "2025-12", "1999-12", "2025-10/../x"):
            reply = await generate(http, console, month, "json")
            assert reply.status == 400, month
            assert "月份无效" in reply.text, month
            assert hidden_fields(reply.text)["_csrf"]  # the form is there to correct it
        reply = await generate(http, console, "2025-10", "doc")
        assert reply.status == 400
        assert "格式无效" in reply.text
    assert report_files(console) == set()


async def test_the_page_speaks_english_when_configured(tmp_path: Path, clock: SetClock) -> None:
    async with running_console(tmp_path, clock, language="en") as console:
        page = (await fetch(console, "/reports")).text
        missing = await fetch(console, "/reports/files/monthly-2025-10.pdf")
    assert "<h1>Reports</h1>" in page
    assert "No monthly report yet." in page
    assert "Sign in to generate a report" in page
    assert "No such report: monthly-2025-10.pdf" in missing.text


# --- the view model --------------------------------------------------------------------------

def test_only_agreed_names_are_reports() -> None:
    assert parse_name("monthly-2026-11.pdf") == ReportName("monthly", "2026-11", "pdf")
    assert parse_name("incident-20251124160100-kq-oa-home.json") == \
        ReportName("incident", "20251124160100-kq-oa-home", "json")
    assert parse_name("incident-am_a.b-c.html") == ReportName("incident", "am_a.b-c", "html")
    for name in ("monthly-2026-00.pdf", "monthly-2026-11.txt", "monthly-2026-11.pdf.tmp",
                 ".monthly-2026-11.pdf.abc.tmp", "incident-x.pdf", "incident-.json",
                 "incident-..json", "incident-a/b.json", "../monthly-2026-11.pdf",
                 "monthly-2026-11.pdf/", "incident-x.json\n", "ledger.sqlite3"):
        assert parse_name(name) is None, name


def test_the_list_is_grouped_and_newest_first() -> None:
    files = [
        FileStat("monthly-2025-09.pdf", 90_000, T0 - 86400 * 50),
        FileStat("monthly-2025-10.json", 2_000, T0 - 86400 * 20),
        FileStat("monthly-2025-10.html", 40_000, T0 - 86400 * 20),
        FileStat("monthly-2025-09.html", 500, T0 - 86400 * 55),
        FileStat("incident-a.html", 5_000, T0 - 100),
        FileStat("incident-a.json", 1_000, T0 - 90),
        FileStat("incident-b.json", 1_000, T0),
        FileStat("stray.txt", 1, T0),
    ]
    view = report_list(files, SHANGHAI, app_names={"a": "柯桥区协同办公"})
    assert [row.key for row in view.monthly] == ["2025-10", "2025-09"]
    assert [link.ext for link in view.monthly[1].links] == ["html", "pdf"]
    assert view.monthly[0].links[0].href == "/reports/files/monthly-2025-10.html"
    assert view.monthly[0].links[0].size == "39.1 KB"
    assert [row.key for row in view.incidents] == ["b", "a"]
    assert [row.title for row in view.incidents] == ["", "柯桥区协同办公"]
    assert view.incidents[1].written == "2025-11-24 23:58"  # the newer file of the two
    assert view.incidents_total == 2


def test_months_and_sizes() -> None:
    assert last_month(T0, SHANGHAI) == "2025-10"
    assert last_month(1_767_196_800.0, SHANGHAI) == "2025-12"  # 2026-01-01 00:00 +08:00
    assert last_month(1_767_196_799.0, SHANGHAI) == "2025-11"  # a second earlier
    assert valid_month("2025-11", T0, SHANGHAI)  # under way
    assert not valid_month("2025-12", T0, SHANGHAI)
    assert not valid_month("1999-12", T0, SHANGHAI)
    assert not valid_month("2025-10\n", T0, SHANGHAI)
    assert (human_size(512), human_size(2048), human_size(3 * 1024 * 1024)) == \
        ("512 B", "2.0 KB", "3.0 MB")


def test_the_quarterly_watch_report_is_listed_with_the_monthly_ones() -> None:
    listed = report_list([FileStat("quarterly-2026Q4.pdf", 1000, 1_764_000_000.0),
                          FileStat("monthly-2026-11.pdf", 1000, 1_764_000_000.0),
                          FileStat("quarterly-2026Q5.pdf", 1000, 1_764_000_000.0)],
                         ZoneInfo("Asia/Shanghai"))
    assert sorted(row.key for row in listed.monthly) == ["2026-11", "2026Q4"]
