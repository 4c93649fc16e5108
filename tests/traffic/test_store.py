"""The traffic store's contract: set vs add, ranges, sources summed, and sharing the file."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from monitor.core.errors import StorageError
from monitor.core.sqlite.schema import DB_FILE, LATEST_VERSION
from monitor.governance.traffic.store import CountsUpdate, DayTraffic, TrafficStore
from monitor.ledger import SqliteLedger
from tests.ledger.helpers import FakeClock, make_result
from tests.traffic.helpers import T_NOON


async def test_set_replaces_and_is_idempotent(store: TrafficStore) -> None:
    await store.set_counts("kq-oa", "2026-11-24", "push", 100, 20)
    await store.set_counts("kq-oa", "2026-11-24", "push", 100, 20)
    assert await store.daily("kq-oa", "2026-11-24", "2026-11-24") == [
        DayTraffic("kq-oa", "2026-11-24", 100, 20, ("push",))]
    await store.set_counts("kq-oa", "2026-11-24", "push", 90, 25)  # a correction replaces
    [day] = await store.daily("kq-oa", "2026-11-24", "2026-11-24")
    assert (day.pv, day.uv) == (90, 25)


async def test_add_accumulates_and_starts_from_zero(store: TrafficStore) -> None:
    await store.add_counts("kq-oa", "2026-11-24", "prometheus", 7, 1)
    await store.add_counts("kq-oa", "2026-11-24", "prometheus", 5, 2)
    [day] = await store.daily("kq-oa", "2026-11-24", "2026-11-24")
    assert (day.pv, day.uv, day.sources) == (12, 3, ("prometheus",))
    await store.set_counts("kq-oa", "2026-11-24", "prometheus", 1, 1)  # set after add replaces
    [day] = await store.daily("kq-oa", "2026-11-24", "2026-11-24")
    assert (day.pv, day.uv) == (1, 1)


async def test_sources_are_summed_and_listed_sorted(store: TrafficStore) -> None:
    await store.set_counts("kq-oa", "2026-11-24", "push", 100, 10)
    await store.add_counts("kq-oa", "2026-11-24", "accesslog", 50, 5)
    await store.set_counts("kq-oa", "2026-11-24", "json", 1, 1)
    [day] = await store.daily("kq-oa", "2026-11-24", "2026-11-24")
    assert day == DayTraffic("kq-oa", "2026-11-24", 151, 16, ("accesslog", "json", "push"))


async def test_range_is_inclusive_ordered_and_skips_days_without_data(
        store: TrafficStore) -> None:
    for day, pv in (("2026-11-03", 3), ("2026-11-01", 1), ("2026-11-30", 30),
                    ("2026-12-01", 99), ("2026-10-31", 99)):
        await store.set_counts("kq-oa", day, "push", pv, 1)
    await store.set_counts("kq-jczz", "2026-11-02", "push", 500, 5)  # another app stays apart
    days = await store.daily("kq-oa", "2026-11-01", "2026-11-30")
    assert [(d.day, d.pv) for d in days] == [("2026-11-01", 1), ("2026-11-03", 3),
                                             ("2026-11-30", 30)]
    assert await store.daily("kq-oa", "2026-11-04", "2026-11-29") == []
    assert await store.daily("nobody", "2026-11-01", "2026-11-30") == []
    every = await store.daily_all("2026-11-01", "2026-11-03")
    assert [(d.app_id, d.day) for d in every] == [
        ("kq-jczz", "2026-11-02"), ("kq-oa", "2026-11-01"), ("kq-oa", "2026-11-03")]


async def test_a_day_of_zeros_is_data(store: TrafficStore) -> None:
    """Zero visitors known (zombie evidence) is not the same as no data."""
    await store.set_counts("kq-oa", "2026-11-24", "json", 0, 0)
    assert await store.daily("kq-oa", "2026-11-01", "2026-11-30") == [
        DayTraffic("kq-oa", "2026-11-24", 0, 0, ("json",))]


@pytest.mark.parametrize(("args", "needle"), [
    (("kq-oa", "2026-11-31", "push", 1, 1), "bad day"),
    (("kq-oa", "24/11/2026", "push", 1, 1), "YYYY-MM-DD"),
    (("kq-oa", "2026-11-24", "push", -1, 1), "pv"),
    (("kq-oa", "2026-11-24", "push", 1, True), "uv"),
    (("kq-oa", "2026-11-24", "", 1, 1), "source"),
    (("", "2026-11-24", "push", 1, 1), "app_id"),
])
async def test_bad_writes_are_refused_before_the_file(
        store: TrafficStore, args: tuple[str, str, str, int, int], needle: str) -> None:
    with pytest.raises(ValueError, match=needle):
        await store.set_counts(*args)
    assert await store.daily_all("2000-01-01", "2100-01-01") == []


async def test_bad_range_is_refused(store: TrafficStore) -> None:
    with pytest.raises(ValueError, match="bad day"):
        await store.daily("kq-oa", "2026-11", "2026-11-30")


async def test_record_returns_rows_and_writes_all_or_nothing(store: TrafficStore) -> None:
    rows = await store.record([
        CountsUpdate("kq-oa", "2026-11-24", "prometheus", 5, 0, add_pv=True, add_uv=True),
        CountsUpdate("kq-oa", "2026-11-24", "prometheus", 5, 9, add_pv=True),  # uv set
    ])
    assert [(r.pv, r.uv) for r in rows] == [(5, 0), (10, 9)]


async def test_fresh_data_dir_is_created_and_migrated(tmp_path: Path, clock: FakeClock) -> None:
    data_dir = tmp_path / "new" / "data"
    store = await TrafficStore.open(data_dir, clock=clock)
    try:
        await store.set_counts("kq-oa", "2026-11-24", "push", 1, 1)
    finally:
        await store.close()
    conn = sqlite3.connect(data_dir / DB_FILE)
    try:
        assert conn.execute("SELECT version FROM schema_version").fetchone()[0] == LATEST_VERSION
        assert conn.execute("SELECT pv, uv FROM traffic").fetchall() == [(1, 1)]
    finally:
        conn.close()


async def test_counts_survive_a_reopen(data_dir: Path, clock: FakeClock) -> None:
    first = await TrafficStore.open(data_dir, clock=clock)
    await first.set_counts("kq-oa", "2026-11-24", "push", 42, 7)
    await first.close()
    second = await TrafficStore.open(data_dir, clock=clock)
    try:
        [day] = await second.daily("kq-oa", "2026-11-24", "2026-11-24")
        assert (day.pv, day.uv) == (42, 7)
    finally:
        await second.close()


async def test_shares_the_file_with_the_ledger_writer(data_dir: Path, clock: FakeClock) -> None:
    """Opened side by side on a fresh dir (both migrate), writing at the same time."""
    ledger = await SqliteLedger.open(data_dir, raw_retention_s=86400.0, clock=clock)
    store = await TrafficStore.open(data_dir, clock=clock)
    try:
        for i in range(50):
            ledger.record("kq-oa", "home", "http", make_result(T_NOON + i))
            await store.add_counts("kq-oa", "2026-11-24", "prometheus", 1, 0)
            if i % 10 == 0:
                await ledger.flush()
        await ledger.flush()
        [day] = await store.daily("kq-oa", "2026-11-24", "2026-11-24")
        assert day.pv == 50
        rows = await ledger.raw_results("kq-oa", "home", T_NOON - 1, T_NOON + 100)
        assert len(rows) == 50
    finally:
        await store.close()
        await ledger.close()


async def test_closed_store_refuses(data_dir: Path) -> None:
    store = await TrafficStore.open(data_dir)
    await store.close()
    await store.close()  # twice is fine
    with pytest.raises(StorageError, match="closed"):
        await store.daily("kq-oa", "2026-11-24", "2026-11-24")
