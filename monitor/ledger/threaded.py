"""A SQLite connection object that lives on one worker thread of its own.

The alert store and the traffic store each open the ledger file with their own connection and
do every SQLite call on a dedicated thread, off the event loop: sqlite3 objects must stay on the
thread that made them, and a slow write must never stall the probes.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Generic, Protocol, TypeVar

from monitor.ledger.types import StorageError

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
