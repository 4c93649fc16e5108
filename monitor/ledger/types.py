"""What the ledger stores and answers, and the interface every implementation keeps.

Two implementations share one contract (tests/ledger/test_contract.py): `SqliteLedger` (the
service, a file in data_dir) and `MemoryLedger` (the one-shot `check` command and tests).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from monitor.ledger.histogram import LatencyHistogram
from probes.base import ProbeResult

CheckKey = tuple[str, str]
"""(app_id, check_id): how callers name a check."""


@dataclass(frozen=True, slots=True)
class CheckState:
    """The current state of one check, kept in memory and persisted with each batch.

    `last_change_at` is when up/down last flipped (the first run counts as a flip from unknown).
    `cert_days_left` keeps the last value a run saw, so a run that never reached the TLS
    handshake (refused, timeout) does not hide an expiring certificate.
    """

    app_id: str
    check_id: str
    kind: str
    last_ok: bool | None
    last_run_at: float | None
    last_latency_s: float | None
    last_error_kind: str | None
    last_message: str
    last_status_code: int | None
    cert_days_left: float | None
    consecutive_failures: int
    consecutive_passes: int
    last_change_at: float | None
    runs_total: int
    failures_total: int
    last_unknown: bool = False  # the last run was `unknown`; the rest describes the last known


@dataclass(frozen=True, slots=True)
class HourRollup:
    """Counts of one check over one UTC hour [hour_start, hour_start + 3600).

    Latency fields cover the runs that measured the app's answer: passing runs and runs that
    failed only for being slow (ErrorKind.SLOW). Other failures are left out because their
    duration measures the failure (a refused connect is instant, a timeout is the timeout), not
    the app. `histogram.count` is the number of those runs, so the mean is
    latency_sum_s / latency_count.
    """

    app_id: str
    check_id: str
    hour_start: int
    runs: int
    failures: int
    latency_sum_s: float
    latency_max_s: float
    histogram: LatencyHistogram
    unknown: int = 0  # runs the monitor could not judge; not in `runs` (no data)

    @property
    def latency_count(self) -> int:
        return self.histogram.count

    @property
    def mean_latency_s(self) -> float | None:
        count = self.latency_count
        return self.latency_sum_s / count if count else None


@dataclass(frozen=True, slots=True)
class StoredResult:
    """One raw result as stored: `ts` has millisecond resolution, timings microsecond."""

    ts: float
    app_id: str
    check_id: str
    kind: str
    ok: bool
    error_kind: str | None
    message: str
    latency_s: float
    dns_s: float | None
    connect_s: float | None
    tls_s: float | None
    first_byte_s: float | None
    status_code: int | None
    cert_days_left: float | None
    step: str | None
    unknown: bool = False


@dataclass(frozen=True, slots=True)
class LedgerStats:
    """Counters for /metrics and the console.

    `last_flush_seconds` is how long the last batch took to write; `writer_cpu_seconds` is the
    CPU the writer spent on batches (thread time), for a cost per result.
    """

    pending: int
    written_total: int
    dropped_total: int
    batches_total: int
    last_flush_seconds: float
    db_bytes: int
    write_errors_total: int = 0
    last_flush_at: float | None = None
    writer_cpu_seconds: float = 0.0


class Ledger(Protocol):
    """Where results go and where reports, the console and the API read them.

    Reads (`hourly`, `raw_results`) see what has been flushed; `check_states` sees every
    recorded result at once.
    """

    def record(self, app_id: str, check_id: str, kind: str, result: ProbeResult) -> None:
        """Called on the event loop; never blocks, O(1): updates the state, appends to a buffer."""

    async def flush(self) -> None:
        """Return when everything recorded so far is durably written."""

    async def close(self) -> None:
        """Flush and close; idempotent. Results recorded afterwards are dropped and counted."""

    def check_states(self) -> dict[CheckKey, CheckState]:
        """The current state per (app_id, check_id), without I/O (a copy)."""

    def check_state(self, app_id: str, check_id: str) -> CheckState | None:
        """One check's current state, O(1), without I/O (the per-result path uses this)."""

    async def hourly(
        self, app_id: str, check_id: str, start: float, end: float
    ) -> list[HourRollup]:
        """Rollups with start <= hour_start < end, oldest first."""

    async def raw_results(
        self,
        app_id: str,
        check_id: str,
        start: float,
        end: float,
        limit: int = 1000,
        *,
        newest_first: bool = False,
    ) -> list[StoredResult]:
        """Raw results with start <= ts < end, oldest first (or newest first), at most `limit`."""

    async def forget(self, keys: set[CheckKey]) -> None:
        """Checks removed from the config: drop their current state; their history stays."""

    async def prune(self, now: float) -> int:
        """Delete raw results older than the retention; return how many. Rollups stay."""

    def stats(self) -> LedgerStats:
        """Counters, without I/O."""
