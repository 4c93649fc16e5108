"""Schema migrations of the SQLite ledger: fresh files, upgrades with data, refusals."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from monitor.core.sqlite import schema as schema_module
from monitor.core.sqlite.schema import DB_FILE, LATEST_VERSION, Migration, connect, migrate
from monitor.ledger import LatencyHistogram, SqliteLedger, StorageError
from tests.ledger.helpers import make_result
from tests.support.clocks import T0


def tables(path: Path) -> set[str]:
    with sqlite3.connect(path) as conn:
        rows = conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
    return {name for (name,) in rows}


def version_of(path: Path) -> int:
    with sqlite3.connect(path) as conn:
        return int(conn.execute("SELECT version FROM schema_version").fetchone()[0])


async def test_a_new_file_is_created_at_the_latest_version(tmp_path: Path) -> None:
    data_dir = tmp_path / "nested" / "data"
    ledger = await SqliteLedger.open(data_dir, raw_retention_s=86400)
    await ledger.close()

    assert version_of(data_dir / DB_FILE) == LATEST_VERSION
    assert {"checks", "results", "hourly", "check_state"} <= tables(data_dir / DB_FILE)


async def test_upgrade_from_version_1_keeps_the_data(tmp_path: Path) -> None:
    path = tmp_path / DB_FILE
    conn = connect(path)
    assert migrate(conn, target=1) == 1
    histogram = LatencyHistogram({20: 3}).to_bytes()
    conn.execute("INSERT INTO checks (id, app_id, check_id) VALUES (7, 'kq-oa', 'home')")
    conn.execute(
        "INSERT INTO results VALUES (7, ?, 'http', 1, NULL, NULL, 120000, NULL, NULL, NULL, "
        "NULL, 200, NULL, NULL)",
        (int(T0 * 1000),),
    )
    conn.execute("INSERT INTO hourly VALUES (7, ?, 3, 0, 0.36, 0.13, ?)", (int(T0), histogram))
    conn.close()
    assert "check_state" not in tables(path)

    ledger = await SqliteLedger.open(tmp_path, raw_retention_s=86400)
    try:
        assert version_of(path) == LATEST_VERSION
        [stored] = await ledger.raw_results("kq-oa", "home", T0, T0 + 1)
        assert (stored.ok, stored.latency_s, stored.status_code) == (True, 0.12, 200)
        [rollup] = await ledger.hourly("kq-oa", "home", T0, T0 + 3600)
        assert (rollup.runs, rollup.latency_count) == (3, 3)
        ledger.record("kq-oa", "home", "http", make_result(T0 + 60))  # into the same hour
        await ledger.flush()
        [rollup] = await ledger.hourly("kq-oa", "home", T0, T0 + 3600)
        assert rollup.runs == 4
    finally:
        await ledger.close()
    reopened = await SqliteLedger.open(tmp_path, raw_retention_s=86400)
    assert reopened.check_states()[("kq-oa", "home")].runs_total == 1  # state began at v2
    await reopened.close()


async def test_a_file_newer_than_the_program_is_refused(tmp_path: Path) -> None:
    path = tmp_path / DB_FILE
    conn = connect(path)
    migrate(conn)
    conn.execute("UPDATE schema_version SET version = 99")
    conn.close()

    with pytest.raises(StorageError, match="newer than this program"):
        await SqliteLedger.open(tmp_path, raw_retention_s=86400)


def test_a_failing_migration_leaves_the_file_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / DB_FILE
    conn = connect(path)
    migrate(conn)
    broken = Migration(LATEST_VERSION + 1, "broken", ("CREATE TABLE extra (a)", "NOT SQL"))
    monkeypatch.setattr(schema_module, "MIGRATIONS", (*schema_module.MIGRATIONS, broken))
    monkeypatch.setattr(schema_module, "LATEST_VERSION", broken.version)

    with pytest.raises(StorageError, match="migration failed"):
        migrate(conn)
    conn.close()
    assert version_of(path) == LATEST_VERSION
    assert "extra" not in tables(path)


def test_migrations_are_numbered_in_order() -> None:
    versions = [m.version for m in schema_module.MIGRATIONS]
    assert versions == list(range(1, len(versions) + 1))
