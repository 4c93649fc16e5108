"""What only the SQLite ledger promises: restarts, crashes, storage errors, file settings."""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
import sys
import textwrap
from pathlib import Path

import pytest

from monitor.core.sqlite import schema as schema_module
from monitor.core.sqlite.schema import DB_FILE
from monitor.ledger import SqliteLedger, StorageError, Tuning
from tests.ledger.helpers import make_result
from tests.support.clocks import T0

REPO = Path(__file__).resolve().parents[2]
APP, CHECK = "kq-oa", "home"
MANUAL = Tuning(flush_interval_s=3600.0, prune_interval_s=None)


async def open_ledger(data_dir: Path, tuning: Tuning = MANUAL) -> SqliteLedger:
    return await SqliteLedger.open(data_dir, raw_retention_s=86400.0, tuning=tuning)


def file_bytes(path: Path) -> int:
    return path.stat().st_size


async def test_a_restart_keeps_state_history_and_the_current_hour(tmp_path: Path) -> None:
    ledger = await open_ledger(tmp_path)
    ledger.record(APP, CHECK, "http", make_result(T0, ok=False, cert_days_left=12.0))
    ledger.record(APP, CHECK, "http", make_result(T0 + 60, ok=False))
    await ledger.close()
    before = ledger.check_states()

    ledger = await open_ledger(tmp_path)
    assert ledger.check_states() == before
    ledger.record(APP, CHECK, "http", make_result(T0 + 120, ok=True))  # same hour, new process
    await ledger.close()

    ledger = await open_ledger(tmp_path)
    state = ledger.check_states()[(APP, CHECK)]
    assert (state.runs_total, state.failures_total, state.consecutive_passes) == (3, 2, 1)
    assert (state.last_change_at, state.cert_days_left) == (T0 + 120, 12.0)
    [rollup] = await ledger.hourly(APP, CHECK, T0, T0 + 3600)
    assert (rollup.runs, rollup.failures) == (3, 2)
    assert len(await ledger.raw_results(APP, CHECK, T0, T0 + 3600)) == 3
    await ledger.close()


async def test_forget_survives_a_restart(tmp_path: Path) -> None:
    ledger = await open_ledger(tmp_path)
    ledger.record(APP, CHECK, "http", make_result(T0))
    ledger.record(APP, "port", "tcp", make_result(T0))
    await ledger.flush()
    await ledger.forget({(APP, CHECK)})
    await ledger.close()

    ledger = await open_ledger(tmp_path)
    assert set(ledger.check_states()) == {(APP, "port")}
    assert len(await ledger.raw_results(APP, CHECK, T0, T0 + 1)) == 1
    await ledger.close()


async def test_the_file_uses_wal_and_synchronous_normal(tmp_path: Path) -> None:
    ledger = await open_ledger(tmp_path)
    ledger.record(APP, CHECK, "http", make_result(T0))
    await ledger.flush()
    conn = ledger._writer._conn  # the writer's own connection: synchronous is per connection
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA synchronous").fetchone()[0] == 1  # NORMAL
    assert ledger.stats().db_bytes > 0
    wal = Path(f"{ledger.path}-wal")
    assert ledger.stats().db_bytes == file_bytes(ledger.path) + file_bytes(wal)
    await ledger.close()


