"""The service's ledger: one SQLite file in data_dir, written off the event loop.

    ledger = await SqliteLedger.open(data_dir, raw_retention_s=7 * 86400)
    ledger.record(app_id, check_id, kind, result)   # on the loop, O(1)
    ...
    await ledger.close()                            # flushes

`open` is an async classmethod: it creates data_dir, migrates the schema and loads the checks'
current state on the writer thread, and must run on the loop that will call `record`. Writes
go through one dedicated writer thread (batches, prune, forget stay in order); reads use a
second thread with its own connection (WAL), so neither waits for the other.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TypeVar

import structlog

from monitor.core.clock import SYSTEM_CLOCK, Clock
from monitor.core.errors import StorageError
from monitor.core.private import private_dir
from monitor.core.sqlite.schema import DB_FILE, LATEST_VERSION
from monitor.ledger.buffered import DEFAULT_TUNING, BufferedLedger, Pending, Tuning
from monitor.ledger.reader import SqliteReader
from monitor.ledger.types import CheckKey, CheckState, HourRollup, StoredResult
from monitor.ledger.writer import SqliteWriter

log = structlog.get_logger("ledger")
T = TypeVar("T")


class SqliteLedger(BufferedLedger):
    """Build with `await SqliteLedger.open(...)`, not the constructor."""

    def __init__(
        self,
        path: Path,
        writer: SqliteWriter,
        reader: SqliteReader,
        pools: tuple[ThreadPoolExecutor, ThreadPoolExecutor],
        *,
        raw_retention_s: float,
        clock: Clock,
        tuning: Tuning,
    ) -> None:
        super().__init__(raw_retention_s=raw_retention_s, clock=clock, tuning=tuning)
        self.path = path
        self._writer = writer
        self._reader = reader
        self._write_pool, self._read_pool = pools
        self._storage_closed = False

    @classmethod
    async def open(
        cls,
        data_dir: Path,
        *,
        raw_retention_s: float,
        clock: Clock = SYSTEM_CLOCK,
        tuning: Tuning = DEFAULT_TUNING,
    ) -> SqliteLedger:
        path = Path(data_dir) / DB_FILE
        write_pool = ThreadPoolExecutor(1, thread_name_prefix="ledger-writer")
        read_pool = ThreadPoolExecutor(1, thread_name_prefix="ledger-reader")
        loop = asyncio.get_running_loop()
        try:
            writer = await loop.run_in_executor(write_pool, _open_writer, path)
            states = await loop.run_in_executor(write_pool, writer.load_states)
            reader = await loop.run_in_executor(read_pool, SqliteReader, path)
        except BaseException:
            write_pool.shutdown(wait=False)
            read_pool.shutdown(wait=False)
            raise
        ledger = cls(
            path, writer, reader, (write_pool, read_pool),
            raw_retention_s=raw_retention_s, clock=clock, tuning=tuning,
        )  # fmt: skip
        ledger._states.update(states)
        log.info("ledger_opened", path=str(path), schema_version=LATEST_VERSION, checks=len(states))
        return ledger

    # --- storage hooks (writer thread) -------------------------------------------------------

    async def _write(self, batch: list[Pending], states: dict[CheckKey, CheckState]) -> None:
        await self._on(self._write_pool, lambda: self._writer.write_batch(batch, states))

    async def _delete_before(self, cutoff: float) -> int:
        return await self._on(self._write_pool, lambda: self._writer.prune(cutoff))

    async def _drop_states(self, keys: set[CheckKey]) -> None:
        await self._on(self._write_pool, lambda: self._writer.forget(keys))

    async def _close_storage(self) -> None:
        if self._storage_closed:
            return
        try:
            await self._on(self._write_pool, self._writer.close)
            await self._on(self._read_pool, self._reader.close)
        finally:
            self._storage_closed = True
            self._write_pool.shutdown(wait=True)
            self._read_pool.shutdown(wait=True)

    def _storage_stats(self) -> tuple[int, float]:
        return self._writer.db_bytes, self._writer.cpu_seconds

    # --- reads (reader thread) ---------------------------------------------------------------

    async def hourly(
        self, app_id: str, check_id: str, start: float, end: float
    ) -> list[HourRollup]:
        return await self._on(
            self._read_pool, lambda: self._reader.hourly(app_id, check_id, start, end)
        )

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
        return await self._on(
            self._read_pool,
            lambda: self._reader.raw_results(
                app_id, check_id, start, end, limit, newest_first=newest_first
            ),
        )

    async def _on(self, pool: ThreadPoolExecutor, work: Callable[[], T]) -> T:
        if self._storage_closed:
            raise StorageError("ledger is closed")
        return await asyncio.get_running_loop().run_in_executor(pool, work)


def _open_writer(path: Path) -> SqliteWriter:
    try:
        private_dir(path.parent)
    except OSError as exc:
        raise StorageError(f"cannot create data_dir {path.parent}: {exc}") from exc
    return SqliteWriter.open(path)
