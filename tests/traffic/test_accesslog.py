"""Access log imports: exact page views and visitors, gzip, day boundaries, counted once."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from monitor.governance.traffic import accesslog
from monitor.governance.traffic.accesslog import Progress, Rules, parse_time, scan_file
from monitor.governance.traffic.importer import LogImporter
from monitor.governance.traffic.store import DayTraffic, TrafficStore
from tests.traffic.conftest import MakeConfig
from tests.traffic.helpers import SHANGHAI

DINGTALK_UA = ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 "
               "AliApp(DingTalk/7.0.10) 浙政钉 TaurusApp/1.0 语言/zh-CN")
DESKTOP_UA = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/120.0 Safari/537.36"
PHONE_UA = "Mozilla/5.0 (Linux; Android 14; HUAWEI Mate 60) \\\"quoted\\\" DingTalk/7.5"


def line(ip: str, when: str, request: str, status: int = 200, ua: str = DESKTOP_UA) -> str:
    return f'{ip} - - [{when}] "{request}" {status} 512 "https://oa.example.org/" "{ua}"\n'


# Shanghai is +08:00: 15:59:59 UTC is the 24th's last second there, 16:00:00 UTC the 25th's first.
LOG = "".join([
    line("10.0.0.1", "24/Nov/2026:09:00:00 +0800", "GET /portal/index HTTP/1.1"),
    line("10.0.0.1", "24/Nov/2026:09:00:01 +0800", "GET /portal/list?page=2 HTTP/1.1"),
    line("10.0.0.1", "24/Nov/2026:09:00:01 +0800", "GET /static/app.js?v=3 HTTP/1.1"),
    line("10.0.0.1", "24/Nov/2026:09:00:01 +0800", "GET /static/logo.PNG HTTP/1.1", 304),
    line("10.0.0.1", "24/Nov/2026:09:00:02 +0800", "GET /fonts/x.woff2 HTTP/1.1"),
    line("10.0.0.2", "24/Nov/2026:10:00:00 +0800", "GET /portal/index HTTP/1.1", ua=DINGTALK_UA),
    line("10.0.0.1", "24/Nov/2026:11:00:00 +0800", "POST /portal/form HTTP/1.1", 302,
         ua=PHONE_UA),  # the same IP (a NAT), another device
    line("10.0.0.3", "24/Nov/2026:11:30:00 +0800", "GET /portal/missing HTTP/1.1", 404),
    line("10.0.0.3", "24/Nov/2026:11:30:01 +0800", "HEAD /portal/index HTTP/1.1"),
    line("10.0.0.3", "24/Nov/2026:11:30:02 +0800", "OPTIONS /portal/api HTTP/1.1", 204),
    line("10.0.0.4", "24/Nov/2026:11:31:00 +0800", "GET /health HTTP/1.1",
         ua="appmon/0.1 (+district app monitor)"),
    line("10.0.0.5", "24/Nov/2026:11:32:00 +0800", "GET /portal/index HTTP/1.1",
         ua="Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"),
    "this is not an access log line\n",
    line("10.0.0.6", "24/Nov/2026:15:59:59 +0000", "GET / HTTP/1.1"),
    line("10.0.0.1", "24/Nov/2026:16:00:00 +0000", "GET /portal/index HTTP/1.1"),
    line("10.0.0.7", "25/Foo/2026:09:00:00 +0800", "GET /portal/index HTTP/1.1"),
    "\n",
])
DAY_24 = DayTraffic("kq-oa", "2026-11-24", 5, 4, ("accesslog",))
DAY_25 = DayTraffic("kq-oa", "2026-11-25", 1, 1, ("accesslog",))


def write(path: Path, text: str, *, gz: bool = False) -> Path:
    data = text.encode()
    path.write_bytes(gzip.compress(data) if gz else data)
    return path


async def days(store: TrafficStore) -> list[DayTraffic]:
    return await store.daily("kq-oa", "2026-11-01", "2026-11-30")


async def test_plain_log_exact_counts(tmp_path: Path, store: TrafficStore,
                                      make_config: MakeConfig) -> None:
    importer = LogImporter(store, make_config())
    result = await importer.import_file("kq-oa", write(tmp_path / "access.log", LOG))
    assert result.status == "imported", result.message
    assert await days(store) == [DAY_24, DAY_25]
    assert result.scan is not None
    assert result.scan.bad_lines == 2
    assert [n for n, _ in result.scan.examples] == [13, 16]
    assert "bad timestamp" in result.scan.examples[1][1]


async def test_gzip_log_counts_the_same_and_is_the_same_file(
        tmp_path: Path, store: TrafficStore, make_config: MakeConfig) -> None:
    importer = LogImporter(store, make_config())
    gz = write(tmp_path / "access.log.2.gz", LOG, gz=True)
    assert (await importer.import_file("kq-oa", gz)).status == "imported"
    assert await days(store) == [DAY_24, DAY_25]
    # The same log uncompressed, under another name: already counted.
    again = await importer.import_file("kq-oa", write(tmp_path / "copy.log", LOG))
    assert again.status == "duplicate"
    assert "access.log.2.gz" in again.message
    assert await days(store) == [DAY_24, DAY_25]


async def test_reimport_is_refused_and_counts_nothing(
        tmp_path: Path, store: TrafficStore, make_config: MakeConfig) -> None:
    importer = LogImporter(store, make_config())
    path = write(tmp_path / "access.log", LOG)
    results = await importer.import_files("kq-oa", [path, path])
    assert [r.status for r in results] == ["imported", "duplicate"]
    assert "already imported" in results[1].message
    assert await days(store) == [DAY_24, DAY_25]
    # Another app may import the same file: it is that app's log too.
    other = await importer.import_file("kq-jczz", path)
    assert other.status == "imported"


async def test_a_grown_log_counts_only_its_new_lines(
        tmp_path: Path, store: TrafficStore, make_config: MakeConfig) -> None:
    importer = LogImporter(store, make_config())
    lines = LOG.splitlines(keepends=True)
    head = write(tmp_path / "access.log", "".join(lines[:7]))
    assert (await importer.import_file("kq-oa", head)).status == "imported"
    grown = await importer.import_file("kq-oa", write(tmp_path / "access.log.1", LOG))
    assert grown.status == "imported"
    assert "first 7 lines were imported before" in grown.message
    assert await days(store) == [DAY_24, DAY_25]  # as if the whole log came once


async def test_visitors_in_two_files_of_one_day_count_once(
        tmp_path: Path, store: TrafficStore, make_config: MakeConfig) -> None:
    """logrotate at 06:25 (or two web servers): one day in two files, the same visitors."""
    importer = LogImporter(store, make_config())
    before = line("10.0.0.1", "24/Nov/2026:06:00:00 +0800", "GET /a HTTP/1.1") + line(
        "10.0.0.2", "24/Nov/2026:06:10:00 +0800", "GET /a HTTP/1.1")
    after = line("10.0.0.1", "24/Nov/2026:07:00:00 +0800", "GET /b HTTP/1.1") + line(
        "10.0.0.9", "24/Nov/2026:08:00:00 +0800", "GET /b HTTP/1.1")
    await importer.import_files("kq-oa", [write(tmp_path / "access.log.1", before),
                                          write(tmp_path / "access.log", after)])
    assert await days(store) == [DayTraffic("kq-oa", "2026-11-24", 4, 3, ("accesslog",))]


async def test_visitor_by_ip_alone_and_skipped_prefixes(
        tmp_path: Path, store: TrafficStore, make_config: MakeConfig) -> None:
    importer = LogImporter(store, make_config())
    extra = line("10.0.0.2", "24/Nov/2026:12:00:00 +0800", "GET /api/list HTTP/1.1")
    rules = Rules(visitor_key="ip", skip_prefixes=("/api/",))
    result = await importer.import_file("kq-oa", write(tmp_path / "a.log", LOG + extra), rules)
    assert result.status == "imported"
    # 10.0.0.1 with two User-Agents is one visitor now; /api/ is not a page view.
    assert (await days(store))[0] == DayTraffic("kq-oa", "2026-11-24", 5, 3, ("accesslog",))


async def test_files_that_are_not_logs(tmp_path: Path, store: TrafficStore,
                                       make_config: MakeConfig) -> None:
    importer = LogImporter(store, make_config())
    not_log = await importer.import_file("kq-oa", write(tmp_path / "x.txt", "hello\nworld\n"))
    assert (not_log.status, not_log.message) == (
        "failed", "no line is in combined or common log format")
    empty = await importer.import_file("kq-oa", write(tmp_path / "empty.log", ""))
    assert empty.status == "empty"
    truncated = tmp_path / "cut.log.gz"
    truncated.write_bytes(gzip.compress(LOG.encode())[:-20])
    cut = await importer.import_file("kq-oa", truncated)
    assert cut.status == "failed"
    assert "cannot read" in cut.message
    assert await days(store) == []


def test_common_format_and_times() -> None:
    assert parse_time("24/Nov/2026:16:00:00 +0000") == parse_time("25/Nov/2026:00:00:00 +0800")
    assert parse_time("01/Jan/2026:00:00:00 -0500") == 1767243600.0
    with pytest.raises(ValueError, match="bad timestamp"):
        parse_time("2026-11-24T10:00:00")


def test_progress_is_reported_for_big_files(tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(accesslog, "PROGRESS_EVERY_S", 0.0)
    body = line("10.0.0.1", "24/Nov/2026:09:00:00 +0800", "GET /p HTTP/1.1") * 10_000
    seen: list[Progress] = []
    scan = scan_file(write(tmp_path / "big.log", body), SHANGHAI, Rules(), None, seen.append)
    assert scan.page_views == {"2026-11-24": 10_000}
    assert [p.lines for p in seen] == [4096, 8192]
    assert all(0 < p.done_bytes <= p.total_bytes for p in seen)