async def test_a_failed_batch_stays_pending_and_is_written_once_later(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(schema_module, "LEDGER_BUSY_TIMEOUT_S", 0.05)
    ledger = await open_ledger(tmp_path)
    ledger.record(APP, CHECK, "http", make_result(T0))
    await ledger.flush()  # the hour's rollup is now cached in the writer
    blocker = sqlite3.connect(ledger.path, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")  # another process holds the write lock

    ledger.record(APP, CHECK, "http", make_result(T0 + 60, ok=False))
    with pytest.raises(StorageError, match="locked"):
        await ledger.flush()
    stats = ledger.stats()
    assert (stats.pending, stats.written_total, stats.write_errors_total) == (1, 1, 1)

    blocker.execute("ROLLBACK")
    blocker.close()
    await ledger.flush()
    [rollup] = await ledger.hourly(APP, CHECK, T0, T0 + 3600)
    assert (rollup.runs, rollup.failures) == (2, 1)  # counted once, not twice
    assert len(await ledger.raw_results(APP, CHECK, T0, T0 + 3600)) == 2
    await ledger.close()


async def test_reads_after_close_raise_storage_error(tmp_path: Path) -> None:
    ledger = await open_ledger(tmp_path)
    await ledger.close()
    with pytest.raises(StorageError, match="closed"):
        await ledger.hourly(APP, CHECK, T0, T0 + 3600)


async def test_data_dir_that_cannot_be_created_is_a_storage_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    with pytest.raises(StorageError, match="data_dir"):
        await open_ledger(blocker / "data")


CRASHING_SERVICE = textwrap.dedent(
    """
    import asyncio, sys
    from pathlib import Path
    from monitor.ledger import SqliteLedger
    from tests.ledger.helpers import make_result
    from tests.support.clocks import T0

    def record_100(ledger, check_id):
        for i in range(100):
            ledger.record("app", check_id, "http", make_result(T0 + i, ok=i % 7 != 0))

    async def main():
        ledger = await SqliteLedger.open(Path(sys.argv[1]), raw_retention_s=1e9)
        record_100(ledger, "flushed")
        await ledger.flush()
        print("flushed", flush=True)
        record_100(ledger, "timer")
        await asyncio.sleep(2.5)  # the 1 s flush timer writes these on its own
        print("timer", flush=True)
        record_100(ledger, "last-second")
        print("recorded", flush=True)
        await asyncio.sleep(60)

    asyncio.run(main())
    """
)


@pytest.mark.slow
async def test_sigkill_loses_at_most_the_last_unflushed_second(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-c", CRASHING_SERVICE, str(tmp_path),
        cwd=REPO, env=env, stdout=asyncio.subprocess.PIPE,
    )  # fmt: skip
    try:
        assert process.stdout is not None
        markers: list[str] = []
        while not markers or markers[-1] != "recorded":  # the child also logs to stdout
            line = await asyncio.wait_for(process.stdout.readline(), timeout=30)
            assert line, "the child ended early"
            if line.strip().decode() in {"flushed", "timer", "recorded"}:
                markers.append(line.strip().decode())
        assert markers == ["flushed", "timer", "recorded"]
    finally:
        process.send_signal(signal.SIGKILL)
        await asyncio.wait_for(process.wait(), timeout=10)
    assert process.returncode == -signal.SIGKILL

    with sqlite3.connect(tmp_path / DB_FILE) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    ledger = await open_ledger(tmp_path)
    try:
        for check_id in ("flushed", "timer"):
            assert len(await ledger.raw_results("app", check_id, T0, T0 + 100)) == 100
            [rollup] = await ledger.hourly("app", check_id, T0, T0 + 3600)
            assert (rollup.runs, rollup.failures) == (100, 15)
            assert ledger.check_states()[("app", check_id)].runs_total == 100
        # The last second was either written whole by the timer or not at all: one batch is
        # one transaction.
        last = await ledger.raw_results("app", "last-second", T0, T0 + 100)
        assert len(last) in (0, 100)
    finally:
        await ledger.close()


async def test_a_cancelled_flush_neither_loses_nor_doubles_results(tmp_path: Path) -> None:
    ledger = await open_ledger(
        tmp_path, Tuning(batch_size=10, flush_interval_s=3600.0, prune_interval_s=None)
    )
    for i in range(25):
        ledger.record(APP, CHECK, "http", make_result(T0 + i))
    flush = asyncio.create_task(ledger.flush())
    await asyncio.sleep(0)  # the first chunk is now on the writer thread
    flush.cancel()
    with pytest.raises(asyncio.CancelledError):
        await flush

    await ledger.flush()  # the rest, requeued by the cancelled flush (or taken by the timer)
    assert ledger.stats().written_total == 25
    assert len(await ledger.raw_results(APP, CHECK, T0, T0 + 60)) == 25
    [rollup] = await ledger.hourly(APP, CHECK, T0, T0 + 3600)
    assert rollup.runs == 25
    await ledger.close()
