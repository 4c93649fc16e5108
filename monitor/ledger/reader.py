"""Reads of the SQLite ledger, on their own connection and thread.

WAL mode lets these run while the writer commits, so a long report query never holds up the
batches (and a batch never holds up the console).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from monitor.core.errors import StorageError
from monitor.core.sqlite.schema import connect
from monitor.ledger.codec import from_ms, from_us, to_ms
from monitor.ledger.histogram import LatencyHistogram
from monitor.ledger.types import HourRollup, StoredResult

_HOURLY = """
    SELECT h.hour_start, h.runs, h.failures, h.latency_sum_s, h.latency_max_s, h.histogram,
        h.unknown
    FROM hourly h JOIN checks c ON c.id = h.check_ref
    WHERE c.app_id = ? AND c.check_id = ? AND h.hour_start >= ? AND h.hour_start < ?
    ORDER BY h.hour_start"""

_RAW = """
    SELECT r.ts_ms, r.kind, r.ok, r.error_kind, r.message, r.latency_us, r.dns_us,
        r.connect_us, r.tls_us, r.first_byte_us, r.status_code, r.cert_days_left, r.step,
        r.unknown
    FROM results r JOIN checks c ON c.id = r.check_ref
    WHERE c.app_id = ? AND c.check_id = ? AND r.ts_ms >= ? AND r.ts_ms < ?
    ORDER BY r.ts_ms {order}, r.rowid {order} LIMIT ?"""
_RAW_OLDEST_FIRST = _RAW.format(order="ASC")
_RAW_NEWEST_FIRST = _RAW.format(order="DESC")


class SqliteReader:
    """Owns a query-only connection. One thread calls it."""

    def __init__(self, path: Path) -> None:
        self._conn = connect(path, readonly=True)

    def close(self) -> None:
        self._conn.close()

    def hourly(self, app_id: str, check_id: str, start: float, end: float) -> list[HourRollup]:
        try:
            rows = self._conn.execute(_HOURLY, (app_id, check_id, start, end)).fetchall()
            return [_rollup(app_id, check_id, row) for row in rows]
        except (sqlite3.Error, ValueError) as exc:
            raise StorageError(f"ledger read failed: {exc}") from exc

    def raw_results(
        self,
        app_id: str,
        check_id: str,
        start: float,
        end: float,
        limit: int,
        *,
        newest_first: bool,
    ) -> list[StoredResult]:
        query = _RAW_NEWEST_FIRST if newest_first else _RAW_OLDEST_FIRST
        params = (app_id, check_id, to_ms(start), to_ms(end), max(limit, 0))
        try:
            rows = self._conn.execute(query, params).fetchall()
        except sqlite3.Error as exc:
            raise StorageError(f"ledger read failed: {exc}") from exc
        return [_stored(app_id, check_id, row) for row in rows]


def _rollup(app_id: str, check_id: str, row: Any) -> HourRollup:
    hour, runs, failures, latency_sum_s, latency_max_s, blob, unknown = row
    histogram = LatencyHistogram.from_bytes(blob)
    return HourRollup(
        app_id, check_id, hour, runs, failures, latency_sum_s, latency_max_s, histogram, unknown
    )


def _stored(app_id: str, check_id: str, row: Any) -> StoredResult:
    """A result row (column types fixed by the schema) as the caller sees it."""
    ts_ms, kind, ok, error_kind, message, latency_us, dns, connect_, tls, first, *rest = row
    status_code, cert_days_left, step, unknown = rest
    return StoredResult(
        ts=from_ms(ts_ms),
        app_id=app_id,
        check_id=check_id,
        kind=kind,
        ok=bool(ok),
        error_kind=error_kind,
        message=message or "",
        latency_s=latency_us / 1_000_000,
        dns_s=from_us(dns),
        connect_s=from_us(connect_),
        tls_s=from_us(tls),
        first_byte_s=from_us(first),
        status_code=status_code,
        cert_days_left=cert_days_left,
        step=step,
        unknown=bool(unknown),
    )
