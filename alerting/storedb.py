"""The alert store's SQL: everything here runs on the store's one worker thread, never the loop.

Writes are BEGIN IMMEDIATE transactions, like the ledger writer's: the write lock is taken up
front, so the busy timeout covers waiting for the ledger's batch instead of a read
transaction failing at once when it tries to upgrade. Reads run in autocommit (WAL snapshot).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Collection
from pathlib import Path

from alerting import storecodec as codec
from alerting.delivery import Delivery
from alerting.model import CheckAlertState, Incident, IncidentState
from alerting.storetypes import (
    ApplyResult,
    Changes,
    CheckKey,
    DeliveryAttempt,
    DeliveryRecord,
    DeliveryState,
    MaintenanceRecord,
    OutcomeRow,
    StoreSnapshot,
)
from monitor.core.logs import mask_text
from monitor.core.sqlite.threaded import StoreDb, open_store_connection

_UPSERT_STATE = "INSERT OR REPLACE INTO check_alert_state VALUES (?, ?, ?, ?)"
_UPSERT_INCIDENT = "INSERT OR REPLACE INTO incidents VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
_ENQUEUE = """
    INSERT OR IGNORE INTO outbox (id, incident_id, event, step, notifier_id, target, payload,
        recipients, created_at, attempts, next_attempt_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"""
_DROP_OLDEST = """
    UPDATE outbox SET state = 'dropped', finished_at = ?, last_error = ?
    WHERE id IN (SELECT id FROM outbox WHERE state = 'pending'
                 ORDER BY created_at, id LIMIT ?)"""
_DUE = """
    SELECT id, incident_id, event, step, notifier_id, target, payload, recipients, created_at,
        attempts FROM outbox
    WHERE state = 'pending' AND notifier_id = ? AND next_attempt_at <= ?
    ORDER BY created_at, id LIMIT ?"""
_RECORD = """
    UPDATE outbox SET attempts = attempts + 1, last_status = ?, last_error = ?, state = ?,
        next_attempt_at = coalesce(?, next_attempt_at), sent_at = ?, finished_at = ?
    WHERE id = ? AND state = 'pending'"""
_OF_INCIDENT = """
    SELECT id, incident_id, event, step, notifier_id, target, payload, recipients, created_at,
        attempts, state, next_attempt_at, last_status, last_error, sent_at, finished_at
    FROM outbox WHERE incident_id = ? ORDER BY created_at, id"""
_PRUNE_ATTEMPTS = """
    DELETE FROM delivery_attempts WHERE delivery_id IN
        (SELECT id FROM outbox WHERE state != 'pending' AND finished_at < ?)"""
_PRUNE_DELIVERIES = "DELETE FROM outbox WHERE state != 'pending' AND finished_at < ?"
_ACTIVE = (IncidentState.OPEN.value, IncidentState.ACKNOWLEDGED.value)


class AlertDb(StoreDb):
    """The alert store's SQL, run on its ThreadedDb thread."""

    what = "alert store"

    def __init__(self, conn: sqlite3.Connection, max_pending: int) -> None:
        super().__init__(conn)
        self._max_pending = max_pending

    @classmethod
    def open(cls, path: Path, max_pending: int) -> AlertDb:
        return cls(open_store_connection(path), max_pending)

    # --- engine side -------------------------------------------------------------------------

    def load(self, resolved_since: float) -> StoreSnapshot:
        states = {
            (app_id, check_id): codec.check_state_from_json(text)
            for app_id, check_id, text in self._read(
                "SELECT app_id, check_id, state FROM check_alert_state"
            )
        }
        active = self._incidents("WHERE state IN (?, ?)", _ACTIVE)
        # `+state`: look up by resolved_at, not by state (resolved ones pile up over the years).
        recent = self._incidents(
            "WHERE +state = ? AND resolved_at >= ?", (IncidentState.RESOLVED.value, resolved_since)
        )
        return StoreSnapshot(states, {i.id: i for i in active}, {i.id: i for i in recent})

    def apply(self, changes: Changes, now: float) -> ApplyResult:
        # Encode everything first: a value that cannot be stored fails before any write.
        states = [_state_row(key, state) for key, state in changes.check_states.items()]
        incidents = [codec.incident_row(incident) for incident in changes.incidents]
        deliveries = [codec.delivery_row(delivery) for delivery in changes.deliveries]
        with self._transaction():
            self._conn.executemany(
                "DELETE FROM check_alert_state WHERE app_id = ? AND check_id = ?",
                list(changes.removed_checks),
            )
            self._conn.executemany(_UPSERT_STATE, states)
            self._conn.executemany(_UPSERT_INCIDENT, incidents)
            enqueued = self._conn.executemany(_ENQUEUE, deliveries).rowcount if deliveries else 0
            dropped = self._drop_overflow(now) if enqueued else 0
        return ApplyResult(enqueued=max(enqueued, 0), dropped=dropped)

    def _drop_overflow(self, now: float) -> int:
        """Keep at most max_pending deliveries pending; the oldest go first."""
        (pending,) = self._conn.execute(
            "SELECT count(*) FROM outbox WHERE state = 'pending'"
        ).fetchone()
        excess = int(pending) - self._max_pending
        if excess <= 0:
            return 0
        reason = f"dropped: more than {self._max_pending} deliveries pending"
        return self._conn.execute(_DROP_OLDEST, (now, reason, excess)).rowcount

    def get_incident(self, incident_id: str) -> Incident | None:
        found = self._incidents("WHERE id = ?", (incident_id,))
        return found[0] if found else None

    def list_incidents(
        self, state: IncidentState | None, limit: int, app_id: str | None
    ) -> list[Incident]:
        conditions, params = [], []
        if state is not None:
            conditions.append("state = ?")
            params.append(state.value)
        if app_id is not None:
            conditions.append("app_id = ?")
            params.append(app_id)
        where = f"WHERE {' AND '.join(conditions)}" if conditions else ""
        return self._incidents(
            f"{where} ORDER BY opened_at DESC, id DESC LIMIT ?", (*params, max(limit, 0))
        )

    def _incidents(self, clause: str, params: tuple[object, ...]) -> list[Incident]:
        rows = self._read(f"SELECT body FROM incidents {clause}", params)  # noqa: S608 - fixed clauses
        return [codec.incident_from_json(body) for (body,) in rows]

    # --- outbox side -------------------------------------------------------------------------

    def due(self, notifier_id: str, now: float, limit: int) -> list[Delivery]:
        rows = self._read(_DUE, (notifier_id, now, max(limit, 0)))
        return [codec.delivery_from_row(row) for row in rows]

    def next_due_at(self, notifier_id: str) -> float | None:
        [(due,)] = self._read(
            "SELECT min(next_attempt_at) FROM outbox WHERE state = 'pending' AND notifier_id = ?",
            (notifier_id,),
        )
        return None if due is None else float(due)

    def record_outcomes(self, outcomes: list[OutcomeRow]) -> None:
        attempts, updates = [], []
        for delivery, outcome, at, next_at, new_state in outcomes:
            error = mask_text(outcome.error)  # a channel's error text must not carry a token
            attempts.append((delivery.id, at, outcome.ok, outcome.status, error))
            finished = None if new_state is DeliveryState.PENDING else at
            sent_at = at if new_state is DeliveryState.SENT else None
            updates.append(
                (outcome.status, error or None, new_state.value, next_at, sent_at, finished,
                 delivery.id)
            )  # fmt: skip
        with self._transaction():
            self._conn.executemany("INSERT INTO delivery_attempts VALUES (?, ?, ?, ?, ?)", attempts)
            self._conn.executemany(_RECORD, updates)

    def deliveries_for(self, incident_id: str) -> list[DeliveryRecord]:
        rows = self._read(_OF_INCIDENT, (incident_id,))
        history: dict[str, list[DeliveryAttempt]] = {}
        for delivery_id, at, ok, status, error in self._read(
            "SELECT delivery_id, at, ok, status, error FROM delivery_attempts WHERE delivery_id "
            "IN (SELECT id FROM outbox WHERE incident_id = ?) ORDER BY at, rowid",
            (incident_id,),
        ):
            history.setdefault(delivery_id, []).append(DeliveryAttempt(at, bool(ok), status, error))
        records = []
        for row in rows:
            delivery = codec.delivery_from_row(row[:10])
            state, next_at, status, error, sent_at, finished = row[10:]
            records.append(
                DeliveryRecord(
                    delivery, DeliveryState(state), next_at, status, error, sent_at, finished,
                    tuple(history.get(delivery.id, ())),
                )
            )  # fmt: skip
        return records

    def prune(self, cutoff: float) -> int:
        with self._transaction():
            self._conn.execute(_PRUNE_ATTEMPTS, (cutoff,))
            return self._conn.execute(_PRUNE_DELIVERIES, (cutoff,)).rowcount

    def drop_orphans(self, known: Collection[str], now: float, reason: str) -> dict[str, int]:
        """Pending deliveries of notifiers not in `known` become dropped; counts by notifier."""
        marks = ", ".join("?" * len(known))
        where = f"state = 'pending' AND notifier_id NOT IN ({marks})" if known \
            else "state = 'pending'"
        with self._transaction():
            rows = self._conn.execute(
                f"UPDATE outbox SET state = 'dropped', finished_at = ?, last_error = ? "  # noqa: S608
                f"WHERE {where} RETURNING notifier_id", (now, reason, *known)).fetchall()
        counts: dict[str, int] = {}
        for (notifier_id,) in rows:
            counts[notifier_id] = counts.get(notifier_id, 0) + 1
        return counts

    def pending_counts(self) -> dict[str, int]:
        rows = self._read(
            "SELECT notifier_id, count(*) FROM outbox WHERE state = 'pending' GROUP BY notifier_id"
        )
        return {notifier_id: int(count) for notifier_id, count in rows}

    # --- maintenance -------------------------------------------------------------------------

    def record_maintenance(self, window_id: str, scope: str, start: float, end: float) -> None:
        with self._transaction():
            self._conn.execute(
                "INSERT OR REPLACE INTO maintenance_log VALUES (?, ?, ?, ?)",
                (window_id, scope, start, end),
            )

    def maintenance_between(self, start: float, end: float) -> list[MaintenanceRecord]:
        """Windows overlapping [start, end), oldest first."""
        rows = self._read(
            "SELECT window_id, scope, starts_at, ends_at FROM maintenance_log "
            "WHERE starts_at < ? AND ends_at > ? ORDER BY starts_at, window_id",
            (end, start),
        )
        return [MaintenanceRecord(*row) for row in rows]

    # --- plumbing ----------------------------------------------------------------------------


def _state_row(key: CheckKey, state: CheckAlertState) -> tuple[object, ...]:
    app_id, check_id = key
    return (app_id, check_id, state.incident_id, codec.check_state_to_json(state))
