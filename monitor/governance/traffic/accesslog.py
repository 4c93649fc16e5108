"""Page views and visitors from nginx/Apache access logs (combined or common format, plain or
gzip, recognised by content rather than name). Synchronous: the importer runs it in a thread.

What counts, per day of the request's own timestamp converted to service.timezone:
- a page view is a request answered with a status below 400, other than HEAD and OPTIONS, for
  a path that is not a static asset (ASSET_EXTENSIONS) nor under a skipped prefix, from a client
  that is not a robot or monitor (ROBOTS, which includes this service's own probes: counting
  them would make every watched app look visited);
- a visitor is a distinct client IP plus User-Agent (default: behind a government network's NAT
  many people share an IP, and the 浙政钉 webview's User-Agent names the device), or a distinct
  IP alone with `visitor_key="ip"`. Only a 64-bit hash of the key is kept, never the IP.

A line that is not in the format is counted and skipped; the first few are kept for the report.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import gzip
import hashlib
import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, Final, Literal
from zoneinfo import ZoneInfo

ASSET_EXTENSIONS: Final = frozenset({
    "js", "mjs", "css", "map", "png", "jpg", "jpeg", "gif", "ico", "svg", "webp", "avif", "bmp",
    "woff", "woff2", "ttf", "otf", "eot", "mp4", "webm", "mp3", "ogg", "wav", "m4a",
})  # fmt: skip
SKIPPED_METHODS: Final = frozenset({"HEAD", "OPTIONS"})
ROBOTS: Final = re.compile(
    r"bot\b|spider|crawl|slurp|appmon|kube-probe|prometheus|blackbox|zabbix|nagios|uptime"
    r"|healthcheck|health-check|elb-healthchecker", re.IGNORECASE)
# ip ident user [time] "request" status size ["referer" "user agent"]; quotes escaped \" or \x22
_LINE: Final = re.compile(
    r'(?P<ip>\S+) \S+ \S+ \[(?P<time>[^\]]+)\] "(?P<request>(?:[^"\\]|\\.)*)" '
    r'(?P<status>\d{3}) \S+(?: "(?:[^"\\]|\\.)*" "(?P<ua>(?:[^"\\]|\\.)*)")?')
_TIME: Final = re.compile(r"(\d{2})/(\w{3})/(\d{4}):(\d{2}):(\d{2}):(\d{2}) ([+-])(\d{2})(\d{2})$")
_MONTHS: Final = {name: i for i, name in enumerate(calendar.month_abbr) if name}
MAX_EXAMPLES: Final = 5
PROGRESS_EVERY_S: Final = 2.0

VisitorKey = Literal["ip-ua", "ip"]


@dataclass(frozen=True)
class Rules:
    visitor_key: VisitorKey = "ip-ua"
    skip_prefixes: tuple[str, ...] = ()  # e.g. ("/api/",) when a page's XHR calls inflate pv


@dataclass(frozen=True, slots=True)
class Progress:
    path: str
    done_bytes: int  # of the file on disk (compressed, for gzip)
    total_bytes: int
    lines: int


@dataclass
class Scan:
    """What one file holds. `continues` is an earlier import this file starts with (a log
    imported while it was still growing): its lines were counted then and are not here."""

    path: str
    sha256: str = ""
    size: int = 0  # decompressed bytes
    lines: int = 0
    bad_lines: int = 0
    examples: list[tuple[int, str]] = field(default_factory=list)  # (line number, why)
    page_views: dict[str, int] = field(default_factory=dict)
    visitors: dict[str, set[int]] = field(default_factory=dict)
    parsed: int = 0
    continues: str | None = None  # sha256 of that earlier import
    continues_lines: int = 0

    @property
    def pv(self) -> int:
        return sum(self.page_views.values())

    @property
    def days(self) -> list[str]:
        return sorted(set(self.page_views) | set(self.visitors))

    def restart_after(self, sha256: str) -> None:
        """Forget everything so far: it is the whole of an earlier import."""
        self.continues, self.continues_lines = sha256, self.lines
        self.bad_lines, self.parsed = 0, 0
        self.examples.clear()
        self.page_views.clear()
        self.visitors.clear()


class _Days:
    """Epoch -> day in one zone, remembering the current day's bounds (logs are in order)."""

    def __init__(self, tz: ZoneInfo) -> None:
        self.tz = tz
        self.start = self.end = 0.0
        self.day = ""

    def of(self, ts: float) -> str:
        if not self.start <= ts < self.end:
            date = dt.datetime.fromtimestamp(ts, self.tz).date()
            self.day = date.isoformat()
            first = dt.datetime(date.year, date.month, date.day, tzinfo=self.tz)
            self.start = first.timestamp()
            self.end = (first.replace(tzinfo=None) + dt.timedelta(days=1)).replace(
                tzinfo=self.tz).timestamp()
        return self.day


