"""The listing store's SQL, run on its one worker thread (see monitor.core.sqlite.threaded)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Final, cast

from monitor.core.sqlite.threaded import StoreDb, open_store_connection
from monitor.governance.listing.model import (
    ItemState,
    ProgressNote,
    RectItem,
    Status,
    StatusChange,
)

_CHANGE_COLUMNS: Final = "seq, app_id, status, previous, at, by, note, verdict, score, evaluation"
# The last change of each app: the row with the highest seq per app.
_LATEST: Final = (
    f"SELECT {_CHANGE_COLUMNS} FROM listing_changes "  # noqa: S608 - fixed columns
    "WHERE seq IN (SELECT max(seq) FROM listing_changes GROUP BY app_id)")


class ListingDb(StoreDb):
    what = "listing store"

    @classmethod
    def open(cls, path: Path) -> ListingDb:
        return cls(open_store_connection(path))

    # --- status changes ----------------------------------------------------------------------

    def add_change(self, change: StatusChange) -> int:
        with self._transaction():
            cursor = self._conn.execute(
                "INSERT INTO listing_changes (app_id, status, previous, at, by, note, verdict,"
                " score, evaluation) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (change.app_id, change.status, change.previous, change.at, change.by,
                 change.note, change.verdict, change.score,
                 _change_extra(change)))  # fmt: skip
            return int(cursor.lastrowid or 0)

    def latest_changes(self) -> list[StatusChange]:
        return [_change(row) for row in self._read(_LATEST)]

    def changes(self, app_id: str | None, start: float, end: float) -> list[StatusChange]:
        where, params = "at >= ? AND at < ?", (start, end)  # type: tuple[str, tuple[object, ...]]
        if app_id is not None:
            where, params = "app_id = ? AND at >= ? AND at < ?", (app_id, start, end)
        rows = self._read(f"SELECT {_CHANGE_COLUMNS} FROM listing_changes "  # noqa: S608
                          f"WHERE {where} ORDER BY seq", params)  # fixed columns and clauses
        return [_change(row) for row in rows]

    # --- rectification items -----------------------------------------------------------------

    def save_items(self, items: Sequence[RectItem]) -> None:
        with self._transaction():
            self._conn.executemany(
                "INSERT INTO rectifications (id, app_id, state, opened_at, deadline, closed_at,"
                " body) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET"
                " state = excluded.state, deadline = excluded.deadline,"
                " closed_at = excluded.closed_at, body = excluded.body",
                [(i.id, i.app_id, i.state, i.opened_at, i.deadline.isoformat(), i.closed_at,
                  json.dumps(encode_item(i), ensure_ascii=False)) for i in items])

    def items(self, *, open_only: bool = False, app_id: str | None = None,
              active_between: tuple[float, float] | None = None) -> list[RectItem]:
        """Items oldest first. `active_between` (start, end): opened before end and not
        closed before start (the items a month's report shows)."""
        clauses: list[str] = []
        params: list[object] = []
        if open_only:
            clauses.append("state = 'open'")
        if app_id is not None:
            clauses.append("app_id = ?")
            params.append(app_id)
        if active_between is not None:
            clauses.append("opened_at < ? AND (closed_at IS NULL OR closed_at >= ?)")
            params += [active_between[1], active_between[0]]
        where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
        rows = self._read(f"SELECT body FROM rectifications {where} "  # noqa: S608 - fixed
                          "ORDER BY opened_at, id",
                          tuple(params))
        return [decode_item(json.loads(row[0])) for row in rows]

    def item(self, item_id: str) -> RectItem | None:
        rows = self._read("SELECT body FROM rectifications WHERE id = ?", (item_id,))
        return decode_item(json.loads(rows[0][0])) if rows else None


def _change_extra(change: StatusChange) -> str | None:
    if change.evaluation is None and not change.reasons:
        return None
    return json.dumps({"reasons": list(change.reasons), "report": change.evaluation},
                      ensure_ascii=False)


def _change(row: Sequence[Any]) -> StatusChange:
    seq, app_id, status, previous, at, by, note, verdict, score, extra = row
    data = json.loads(extra) if extra else {}
    return StatusChange(
        app_id=app_id, status=cast(Status, status), previous=cast(Status | None, previous),
        at=at, by=by, note=note, verdict=verdict, score=score,
        reasons=tuple(data.get("reasons") or ()), evaluation=data.get("report"), seq=seq)


def encode_item(item: RectItem) -> dict[str, Any]:
    return {
        "id": item.id, "app_id": item.app_id, "app_name": item.app_name,
        "classes": list(item.classes), "basis": list(item.basis), "actions": list(item.actions),
        "opened_at": item.opened_at, "deadline": item.deadline.isoformat(),
        "state": item.state, "closed_at": item.closed_at, "closed_by": item.closed_by,
        "reminded_at": item.reminded_at, "last_seen_at": item.last_seen_at,
        "notes": [{"at": n.at, "by": n.by, "note": n.note, "kind": n.kind} for n in item.notes],
    }


def decode_item(body: dict[str, Any]) -> RectItem:
    return RectItem(
        id=body["id"], app_id=body["app_id"], app_name=body["app_name"],
        classes=tuple(body["classes"]), basis=tuple(body["basis"]),
        actions=tuple(body["actions"]), opened_at=body["opened_at"],
        deadline=dt.date.fromisoformat(body["deadline"]),
        state=cast(ItemState, body["state"]), closed_at=body.get("closed_at"),
        closed_by=body.get("closed_by"), reminded_at=body.get("reminded_at"),
        last_seen_at=body.get("last_seen_at"),
        notes=tuple(ProgressNote(n["at"], n["by"], n["note"], n.get("kind", "note"))
                    for n in body.get("notes", ())))
