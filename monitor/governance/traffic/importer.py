"""Importing access logs into the traffic store, one file at a time, each counted exactly once.

A file is identified by the sha256 of its decompressed contents, recorded in traffic_imports
with the counts: the same log imported again, plain or gzipped, under any name, is skipped
with a message and counts nothing. Each file is one transaction, so an interrupted import
leaves earlier files counted and the interrupted one not at all; run it again.

Overlapping files:
- a file that begins with the whole of an earlier import (access.log imported at noon, then
  again, grown, or as access.log.1 after rotation) counts only the lines after that part;
- visitors are merged per day across files (their hashes are kept VISITOR_KEEP_DAYS days), so
  a visitor in two files of one day (logrotate at 06:25, two web servers) counts once;
- any other overlap (the same lines in two files that are not prefixes of each other, e.g. a
  hand-made excerpt) is counted twice for page views: import whole rotated files.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import gzip
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final, Literal
from zoneinfo import ZoneInfo

from monitor.core.clock import SYSTEM_CLOCK, Clock
from monitor.core.config.model import Config
from monitor.governance.traffic.accesslog import Progress, Rules, Scan, scan_file
from monitor.governance.traffic.days import day_of, shift
from monitor.governance.traffic.publish import Publisher
from monitor.governance.traffic.store import AlreadyImportedError, ImportRecord, TrafficStore

# Visitor hashes older than this are pruned; a day's uv stays exact for logs that arrive within
# this window (rotated and archived logs usually do), later ones add their visitors to it.
VISITOR_KEEP_DAYS: Final = 62

DEFAULT_RULES: Final = Rules()
Status = Literal["imported", "duplicate", "empty", "failed"]


@dataclass(frozen=True)
class FileResult:
    path: str
    status: Status
    message: str
    scan: Scan | None = None
    earlier: ImportRecord | None = None  # the import a duplicate repeats


class LogImporter:
    def __init__(self, store: TrafficStore, config: Config, *, clock: Clock = SYSTEM_CLOCK,
                 publisher: Publisher | None = None) -> None:
        self._store = store
        self._config = config
        self._clock = clock
        self._publish = publisher or Publisher(store, lambda: config)

    async def import_files(
        self,
        app_id: str,
        paths: Sequence[Path],
        rules: Rules = DEFAULT_RULES,
        progress: Callable[[Progress], None] | None = None,
    ) -> list[FileResult]:
        """Import each file in turn (a later one may continue an earlier one of the list)."""
        return [await self.import_file(app_id, path, rules, progress) for path in paths]

    async def import_file(
        self,
        app_id: str,
        path: Path,
        rules: Rules = DEFAULT_RULES,
        progress: Callable[[Progress], None] | None = None,
    ) -> FileResult:
        tz = ZoneInfo(self._config.service.timezone)
        earlier = {record.sha256: record for record in await self._store.imports_of(app_id)}
        by_size = {record.size: record.sha256 for record in earlier.values()}
        try:
            scan = await asyncio.to_thread(scan_file, path, tz, rules, by_size, progress)
        except (OSError, EOFError, gzip.BadGzipFile) as exc:
            return FileResult(str(path), "failed", f"cannot read: {exc}")
        if scan.sha256 in earlier:
            return _duplicate(scan, earlier[scan.sha256], tz)
        if scan.lines == 0:
            return FileResult(str(path), "empty", "empty file: nothing to import", scan)
        if scan.parsed == 0 and scan.bad_lines > 0 and scan.continues is None:
            return FileResult(str(path), "failed",
                              "no line is in combined or common log format", scan)
        days = scan.days
        now = self._clock.now()
        record = ImportRecord(app_id, scan.sha256, scan.size, scan.path, scan.lines,
                              scan.pv, days[0] if days else None, days[-1] if days else None, now)
        keep_from = shift(day_of(now, tz), -VISITOR_KEEP_DAYS)
        try:
            rows = await self._store.commit_import(record, scan.page_views, scan.visitors,
                                                   keep_from)
        except AlreadyImportedError as exc:  # another import of it finished meanwhile
            return _duplicate(scan, exc.earlier, tz)
        await self._publish.written(rows)
        return FileResult(str(path), "imported", _summary(scan), scan)


def _duplicate(scan: Scan, earlier: ImportRecord, tz: ZoneInfo) -> FileResult:
    when = dt.datetime.fromtimestamp(earlier.imported_at, tz).isoformat(timespec="seconds")
    return FileResult(scan.path, "duplicate",
                      f"already imported: same contents as {earlier.path}, imported {when} "
                      f"(sha256 {earlier.sha256[:12]}); nothing counted again", scan, earlier)


def _summary(scan: Scan) -> str:
    days = scan.days
    span = f"{days[0]}..{days[-1]}" if len(days) > 1 else (days[0] if days else "no days")
    uv = sum(len(v) for v in scan.visitors.values())
    text = (f"{scan.lines} lines, {scan.pv} page views, {uv} visitor-days in this file, "
            f"{span}")
    if scan.continues is not None:
        text += f"; the first {scan.continues_lines} lines were imported before and skipped"
    if scan.bad_lines:
        text += f"; {scan.bad_lines} unparseable lines skipped"
    return text
