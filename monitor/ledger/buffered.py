"""What every ledger shares: current state, the bounded buffer, batching and the flush timer.

`record()` runs on the event loop and only updates the check's state and appends to a list.
A background task (started by the first `record()` on a running loop) cuts the list into
batches of at most `batch_size` and hands each to the implementation's `_write` every
`flush_interval_s`, or at once when a full batch is waiting. Beyond `max_pending` waiting
results new ones are dropped and counted, so memory stays bounded if the disk stalls.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
from abc import ABC, abstractmethod
from collections.abc import Awaitable
from dataclasses import dataclass

import structlog

from monitor.core.clock import SYSTEM_CLOCK, Clock
from monitor.core.constants import (
    LEDGER_BATCH_SIZE,
    LEDGER_FLUSH_INTERVAL_S,
    LEDGER_MAX_PENDING,
    LEDGER_PRUNE_INTERVAL_S,
)
from monitor.ledger.state import advance
from monitor.ledger.types import (
    CheckKey,
    CheckState,
    HourRollup,
    LedgerStats,
    StoredResult,
)
from probes.base import ProbeResult

log = structlog.get_logger("ledger")

Pending = tuple[str, str, str, ProbeResult]
"""(app_id, check_id, kind, result) waiting to be written."""


@dataclass(frozen=True, slots=True)
class Tuning:
    """Batching knobs; the defaults are the service's (monitor/constants.py), tests shrink them.

    `prune_interval_s` None turns the timer's own pruning off (callers then call prune()).
    """

    batch_size: int = LEDGER_BATCH_SIZE
    flush_interval_s: float = LEDGER_FLUSH_INTERVAL_S
    max_pending: int = LEDGER_MAX_PENDING
    prune_interval_s: float | None = LEDGER_PRUNE_INTERVAL_S


DEFAULT_TUNING = Tuning()


class BufferedLedger(ABC):
    """The Ledger contract, less the storage: subclasses write batches and answer reads."""

    def __init__(
        self,
        *,
        raw_retention_s: float,
        clock: Clock = SYSTEM_CLOCK,
        tuning: Tuning = DEFAULT_TUNING,
    ) -> None:
        self.raw_retention_s = raw_retention_s
        self._clock = clock
        self._batch_size = tuning.batch_size
        self._flush_interval_s = tuning.flush_interval_s
        self._max_pending = tuning.max_pending
        self._prune_interval_s = tuning.prune_interval_s
        self._states: dict[CheckKey, CheckState] = {}
        self._pending: list[Pending] = []
        self._wake = asyncio.Event()
        self._flush_lock = asyncio.Lock()
        self._task: asyncio.Task[None] | None = None
        self._closed = False
        self._written = self._dropped = self._dropped_logged = self._batches = self._errors = 0
        self._last_flush_s = 0.0
        self._last_flush_at: float | None = None

    # --- what subclasses provide -------------------------------------------------------------

    @abstractmethod
    async def _write(self, batch: list[Pending], states: dict[CheckKey, CheckState]) -> None:
        """Write one batch and the states of its checks, all or nothing; StorageError on failure."""

    @abstractmethod
    async def _delete_before(self, cutoff: float) -> int:
        """Delete raw results with ts < cutoff; return how many."""

    @abstractmethod
    async def hourly(
        self, app_id: str, check_id: str, start: float, end: float
    ) -> list[HourRollup]:
        """See Ledger.hourly."""

    @abstractmethod
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
        """See Ledger.raw_results."""

    @abstractmethod
    async def _drop_states(self, keys: set[CheckKey]) -> None:
        """Delete persisted states of `keys` (in-memory states are already gone)."""

    @abstractmethod
    async def _close_storage(self) -> None:
        """Release files and threads; called once, after the last flush."""

    def _storage_stats(self) -> tuple[int, float]:
        """(db_bytes, writer_cpu_seconds)."""
        return 0, 0.0

    # --- the Ledger contract -----------------------------------------------------------------

    def record(self, app_id: str, check_id: str, kind: str, result: ProbeResult) -> None:
        key = (app_id, check_id)
        self._states[key] = advance(self._states.get(key), app_id, check_id, kind, result)
        if self._closed or len(self._pending) >= self._max_pending:
            self._dropped += 1  # logged by the flush loop, at most once per interval
            return
        self._pending.append((app_id, check_id, kind, result))
        if len(self._pending) >= self._batch_size:
            self._wake.set()
        if self._task is None:
            self._start_timer()

    async def flush(self) -> None:
        async with self._flush_lock:
            # Everything pending now was recorded before this call; later records may ride along.
            while self._pending:
                batch, self._pending = self._pending, []
                await self._write_chunks(batch)

    async def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        self._wake.set()
        if self._task is not None:
            await self._task  # it ends after its current flush; cancelling could lose a batch
        try:
            await self.flush()
        finally:
            self._log_drops()
            await self._close_storage()
            log.info("ledger_closed", written_total=self._written, dropped_total=self._dropped)

    def check_states(self) -> dict[CheckKey, CheckState]:
        return dict(self._states)

    def check_state(self, app_id: str, check_id: str) -> CheckState | None:
        return self._states.get((app_id, check_id))

    async def forget(self, keys: set[CheckKey]) -> None:
        for key in keys:
            self._states.pop(key, None)
        # Under the flush lock: a batch cut earlier may still carry these states; it finishes
        # first, and the delete comes after it.
        async with self._flush_lock:
            await self._drop_states(keys)

    async def prune(self, now: float) -> int:
        deleted = await self._delete_before(now - self.raw_retention_s)
        if deleted:
            log.info("ledger_pruned", rows=deleted, retention_s=self.raw_retention_s)
        return deleted

    def stats(self) -> LedgerStats:
        db_bytes, cpu_s = self._storage_stats()
        return LedgerStats(
            pending=len(self._pending),
            written_total=self._written,
            dropped_total=self._dropped,
            batches_total=self._batches,
            last_flush_seconds=self._last_flush_s,
            db_bytes=db_bytes,
            write_errors_total=self._errors,
            last_flush_at=self._last_flush_at,
            writer_cpu_seconds=cpu_s,
        )

    # --- batching ----------------------------------------------------------------------------

    async def _write_chunks(self, batch: list[Pending]) -> None:
        """Write `batch` in chunks; whatever is not written (error, cancel) goes back in front."""
        written_before = self._written  # only this flush writes: it holds the flush lock
        try:
            for start in range(0, len(batch), self._batch_size):
                await self._write_one(batch[start : start + self._batch_size])
        finally:
            done = self._written - written_before
            if done < len(batch):
                self._requeue(batch[done:])

    async def _write_one(self, chunk: list[Pending]) -> None:
        keys = {(app_id, check_id) for app_id, check_id, _, _ in chunk}
        states = {key: self._states[key] for key in keys if key in self._states}
        started = self._clock.monotonic()
        write = asyncio.ensure_future(self._write(chunk, states))
        try:
            # Shielded: a write that started goes on in its thread even if this task is
            # cancelled; waiting for its outcome keeps the chunk from being lost or doubled.
            await asyncio.shield(write)
        except asyncio.CancelledError:
            await asyncio.wait([write])
            if not write.cancelled() and write.exception() is None:
                self._count_written(chunk, started)
            raise
        except Exception:  # StorageError, or a bug: either way the chunk goes back, counted
            self._errors += 1
            raise
        self._count_written(chunk, started)

    def _count_written(self, chunk: list[Pending], started: float) -> None:
        self._written += len(chunk)
        self._batches += 1
        self._last_flush_s = self._clock.monotonic() - started
        self._last_flush_at = self._clock.now()
        log.debug("ledger_batch_written", results=len(chunk), seconds=self._last_flush_s)

    def _requeue(self, unwritten: list[Pending]) -> None:
        """Put a failed batch back in front, still within max_pending (the excess is dropped)."""
        merged = unwritten + self._pending
        excess = max(0, len(merged) - self._max_pending)
        self._dropped += excess
        self._pending = merged[excess:]  # drop the oldest: the newest say most about now

    def _log_drops(self) -> None:
        if self._dropped > self._dropped_logged:
            log.warning(
                "ledger_dropped",
                dropped=self._dropped - self._dropped_logged,
                dropped_total=self._dropped,
                max_pending=self._max_pending,
            )
            self._dropped_logged = self._dropped

    # --- the timer ---------------------------------------------------------------------------

    def _start_timer(self) -> None:
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return  # recorded outside a loop (a sync script): flush() must be called explicitly
        # A fresh context: the first record() happens inside a probe run whose log context
        # (app, check) must not stick to every batch the timer writes.
        self._task = loop.create_task(self._run(), name="ledger-flush",
                                      context=contextvars.Context())

    async def _run(self) -> None:
        # The first prune comes at the first tick: a service restarted often still prunes.
        next_prune = None if self._prune_interval_s is None else self._clock.monotonic()
        while not self._closed:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), self._flush_interval_s)
            self._wake.clear()
            await self._guarded(self.flush(), "ledger_flush_failed")
            self._log_drops()
            due = next_prune is not None and self._clock.monotonic() >= next_prune
            if due and not self._closed:
                await self._guarded(self.prune(self._clock.now()), "ledger_prune_failed")
                next_prune = self._next_prune()

    def _next_prune(self) -> float | None:
        if self._prune_interval_s is None:
            return None
        return self._clock.monotonic() + self._prune_interval_s

    async def _guarded(self, work: Awaitable[object], event: str) -> None:
        """Await `work`, logging failures: the timer must outlive a bad disk moment."""
        try:
            await work
        except Exception:
            log.exception(event, pending=len(self._pending))
