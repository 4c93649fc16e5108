"""A SQLite connection object that lives on one worker thread of its own.

The alert store and the traffic store each open the ledger file with their own connection and
do every SQLite call on a dedicated thread, off the event loop: sqlite3 objects must stay on the
thread that made them, and a slow write must never stall the probes.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Generic, Protocol, TypeVar

from monitor.core.constants import ALERT_STORE_BUSY_TIMEOUT_S
from monitor.core.errors import StorageError
from monitor.core.private import private_dir
from monitor.core.sqlite.schema import connect, immediate_transaction, migrate

T = TypeVar("T")


class Closable(Protocol):
    def close(self) -> None: ...


D = TypeVar("D", bound=Closable)


class ThreadedDb(Generic[D]):
    """Build with `await ThreadedDb.open(...)`. `run(work)` runs `work` on the thread."""

    def __init__(self, db: D, pool: ThreadPoolExecutor, what: str) -> None:
        self.db = db
        self._pool = pool
        self._what = what
        self._closed = False

    @classmethod
    async def open(cls, opener: Callable[[], D], what: str) -> ThreadedDb[D]:
        """`opener` runs on the new thread (it connects and migrates); `what` names the store
        in errors and in the thread's name."""
        pool = ThreadPoolExecutor(1, thread_name_prefix=what.replace(" ", "-"))
        try:
            db = await asyncio.get_running_loop().run_in_executor(pool, opener)
        except BaseException:
            pool.shutdown(wait=False)
            raise
        return cls(db, pool, what)

    async def run(self, work: Callable[[], T]) -> T:
        if self._closed:
            raise StorageError(f"{self._what} is closed")
        return await asyncio.get_running_loop().run_in_executor(self._pool, work)

    async def close(self) -> None:
        """Close the connection and the thread; idempotent."""
        if self._closed:
            return
        try:
            await self.run(self.db.close)
        finally:
            self._closed = True
            self._pool.shutdown(wait=True)


def open_store_connection(path: Path) -> sqlite3.Connection:
    """A second connection to the ledger file for a store (alerting, traffic): data_dir made,
    schema migrated (a no-op when another opener got there first), and a busy timeout longer
    than the ledger's own, so a store write waits out a long ledger batch instead of failing."""
    try:
        private_dir(path.parent)
    except OSError as exc:
        raise StorageError(f"cannot create data_dir {path.parent}: {exc}") from exc
    conn = connect(path)
    try:
        conn.execute(f"PRAGMA busy_timeout = {int(ALERT_STORE_BUSY_TIMEOUT_S * 1000):d}")
        migrate(conn)
    except BaseException:
        conn.close()
        raise
    return conn


class StoreDb:
    """Owns one connection to the ledger file. Not thread-safe by design: one thread (the
    ThreadedDb's) calls it. Subclasses name themselves in `what` for error messages."""

    what = "store"

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    def close(self) -> None:
        self._conn.close()

    def _read(self, sql: str, params: tuple[object, ...] = ()) -> list[Any]:
        try:
            return self._conn.execute(sql, params).fetchall()
        except sqlite3.Error as exc:
            raise StorageError(f"{self.what} read failed: {exc}") from exc

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        with immediate_transaction(self._conn, f"{self.what} write"):
            yield
