"""View model of the governance page: listing statuses and rectification items in, plain rows
out, no I/O.

Days left are counted in whole local days (service.timezone), as the items' deadlines are
dates: an item is overdue from the day after its deadline (monitor.governance.listing.jsonview).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Final
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from monitor.console.pages.incidents.view import local
from monitor.core.config.model import AppConfig
from monitor.governance.listing.jsonview import item_state
from monitor.governance.listing.model import DONE, OPEN, STATUSES, AppStatus, ProgressNote, RectItem

ITEMS_ALL: Final = "all"
# Open first, the most urgent (overdue, then nearest deadline) on top; then the closed ones,
# the most recently closed first.
_STATE_ORDER: Final = {"overdue": 0, OPEN: 1, DONE: 2}


@dataclass(frozen=True, slots=True)
class Filters:
    status: str = ""  # "" = every status
    all_items: bool = False  # False: open items only

    def href(self, *, status: str | None = None, all_items: bool | None = None) -> str:
        """/governance with these filters, one of them changed (the count and toggle links)."""
        wanted_status = self.status if status is None else status
        wanted_all = self.all_items if all_items is None else all_items
        query = {k: v for k, v in (("status", wanted_status),
                                   ("items", ITEMS_ALL if wanted_all else "")) if v}
        return "/governance" + (f"?{urlencode(query)}" if query else "")


def parse_filters(query: Mapping[str, str]) -> tuple[Filters, list[str]]:
    """The filters from the query string; a malformed one is dropped and named (a word key)."""
    errors: list[str] = []
    status = query.get("status", "").strip()
    if status and status not in STATUSES:
        errors.append("filter.bad_status")
        status = ""
    items = query.get("items", "").strip()
    if items not in ("", OPEN, ITEMS_ALL):
        errors.append("filter.bad_items")
    return Filters(status, items == ITEMS_ALL), errors


@dataclass(frozen=True, slots=True)
class StatusRow:
    app_id: str
    app_name: str
    department: str
    status: str  # trial, listed, delisted
    since: str  # local time of the last change; "" while as configured
    by: str  # who made the last change
    note: str
    verdict: str  # pass, conditional, fail; "" when skipped or no change
    score: int | None
    checked: bool  # False: the last change skipped the technical check
    changed: bool  # False: no change recorded, the status is the config's
    open_items: int


def status_rows(apps: Iterable[AppConfig], statuses: Mapping[str, AppStatus],
                open_items: Mapping[str, int], tz: ZoneInfo) -> list[StatusRow]:
    rows = []
    for app in apps:
        status = statuses.get(app.id) or AppStatus(app.id, app.status, None, None)
        change = status.last_change
        rows.append(StatusRow(
            app_id=app.id, app_name=app.name, department=app.department or "",
            status=status.status, since=local(status.since, tz, "%Y-%m-%d %H:%M"),
            by=change.by if change else "", note=change.note if change else "",
            verdict=(change.verdict or "") if change else "",
            score=change.score if change else None,
            checked=change is not None and change.verdict is not None,
            changed=change is not None, open_items=open_items.get(app.id, 0)))
    return rows


def status_counts(rows: Sequence[StatusRow]) -> dict[str, int]:
    """Apps per status, every status present (zero too), in STATUSES order."""
    found = Counter(row.status for row in rows)
    return {status: found.get(status, 0) for status in STATUSES}


def open_counts(items: Iterable[RectItem]) -> dict[str, int]:
    return dict(Counter(item.app_id for item in items if item.state == OPEN))


@dataclass(frozen=True, slots=True)
class NoteRow:
    at: str
    by: str
    kind: str  # note, opened, reminded, still_flagged, closed
    note: str
    classes: tuple[str, ...] = ()  # still_flagged: the classes the audit now finds


def note_row(note: ProgressNote, tz: ZoneInfo) -> NoteRow:
    at = local(note.at, tz, "%Y-%m-%d %H:%M")
    if note.kind == "still_flagged":  # the audit wrote the class keys, joined by 、
        return NoteRow(at, note.by, note.kind, "", tuple(c for c in note.note.split("、") if c))
    return NoteRow(at, note.by, note.kind, note.note)


@dataclass(frozen=True, slots=True)
class ItemRow:
    id: str
    app_id: str
    app_name: str
    state: str  # open, overdue, done
    classes: tuple[str, ...]
    basis: tuple[str, ...]
    actions: tuple[str, ...]
    opened: str
    deadline: str  # YYYY-MM-DD
    days_left: int | None  # open only: < 0 is days overdue
    closed: str
    closed_by: str  # a person, or BY_AUDIT / BY_DELISTING
    notes: tuple[NoteRow, ...]

    @property
    def can_act(self) -> bool:
        return self.state != DONE

    @property
    def days_overdue(self) -> int:
        return -self.days_left if self.days_left is not None and self.days_left < 0 else 0


def item_row(item: RectItem, tz: ZoneInfo, today: dt.date) -> ItemRow:
    return ItemRow(
        id=item.id, app_id=item.app_id, app_name=item.app_name,
        state=item_state(item, today), classes=item.classes, basis=item.basis,
        actions=item.actions, opened=local(item.opened_at, tz, "%Y-%m-%d %H:%M"),
        deadline=item.deadline.isoformat(),
        days_left=item.days_left(today) if item.state == OPEN else None,
        closed=local(item.closed_at, tz, "%Y-%m-%d %H:%M"), closed_by=item.closed_by or "",
        notes=tuple(note_row(n, tz) for n in item.notes))


def item_rows(items: Iterable[RectItem], tz: ZoneInfo, today: dt.date) -> list[ItemRow]:
    def order(item: RectItem) -> tuple[int, float, str]:
        if item.state == OPEN:
            return (_STATE_ORDER[item_state(item, today)], item.deadline.toordinal(), item.id)
        return (_STATE_ORDER[DONE], -(item.closed_at or 0.0), item.id)

    return [item_row(item, tz, today) for item in sorted(items, key=order)]


def today_in(now: float, tz: ZoneInfo) -> dt.date:
    return dt.datetime.fromtimestamp(now, tz).date()
