"""The traffic store's SQL: everything here runs on the store's one worker thread, never the loop.

Same discipline as the alert store (alerting/storedb.py): writes are BEGIN IMMEDIATE, so the
busy timeout covers waiting for the ledger writer's batch; reads run in autocommit on a WAL
snapshot. Each method is one transaction, so a crash never leaves counts without the scrape
baseline or import record that says they were counted.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable, Mapping
from pathlib import Path
from typing import Final

from monitor.core.sqlite.threaded import StoreDb, open_store_connection
from monitor.governance.traffic.types import (
    ACCESSLOG,
    AlreadyImportedError,
    CountsUpdate,
    DayTraffic,
    ImportRecord,
    ScrapeState,
    SourceCounts,
)

_UPSERT: Final = """
    INSERT INTO traffic (app_id, day, source, pv, uv, updated_at)
    VALUES (:app_id, :day, :source, :pv, :uv, :at)
    ON CONFLICT (app_id, day, source) DO UPDATE SET
        pv = CASE WHEN :add_pv THEN pv + excluded.pv ELSE excluded.pv END,
        uv = CASE WHEN :add_uv THEN uv + excluded.uv ELSE excluded.uv END,
        updated_at = excluded.updated_at
    RETURNING pv, uv"""
_DAILY: Final = """
    SELECT app_id, day, sum(pv), sum(uv), group_concat(source, ' ') FROM traffic
    WHERE {where} GROUP BY app_id, day ORDER BY app_id, day"""
_IMPORT_COLUMNS: Final = "app_id, sha256, size, path, lines, pv, first_day, last_day, imported_at"


class TrafficDb(StoreDb):
    """The traffic store's SQL, run on its ThreadedDb thread."""

    what = "traffic store"

    @classmethod
    def open(cls, path: Path) -> TrafficDb:
        return cls(open_store_connection(path))

    # --- counts ------------------------------------------------------------------------------

    def record(self, updates: Iterable[CountsUpdate], at: float) -> list[SourceCounts]:
        updates = list(updates)
        with self._transaction():
            return [self._upsert(update, at) for update in updates]

    def _upsert(self, u: CountsUpdate, at: float) -> SourceCounts:
        params = {"app_id": u.app_id, "day": u.day, "source": u.source, "pv": u.pv, "uv": u.uv,
                  "at": at, "add_pv": u.add_pv, "add_uv": u.add_uv}  # fmt: skip
        pv, uv = self._conn.execute(_UPSERT, params).fetchone()
        return SourceCounts(u.app_id, u.day, u.source, int(pv), int(uv))

    def daily(self, app_id: str | None, start_day: str, end_day: str) -> list[DayTraffic]:
        where = "day BETWEEN ? AND ?"
        params: tuple[object, ...] = (start_day, end_day)
        if app_id is not None:
            where, params = f"app_id = ? AND {where}", (app_id, *params)
        rows = self._read(_DAILY.format(where=where), params)
        return [
            DayTraffic(app, day, int(pv), int(uv), tuple(sorted(set(sources.split(" ")))))
            for app, day, pv, uv, sources in rows
        ]

    # --- Prometheus scrapes ------------------------------------------------------------------

    def load_scrape(self, app_id: str) -> ScrapeState | None:
        rows = self._read(
            "SELECT fingerprint, at, series FROM traffic_scrapes WHERE app_id = ?", (app_id,))
        if not rows:
            return None
        fingerprint, at, text = rows[0]
        try:
            series = {key: (float(v), float(seen)) for key, (v, seen) in json.loads(text).items()}
        except (ValueError, TypeError, AttributeError):
            return None  # unreadable: the next scrape is a first scrape again, nothing is lost
        return ScrapeState(fingerprint, float(at), series)

    def save_scrape(
        self, app_id: str, state: ScrapeState, updates: Iterable[CountsUpdate], at: float
    ) -> list[SourceCounts]:
        """The new baseline and the counts it yielded, together (see the module doc)."""
        text = json.dumps({key: list(pair) for key, pair in state.series.items()})
        updates = list(updates)
        with self._transaction():
            self._conn.execute(
                "INSERT OR REPLACE INTO traffic_scrapes VALUES (?, ?, ?, ?)",
                (app_id, state.fingerprint, state.at, text),
            )
            return [self._upsert(update, at) for update in updates]

    # --- access log imports ------------------------------------------------------------------

    def imports_of(self, app_id: str) -> list[ImportRecord]:
        rows = self._read(
            f"SELECT {_IMPORT_COLUMNS} FROM traffic_imports WHERE app_id = ? "  # noqa: S608
            "ORDER BY imported_at", (app_id,))  # fixed column list
        return [ImportRecord(*row) for row in rows]

    def commit_import(
        self,
        record: ImportRecord,
        page_views: Mapping[str, int],
        visitors: Mapping[str, Collection[int]],
        keep_visitors_from: str,
    ) -> list[SourceCounts]:
        """Count one file: add its page views, merge its visitors into the day's set and set
        uv to the set's size, record the file. Refused if the same contents came before."""
        with self._transaction():
            earlier = self._conn.execute(
                f"SELECT {_IMPORT_COLUMNS} FROM traffic_imports "  # noqa: S608 - fixed columns
                "WHERE app_id = ? AND sha256 = ?", (record.app_id, record.sha256)).fetchone()
            if earlier is not None:
                raise AlreadyImportedError(ImportRecord(*earlier))
            app = record.app_id
            self._conn.execute(
                "DELETE FROM traffic_visitors WHERE app_id = ? AND day < ?",
                (app, keep_visitors_from))
            results = []
            for day in sorted(set(page_views) | set(visitors)):
                seen = visitors.get(day, ())
                update = CountsUpdate(app, day, ACCESSLOG, page_views.get(day, 0), 0, add_pv=True)
                counts = self._upsert(update, record.imported_at)
                if day >= keep_visitors_from:
                    uv = self._merge_visitors(app, day, seen)
                else:  # its visitor set is gone: add, accepting that a repeat visitor recounts
                    uv = counts.uv + len(seen)
                results.append(self._upsert(
                    CountsUpdate(app, day, ACCESSLOG, counts.pv, uv), record.imported_at))
            self._conn.execute(
                "INSERT INTO traffic_imports VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (record.app_id, record.sha256, record.size, record.path, record.lines,
                 record.pv, record.first_day, record.last_day, record.imported_at))
        return results

    def _merge_visitors(self, app_id: str, day: str, seen: Collection[int]) -> int:
        """The day's distinct visitors after adding `seen`."""
        # In key order: the inserts then walk the primary key's B-tree once, several times
        # faster for a big day than random order, which shortens the write lock.
        self._conn.executemany("INSERT OR IGNORE INTO traffic_visitors VALUES (?, ?, ?)",
                               [(app_id, day, key) for key in sorted(seen)])
        (count,) = self._conn.execute(
            "SELECT count(*) FROM traffic_visitors WHERE app_id = ? AND day = ?",
            (app_id, day)).fetchone()
        return int(count)

    # --- plumbing ----------------------------------------------------------------------------