@functools.lru_cache(maxsize=4096)  # a busy log has many lines per second: parse each once
def parse_time(text: str) -> float:
    """Epoch seconds of `10/Oct/2026:13:55:36 +0800`, independent of the locale."""
    m = _TIME.match(text)
    if m is None or m.group(2) not in _MONTHS:
        raise ValueError(f"bad timestamp [{text}]")
    day, month, year = int(m.group(1)), _MONTHS[m.group(2)], int(m.group(3))
    hour, minute, second = int(m.group(4)), int(m.group(5)), int(m.group(6))
    offset = (int(m.group(8)) * 3600 + int(m.group(9)) * 60) * (1 if m.group(7) == "+" else -1)
    return calendar.timegm((year, month, day, hour, minute, second)) - offset


def page_path(request: str) -> tuple[str, str] | None:
    """(method, path without query) of `GET /a?b HTTP/1.1`; None when there is no request."""
    parts = request.split(" ")
    if len(parts) < 2:
        return None
    target = parts[1]
    if "://" in target:  # absolute form, as proxies log it
        target = "/" + target.split("://", 1)[1].partition("/")[2]
    return parts[0].upper(), target.split("?", 1)[0].split("#", 1)[0]


@functools.lru_cache(maxsize=4096)  # a few hundred User-Agents make up most of any log
def is_robot(ua: str) -> bool:
    return ROBOTS.search(ua) is not None


def is_asset(path: str) -> bool:
    name = path.rsplit("/", 1)[-1]
    return "." in name and name.rsplit(".", 1)[1].lower() in ASSET_EXTENSIONS


def visitor_hash(ip: str, ua: str, key: VisitorKey) -> int:
    text = ip if key == "ip" else f"{ip}\0{ua}"
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "big",
                          signed=True)  # SQLite integers are signed 64-bit


def scan_file(
    path: Path,
    tz: ZoneInfo,
    rules: Rules,
    earlier: Mapping[int, str] | None = None,
    progress: Callable[[Progress], None] | None = None,
) -> Scan:
    """Read one log. `earlier` maps the size of each earlier import of the app to its sha256:
    if this file starts with one of them, counting restarts after it. OSError, EOFError and
    gzip.BadGzipFile propagate (an unreadable or truncated file counts nothing)."""
    scan = Scan(str(path.resolve()))
    total = path.stat().st_size
    digest = hashlib.sha256()
    days = _Days(tz)
    earlier = earlier or {}
    next_report = time.monotonic() + PROGRESS_EVERY_S
    with path.open("rb") as raw:
        stream: BinaryIO = (  # typeshed types GzipFile apart from BinaryIO; it is one
            gzip.GzipFile(fileobj=raw) if raw.read(2) == b"\x1f\x8b" else raw)  # type: ignore[assignment]
        raw.seek(0)
        for line in stream:
            scan.lines += 1
            scan.size += len(line)
            digest.update(line)
            _count_line(scan, line, days, rules)
            known = earlier.get(scan.size)
            if known is not None and digest.hexdigest() == known:
                scan.restart_after(known)
            if progress is not None and scan.lines % 4096 == 0 and time.monotonic() > next_report:
                next_report = time.monotonic() + PROGRESS_EVERY_S
                progress(Progress(str(path), raw.tell(), total, scan.lines))
    scan.sha256 = digest.hexdigest()
    return scan


def _count_line(scan: Scan, line: bytes, days: _Days, rules: Rules) -> None:
    text = line.decode("utf-8", errors="replace").rstrip("\r\n")
    if not text.strip():
        return  # a blank line (a trailing newline pair) is nothing, not an error
    m = _LINE.match(text)
    if m is None:
        _bad(scan, "not in combined or common log format", text)
        return
    try:
        ts = parse_time(m.group("time"))
    except ValueError as exc:
        _bad(scan, str(exc), text)
        return
    scan.parsed += 1
    request = page_path(m.group("request"))
    ua = m.group("ua") or ""
    if request is None or int(m.group("status")) >= 400 or is_robot(ua):
        return
    method, path = request
    if method in SKIPPED_METHODS or is_asset(path) or path.startswith(rules.skip_prefixes):
        return
    day = days.of(ts)
    scan.page_views[day] = scan.page_views.get(day, 0) + 1
    scan.visitors.setdefault(day, set()).add(visitor_hash(m.group("ip"), ua, rules.visitor_key))


def _bad(scan: Scan, why: str, text: str) -> None:
    scan.bad_lines += 1
    if len(scan.examples) < MAX_EXAMPLES:
        scan.examples.append((scan.lines, f"{why}: {_excerpt(text)}"))


def _excerpt(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else f"{text[:limit - 3]}..."
