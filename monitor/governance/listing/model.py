"""Listing statuses, status changes and rectification items as data."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Final, Literal

Status = Literal["trial", "listed", "delisted"]
TRIAL: Final = "trial"
LISTED: Final = "listed"
DELISTED: Final = "delisted"
STATUSES: Final[tuple[Status, ...]] = ("trial", "listed", "delisted")

ItemState = Literal["open", "done"]
OPEN: Final = "open"
DONE: Final = "done"

# Who closed an item when no person did: the audit that no longer flagged the app, or the
# app leaving the workbench.
BY_AUDIT: Final = "audit"
BY_DELISTING: Final = "delisting"


@dataclass(frozen=True, slots=True)
class StatusChange:
    """One recorded change; `verdict` None when the technical check was skipped (--no-check)."""

    app_id: str
    status: Status
    previous: Status | None
    at: float
    by: str
    note: str
    verdict: str | None = None  # pass, conditional, fail
    score: int | None = None
    reasons: tuple[str, ...] = ()
    evaluation: Mapping[str, Any] | None = None  # the evaluation JSON (monitor.governance.evaluate)
    seq: int = 0  # store order; 0 before it is stored


@dataclass(frozen=True, slots=True)
class AppStatus:
    """Where an app stands: the last recorded change, or the config's status."""

    app_id: str
    status: Status
    since: float | None  # None: as configured, no change recorded
    last_change: StatusChange | None


@dataclass(frozen=True, slots=True)
class ProgressNote:
    at: float
    by: str
    note: str
    kind: str = "note"  # note, opened, reminded, still_flagged, closed


@dataclass(frozen=True, slots=True)
class RectItem:
    """A rectification item (整改项): one flagged episode of one app."""

    id: str
    app_id: str
    app_name: str
    classes: tuple[str, ...]  # inventory classes flagged (zombie, low_frequency, ...)
    basis: tuple[str, ...]  # the evidence in words, one per class
    actions: tuple[str, ...]  # what to do
    opened_at: float
    deadline: dt.date
    state: ItemState = OPEN
    closed_at: float | None = None
    closed_by: str | None = None
    reminded_at: float | None = None
    last_seen_at: float | None = None  # last audit that still flagged the app
    notes: tuple[ProgressNote, ...] = field(default=())

    def closed(self, now: float, by: str, note: str = "") -> RectItem:
        """This item done: by a person (with their note), the audit or a delisting."""
        return dataclasses.replace(self, state=DONE, closed_at=now, closed_by=by,
                                   notes=(*self.notes, ProgressNote(now, by, note, "closed")))

    def noted(self, note: ProgressNote) -> RectItem:
        return dataclasses.replace(self, notes=(*self.notes, note))

    def overdue(self, today: dt.date) -> bool:
        return self.state == OPEN and today > self.deadline

    def days_left(self, today: dt.date) -> int:
        return (self.deadline - today).days
