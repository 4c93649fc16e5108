"""Fixtures for the ledger tests: a fake clock and both ledger implementations.

`ledger_kind` is parametrized, so every test that uses `open_ledger` or `ledger` is a contract
test run against MemoryLedger and SqliteLedger alike.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest

from monitor.ledger import MemoryLedger, SqliteLedger, Tuning
from monitor.ledger.buffered import BufferedLedger
from tests.ledger.helpers import WEEK_S, FakeClock

OpenLedger = Callable[..., Awaitable[BufferedLedger]]


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture(params=["memory", "sqlite"])
def ledger_kind(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
async def open_ledger(
    ledger_kind: str, tmp_path: Path, clock: FakeClock
) -> AsyncIterator[OpenLedger]:
    """Opens ledgers of one kind (closed after the test); sqlite reopens the same data_dir.

    Keyword arguments are Tuning fields; the timer's pruning is off unless a test turns it on.
    """
    opened: list[BufferedLedger] = []

    async def open_(raw_retention_s: float = WEEK_S, **tuning: Any) -> BufferedLedger:
        tuning.setdefault("prune_interval_s", None)
        tune = Tuning(**tuning)
        ledger: BufferedLedger
        if ledger_kind == "memory":
            ledger = MemoryLedger(raw_retention_s=raw_retention_s, clock=clock, tuning=tune)
        else:
            ledger = await SqliteLedger.open(
                tmp_path / "data", raw_retention_s=raw_retention_s, clock=clock, tuning=tune
            )
        opened.append(ledger)
        return ledger

    yield open_
    for ledger in opened:
        await ledger.close()


@pytest.fixture
async def ledger(open_ledger: OpenLedger) -> BufferedLedger:
    """A ledger whose timer never fires during a test: flushes happen when the test says."""
    return await open_ledger(flush_interval_s=3600.0)
