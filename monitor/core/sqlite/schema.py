"""The SQLite file: connection settings and the ordered schema migrations.

`schema_version` holds one row, the version the file is at. `MIGRATIONS` is applied in order,
all pending ones in a single IMMEDIATE transaction (so two processes opening the same file at
once cannot both migrate, and a failed upgrade leaves the file as it was). A file newer than
this code is refused rather than guessed at. New tables (incidents, outbox...) are new entries
at the end of the list; an entry, once released, never changes.

Sizes: raw rows key checks by a small integer (`checks.id`) instead of two strings, keep time
in integer milliseconds and timings in integer microseconds (see codec.py); an index on
(check_ref, ts_ms) serves both range reads and the per-check prune.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from monitor.core.constants import LEDGER_BUSY_TIMEOUT_S, LEDGER_WAL_LIMIT_BYTES
from monitor.core.errors import StorageError
from monitor.core.private import private_file

DB_FILE = "ledger.sqlite3"


@dataclass(frozen=True)
class Migration:
    version: int
    description: str
    statements: tuple[str, ...]
    data: Callable[[sqlite3.Connection], None] | None = None  # runs after the statements


V1_RESULTS_AND_ROLLUPS = Migration(
    1,
    "checks, raw results and hourly rollups",
    (
        """CREATE TABLE checks (
            id INTEGER PRIMARY KEY,
            app_id TEXT NOT NULL,
            check_id TEXT NOT NULL,
            UNIQUE (app_id, check_id))""",
        """CREATE TABLE results (
            check_ref INTEGER NOT NULL REFERENCES checks (id),
            ts_ms INTEGER NOT NULL,
            kind TEXT NOT NULL,
            ok INTEGER NOT NULL,
            error_kind TEXT,
            message TEXT,
            latency_us INTEGER NOT NULL,
            dns_us INTEGER,
            connect_us INTEGER,
            tls_us INTEGER,
            first_byte_us INTEGER,
            status_code INTEGER,
            cert_days_left REAL,
            step TEXT)""",
        "CREATE INDEX results_by_check_ts ON results (check_ref, ts_ms)",
        """CREATE TABLE hourly (
            check_ref INTEGER NOT NULL REFERENCES checks (id),
            hour_start INTEGER NOT NULL,
            runs INTEGER NOT NULL,
            failures INTEGER NOT NULL,
            latency_sum_s REAL NOT NULL,
            latency_max_s REAL NOT NULL,
            histogram BLOB NOT NULL,
            PRIMARY KEY (check_ref, hour_start)) WITHOUT ROWID""",
    ),
)

V2_CHECK_STATE = Migration(
    2,
    "current check state, so a restart keeps counters and last change",
    (
        """CREATE TABLE check_state (
            check_ref INTEGER PRIMARY KEY REFERENCES checks (id),
            kind TEXT NOT NULL,
            last_ok INTEGER,
            last_run_at REAL,
            last_latency_s REAL,
            last_error_kind TEXT,
            last_message TEXT NOT NULL,
            last_status_code INTEGER,
            cert_days_left REAL,
            consecutive_failures INTEGER NOT NULL,
            consecutive_passes INTEGER NOT NULL,
            last_change_at REAL,
            runs_total INTEGER NOT NULL,
            failures_total INTEGER NOT NULL)""",
    ),
)

V3_ALERTING = Migration(
    3,
    "alerting: per-check alert state, incidents, the notification outbox, maintenance log",
    (
        # The engine's memory of each check; JSON so a new CheckAlertState field with a
        # default needs no migration. incident_id is a column to find a check's incident.
        """CREATE TABLE check_alert_state (
            app_id TEXT NOT NULL,
            check_id TEXT NOT NULL,
            incident_id TEXT,
            state TEXT NOT NULL,
            PRIMARY KEY (app_id, check_id)) WITHOUT ROWID""",
        # Queried columns are columns; `body` is the whole incident (timeline included) as
        # JSON, the one source the store reads an incident back from.
        """CREATE TABLE incidents (
            id TEXT PRIMARY KEY,
            app_id TEXT NOT NULL,
            check_id TEXT NOT NULL,
            state TEXT NOT NULL,
            severity TEXT NOT NULL,
            opened_at REAL NOT NULL,
            resolved_at REAL,
            body TEXT NOT NULL)""",
        "CREATE INDEX incidents_by_state ON incidents (state, opened_at)",
        "CREATE INDEX incidents_by_opened ON incidents (opened_at)",
        "CREATE INDEX incidents_by_app ON incidents (app_id, opened_at)",
        "CREATE INDEX incidents_by_resolved ON incidents (resolved_at)",
        # One row per delivery (CONTRACT.md §4: the id is stable, so INSERT OR IGNORE makes
        # enqueuing idempotent). finished_at: when it left `pending`, the key of the prune.
        """CREATE TABLE outbox (
            id TEXT PRIMARY KEY,
            incident_id TEXT NOT NULL,
            event TEXT NOT NULL,
            step TEXT NOT NULL,
            notifier_id TEXT NOT NULL,
            target TEXT NOT NULL,
            payload TEXT NOT NULL,
            recipients TEXT NOT NULL,
            created_at REAL NOT NULL,
            state TEXT NOT NULL DEFAULT 'pending'
                CHECK (state IN ('pending', 'sent', 'expired', 'dropped')),
            attempts INTEGER NOT NULL DEFAULT 0,
            next_attempt_at REAL NOT NULL,
            last_status TEXT,
            last_error TEXT,
            sent_at REAL,
            finished_at REAL)""",
        # Partial indexes: only pending rows are ever looked up by due time or age, and they
        # are few next to the sent history.
        """CREATE INDEX outbox_due ON outbox (notifier_id, next_attempt_at)
            WHERE state = 'pending'""",
        "CREATE INDEX outbox_pending_age ON outbox (created_at) WHERE state = 'pending'",
        "CREATE INDEX outbox_by_incident ON outbox (incident_id)",
        "CREATE INDEX outbox_finished ON outbox (finished_at) WHERE state != 'pending'",
        """CREATE TABLE delivery_attempts (
            delivery_id TEXT NOT NULL,
            at REAL NOT NULL,
            ok INTEGER NOT NULL,
            status TEXT NOT NULL,
            error TEXT NOT NULL)""",
        "CREATE INDEX delivery_attempts_by_delivery ON delivery_attempts (delivery_id, at)",
        # Maintenance windows as they actually happened, for reports (start/end are keywords).
        """CREATE TABLE maintenance_log (
            window_id TEXT NOT NULL,
            scope TEXT NOT NULL,
            starts_at REAL NOT NULL,
            ends_at REAL NOT NULL,
            PRIMARY KEY (window_id, starts_at)) WITHOUT ROWID""",
        "CREATE INDEX maintenance_by_start ON maintenance_log (starts_at)",
    ),
)

V4_TRAFFIC = Migration(
    4,
    "traffic: daily page views and visitors per app and source, access-log imports",
    (
        # One row per app, day (YYYY-MM-DD in service.timezone) and source; readers sum the
        # sources. A source owns its rows, so a push and a pull never overwrite each other.
        """CREATE TABLE traffic (
            app_id TEXT NOT NULL,
            day TEXT NOT NULL,
            source TEXT NOT NULL,
            pv INTEGER NOT NULL CHECK (pv >= 0),
            uv INTEGER NOT NULL CHECK (uv >= 0),
            updated_at REAL NOT NULL,
            PRIMARY KEY (app_id, day, source)) WITHOUT ROWID""",
        # Every imported access log by the sha256 of its (decompressed) contents: the same log
        # imported twice, plain or gzipped, is refused; `size` lets a later file that starts
        # with the whole of an earlier one (a log imported while still growing) skip that part.
        """CREATE TABLE traffic_imports (
            app_id TEXT NOT NULL,
            sha256 TEXT NOT NULL,
            size INTEGER NOT NULL,
            path TEXT NOT NULL,
            lines INTEGER NOT NULL,
            pv INTEGER NOT NULL,
            first_day TEXT,
            last_day TEXT,
            imported_at REAL NOT NULL,
            PRIMARY KEY (app_id, sha256)) WITHOUT ROWID""",
        # Hashed visitor keys (never the IP itself) per app and day, so visitors seen in two
        # files of the same day (logrotate at 06:25, two web servers) count once. Pruned.
        """CREATE TABLE traffic_visitors (
            app_id TEXT NOT NULL,
            day TEXT NOT NULL,
            visitor INTEGER NOT NULL,
            PRIMARY KEY (app_id, day, visitor)) WITHOUT ROWID""",
        # The last scrape of each app's Prometheus counters (JSON), so a restart of the service
        # does not lose the increments made while it was down.
        """CREATE TABLE traffic_scrapes (
            app_id TEXT PRIMARY KEY,
            fingerprint TEXT NOT NULL,
            at REAL NOT NULL,
            series TEXT NOT NULL) WITHOUT ROWID""",
    ),
)

V5_LISTING = Migration(
    5,
    "listing lifecycle: status changes with their technical check, rectification items",
    (
        # Every change of an app's listing status (trial, listed, delisted), with the verdict
        # of the evaluation run for it; `evaluation` is the whole report as JSON.
        """CREATE TABLE listing_changes (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            app_id TEXT NOT NULL,
            status TEXT NOT NULL,
            previous TEXT,
            at REAL NOT NULL,
            by TEXT NOT NULL,
            note TEXT NOT NULL,
            verdict TEXT,
            score INTEGER,
            evaluation TEXT)""",
        "CREATE INDEX listing_changes_by_app ON listing_changes (app_id, seq)",
        "CREATE INDEX listing_changes_by_time ON listing_changes (at)",
        # One rectification item (整改项) per flagged episode of an app; `body` is the item as
        # JSON (classes, evidence, actions, progress notes); queried columns are columns.
        """CREATE TABLE rectifications (
            id TEXT PRIMARY KEY,
            app_id TEXT NOT NULL,
            state TEXT NOT NULL CHECK (state IN ('open', 'done')),
            opened_at REAL NOT NULL,
            deadline TEXT NOT NULL,
            closed_at REAL,
            body TEXT NOT NULL)""",
        "CREATE INDEX rectifications_by_app ON rectifications (app_id, opened_at)",
        "CREATE INDEX rectifications_open ON rectifications (state, deadline)",
    ),
)

V6_UNKNOWN = Migration(
    6,
    "runs the monitor could not judge (outcome unknown): kept, but not in availability",
    (
        "ALTER TABLE results ADD COLUMN unknown INTEGER NOT NULL DEFAULT 0",
        "ALTER TABLE hourly ADD COLUMN unknown INTEGER NOT NULL DEFAULT 0",
        "ALTER TABLE check_state ADD COLUMN last_unknown INTEGER NOT NULL DEFAULT 0",
    ),
)

MIGRATIONS: tuple[Migration, ...] = (
    V1_RESULTS_AND_ROLLUPS, V2_CHECK_STATE, V3_ALERTING, V4_TRAFFIC, V5_LISTING, V6_UNKNOWN,
)
LATEST_VERSION = MIGRATIONS[-1].version


def connect(path: Path, *, readonly: bool = False) -> sqlite3.Connection:
    """A connection in autocommit mode (transactions are explicit) with the ledger's pragmas.

    WAL lets reports read while the writer writes; synchronous=NORMAL in WAL mode makes a
    commit durable against a process crash (SIGKILL) and costs no fsync per commit, only per
    checkpoint (a power cut may lose the last commits, never corrupt the file).
    """
    try:
        if not readonly:
            private_file(path)  # 0600 before SQLite makes its -wal and -shm files alike
        conn = sqlite3.connect(
            path, timeout=LEDGER_BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False
        )
        if readonly:
            conn.execute("PRAGMA query_only = ON")
        else:
            _enter_wal(conn)
            conn.execute("PRAGMA synchronous = NORMAL")
            conn.execute(f"PRAGMA journal_size_limit = {LEDGER_WAL_LIMIT_BYTES:d}")
    except (sqlite3.Error, OSError) as exc:
        raise StorageError(f"cannot open ledger {path}: {exc}") from exc
    return conn


def _enter_wal(conn: sqlite3.Connection) -> None:
    """Switch a new file to WAL, retrying while another connection switches it at the same time.

    Two connections turning a fresh file to WAL at once (the ledger and the alert store opened
    side by side) can deadlock on the file lock; SQLite then answers "database is locked" at
    once, without waiting out the busy timeout. The other one finishes within milliseconds.
    """
    deadline = time.monotonic() + LEDGER_BUSY_TIMEOUT_S
    while True:
        try:
            conn.execute("PRAGMA journal_mode = WAL")
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() >= deadline:
                raise
            time.sleep(0.01)
        else:
            return


def schema_version(conn: sqlite3.Connection) -> int:
    """The file's version; 0 for a new file."""
    conn.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
    row = conn.execute("SELECT version FROM schema_version").fetchone()
    return 0 if row is None else int(row[0])


