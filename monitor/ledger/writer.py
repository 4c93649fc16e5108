"""The SQLite writer: everything here runs on the ledger's one writer thread, never the loop.

One transaction per batch: the raw rows, the hourly rollups the batch touched and the states of
its checks. The current hours' rollups are kept in memory as accumulators and written whole
(INSERT OR REPLACE); an hour not in memory is loaded from the file on first touch, so a restart
in the middle of an hour keeps its counts. If a transaction fails, the caches are rebuilt from
the file, which the rollback left as it was, so a retried batch is not counted twice.
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

from monitor.core.sqlite.schema import connect, immediate_transaction, migrate
from monitor.ledger.buffered import Pending
from monitor.ledger.codec import cap_message, error_kind_text, to_ms, to_us
from monitor.ledger.histogram import LatencyHistogram
from monitor.ledger.rollup import HOUR_S, RollupAccumulator, hour_of
from monitor.ledger.types import CheckKey, CheckState
from probes.base import ProbeResult

_INSERT_RESULT = "INSERT INTO results VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
_UPSERT_HOUR = "INSERT OR REPLACE INTO hourly VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
_UPSERT_STATE = (
    "INSERT OR REPLACE INTO check_state VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
_LOAD_STATES = """
    SELECT c.app_id, c.check_id, s.kind, s.last_ok, s.last_run_at, s.last_latency_s,
        s.last_error_kind, s.last_message, s.last_status_code, s.cert_days_left,
        s.consecutive_failures, s.consecutive_passes, s.last_change_at, s.runs_total,
        s.failures_total, s.last_unknown
    FROM check_state s JOIN checks c ON c.id = s.check_ref"""

HourKey = tuple[int, int]  # (check_ref, hour_start)


class SqliteWriter:
    """Owns the write connection. Not thread-safe by design: one thread calls it."""

    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        self._conn = conn
        self._path = path
        self._refs = self._load_refs()
        self._hours: dict[HourKey, RollupAccumulator] = {}
        self._newest_hour = 0
        self.cpu_seconds = 0.0  # thread CPU spent writing batches
        self.db_bytes = self._measure()

    @classmethod
    def open(cls, path: Path) -> SqliteWriter:
        conn = connect(path)
        try:
            migrate(conn)
        except BaseException:
            conn.close()
            raise
        return cls(conn, path)

    def close(self) -> None:
        self._conn.close()

    def load_states(self) -> dict[CheckKey, CheckState]:
        rows = self._conn.execute(_LOAD_STATES)
        return {(row[0], row[1]): _state_from_row(row) for row in rows}

    def write_batch(self, batch: list[Pending], states: dict[CheckKey, CheckState]) -> None:
        started = time.thread_time()
        try:
            with self._transaction():
                self._write(batch, states)
        finally:
            self.cpu_seconds += time.thread_time() - started
        self._evict_old_hours()
        self.db_bytes = self._measure()

    def forget(self, keys: set[CheckKey]) -> None:
        refs = [(self._refs[key],) for key in keys if key in self._refs]
        with self._transaction():
            self._conn.executemany("DELETE FROM check_state WHERE check_ref = ?", refs)

    def prune(self, cutoff: float) -> int:
        """Delete old raw rows, check by check (each an index range), in one transaction.

        One transaction, because rows of all checks share pages: per-check transactions would
        rewrite each old page once per check. Holding the write lock for it costs nothing here
        (batches wait on this thread anyway) and WAL readers are never blocked.
        """
        cutoff_ms = to_ms(cutoff)
        deleted = 0
        with self._transaction():
            for ref in self._refs.values():
                cursor = self._conn.execute(
                    "DELETE FROM results WHERE check_ref = ? AND ts_ms < ?", (ref, cutoff_ms)
                )
                deleted += cursor.rowcount
        self.db_bytes = self._measure()
        return deleted

    # --- inside one batch --------------------------------------------------------------------

    def _write(self, batch: list[Pending], states: dict[CheckKey, CheckState]) -> None:
        rows = []
        touched: dict[HourKey, RollupAccumulator] = {}
        for app_id, check_id, kind, result in batch:
            ref = self._ref(app_id, check_id)
            rows.append(_result_row(ref, kind, result))
            hour_key = (ref, hour_of(result.started_at))
            accumulator = touched.get(hour_key)
            if accumulator is None:
                accumulator = touched[hour_key] = self._accumulator(hour_key)
            accumulator.add(result)
        self._conn.executemany(_INSERT_RESULT, rows)
        self._conn.executemany(_UPSERT_HOUR, [_hour_row(*key, acc) for key, acc in touched.items()])
        self._conn.executemany(
            _UPSERT_STATE, [_state_row(self._ref(*key), state) for key, state in states.items()]
        )

    def _ref(self, app_id: str, check_id: str) -> int:
        """The integer id of a check, created on first sight."""
        ref = self._refs.get((app_id, check_id))
        if ref is None:
            self._conn.execute(
                "INSERT INTO checks (app_id, check_id) VALUES (?, ?) ON CONFLICT DO NOTHING",
                (app_id, check_id),
            )
            row = self._conn.execute(
                "SELECT id FROM checks WHERE app_id = ? AND check_id = ?", (app_id, check_id)
            ).fetchone()
            ref = self._refs[(app_id, check_id)] = int(row[0])
        return ref

    def _accumulator(self, key: HourKey) -> RollupAccumulator:
        accumulator = self._hours.get(key)
        if accumulator is None:
            row = self._conn.execute(
                "SELECT runs, failures, latency_sum_s, latency_max_s, histogram, unknown "
                "FROM hourly "
                "WHERE check_ref = ? AND hour_start = ?",
                key,
            ).fetchone()
            accumulator = RollupAccumulator() if row is None else _accumulator_from_row(row)
            self._hours[key] = accumulator
            self._newest_hour = max(self._newest_hour, key[1])
        return accumulator

    def _evict_old_hours(self) -> None:
        """Keep the newest hour and the one before (late results near the boundary)."""
        oldest_kept = self._newest_hour - HOUR_S
        for key in [key for key in self._hours if key[1] < oldest_kept]:
            del self._hours[key]

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        # ValueError: an unreadable stored histogram.
        with immediate_transaction(self._conn, "ledger write", self._reset_caches, (ValueError,)):
            yield

    def _reset_caches(self) -> None:
        """After a rollback the cached refs and hours may not match the file: reload."""
        self._refs = self._load_refs()
        self._hours.clear()

    def _load_refs(self) -> dict[CheckKey, int]:
        rows = self._conn.execute("SELECT app_id, check_id, id FROM checks")
        return {(app_id, check_id): ref for app_id, check_id, ref in rows}

    def _measure(self) -> int:
        """Bytes on disk: the database plus its write-ahead log."""
        total = 0
        for suffix in ("", "-wal"):
            with suppress(FileNotFoundError):
                total += os.stat(f"{self._path}{suffix}").st_size
        return total


def _result_row(ref: int, kind: str, result: ProbeResult) -> tuple[object, ...]:
    timings = result.timings
    return (
        ref, to_ms(result.started_at), kind, result.ok, error_kind_text(result),
        cap_message(result.message) or None, round(timings.total_s * 1_000_000),
        to_us(timings.dns_s), to_us(timings.connect_s), to_us(timings.tls_s),
        to_us(timings.first_byte_s), result.status_code, result.cert_days_left, result.step,
        result.unknown,
    )  # fmt: skip


def _hour_row(ref: int, hour: int, acc: RollupAccumulator) -> tuple[object, ...]:
    blob = acc.histogram.to_bytes()
    return (ref, hour, acc.runs, acc.failures, acc.latency_sum_s, acc.latency_max_s, blob,
            acc.unknown)


def _accumulator_from_row(row: tuple[int, int, float, float, bytes, int]) -> RollupAccumulator:
    runs, failures, latency_sum_s, latency_max_s, blob, unknown = row
    return RollupAccumulator(
        runs, failures, latency_sum_s, latency_max_s, LatencyHistogram.from_bytes(blob), unknown
    )


def _state_row(ref: int, s: CheckState) -> tuple[object, ...]:
    return (
        ref, s.kind, s.last_ok, s.last_run_at, s.last_latency_s, s.last_error_kind,
        s.last_message, s.last_status_code, s.cert_days_left, s.consecutive_failures,
        s.consecutive_passes, s.last_change_at, s.runs_total, s.failures_total, s.last_unknown,
    )  # fmt: skip


def _state_from_row(row: Any) -> CheckState:
    """A check_state row; its columns are in CheckState's field order."""
    values = list(row)
    values[3] = None if values[3] is None else bool(values[3])  # last_ok is stored as 0/1
    values[-1] = bool(values[-1])  # last_unknown, likewise
    return CheckState(*values)