def migrate(conn: sqlite3.Connection, target: int | None = None) -> int:
    """Bring the file to `target` (default: the latest; tests stop early to build old files).

    Returns the version the file is at afterwards.
    """
    try:
        conn.execute("BEGIN IMMEDIATE")
        try:
            current = _apply(conn, LATEST_VERSION if target is None else target)
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    except sqlite3.Error as exc:
        raise StorageError(f"ledger schema migration failed: {exc}") from exc
    return current


def _apply(conn: sqlite3.Connection, target: int) -> int:
    current = schema_version(conn)
    if current > LATEST_VERSION:
        raise StorageError(
            f"ledger file is at schema version {current}, newer than this program knows "
            f"({LATEST_VERSION}); use a newer release or another data_dir"
        )
    if current == 0:
        conn.execute("INSERT INTO schema_version (version) VALUES (0)")
    for migration in MIGRATIONS:
        if current < migration.version <= target:
            for statement in migration.statements:
                conn.execute(statement)
            if migration.data is not None:
                migration.data(conn)
            current = migration.version
    conn.execute("UPDATE schema_version SET version = ?", (current,))
    return current


@contextmanager
def immediate_transaction(
    conn: sqlite3.Connection,
    what: str,
    on_rollback: Callable[[], None] | None = None,
    also_catch: tuple[type[Exception], ...] = (),
) -> Iterator[None]:
    """One BEGIN IMMEDIATE ... COMMIT; on any failure roll back, run `on_rollback` (to drop
    caches that now disagree with the file) and raise StorageError naming `what`."""
    try:
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:  # some errors (disk full) already rolled back
                conn.execute("ROLLBACK")
            if on_rollback is not None:
                on_rollback()
            raise
    except Exception as exc:
        if not isinstance(exc, (sqlite3.Error, *also_catch)):
            raise
        raise StorageError(f"{what} failed: {exc}") from exc
