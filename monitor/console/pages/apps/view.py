"""View model of the app detail page: check states, raw failures and the listing store's
status and rectification items in, plain rows out. No I/O (apps.py reads, this arranges);
the charts' buckets and points are in appcharts.

The listing card reuses the governance page's rows (governanceview), so a status, a verdict
or an item's days left read the same on both pages.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from monitor.api.views import check_status
from monitor.console.pages.governance.view import (
    ItemRow,
    NoteRow,
    StatusRow,
    item_rows,
    open_counts,
    status_rows,
)
from monitor.core.config.model import AppConfig, CheckConfig
from monitor.governance.listing.model import OPEN, AppStatus, RectItem
from monitor.ledger.types import CheckState, StoredResult


@dataclass(frozen=True, slots=True)
class FailureRow:
    """Failed runs of one check in a row with the same error (no pass, no other error and no
    missing runs between them): one line, "连续 20 次：状态码 503", not twenty identical ones."""

    at: str  # the newest of them
    check_id: str
    check_title: str
    error_kind: str
    message: str
    status_code: int | None
    latency_ms: float  # of the newest
    step: str
    count: int = 1
    first_at: str = ""  # the oldest of them ("" when count is 1)


def _same_failure(a: StoredResult, b: StoredResult) -> bool:
    return (a.error_kind, a.message, a.status_code, a.step) == (
        b.error_kind, b.message, b.status_code, b.step)


def failure_runs(results: Iterable[StoredResult], max_gap_s: Mapping[str, float] | None = None
                 ) -> list[list[StoredResult]]:
    """Failed results grouped into runs (oldest first within a run), newest run first. A pass,
    a different error, or more than `max_gap_s[check]` between two runs of a check (runs that
    were not read, or did not happen) ends a run."""
    gaps = max_gap_s or {}
    by_check: dict[str, list[StoredResult]] = {}
    for r in results:
        by_check.setdefault(r.check_id, []).append(r)
    runs: list[list[StoredResult]] = []
    for check_id, rows in by_check.items():
        gap, current = gaps.get(check_id), None
        previous: StoredResult | None = None
        for r in sorted(rows, key=lambda r: r.ts):
            broken = previous is not None and gap is not None and r.ts - previous.ts > gap
            if r.ok or broken:
                current = None
            if not r.ok and not r.unknown:
                if current is not None and _same_failure(current[-1], r):
                    current.append(r)
                else:
                    current = [r]
                    runs.append(current)
            previous = r
    runs.sort(key=lambda run: run[-1].ts, reverse=True)
    return runs


def failure_rows(results: Iterable[StoredResult], titles: Mapping[str, str], tz: ZoneInfo,
                 limit: int, max_gap_s: Mapping[str, float] | None = None) -> list[FailureRow]:
    """The newest `limit` runs of identical failures, newest first; `titles` names the
    checks."""
    def local(ts: float) -> str:
        return dt.datetime.fromtimestamp(ts, tz).strftime("%m-%d %H:%M:%S")

    rows = []
    for run in failure_runs(results, max_gap_s)[:limit]:
        r = run[-1]
        rows.append(FailureRow(local(r.ts), r.check_id, titles.get(r.check_id, r.check_id),
                               r.error_kind or "", r.message, r.status_code,
                               round(r.latency_s * 1000, 1), r.step or "", len(run),
                               local(run[0].ts) if len(run) > 1 else ""))
    return rows


@dataclass(frozen=True, slots=True)
class CheckRow:
    id: str
    title: str  # the check's name, else its kind's name
    kind: str
    status: str  # up, down, unknown
    last_run: str
    latency_ms: float | None
    error_kind: str
    message: str
    status_code: int | None
    cert_days_left: int | None
    consecutive_failures: int
    since_ms: int | None  # when up/down last flipped, for a live "for 5m" (data-since)


def check_row(check: CheckConfig, state: CheckState | None, tz: ZoneInfo, lang: str
              ) -> CheckRow:
    title = check.title(lang)
    if state is None:
        return CheckRow(check.id, title, check.kind, "unknown", "", None, "", "", None, None, 0,
                        None)
    return CheckRow(
        id=check.id, title=title, kind=check.kind, status=check_status(state),
        last_run=("" if state.last_run_at is None else
                  dt.datetime.fromtimestamp(state.last_run_at, tz).strftime("%m-%d %H:%M:%S")),
        latency_ms=(None if state.last_latency_s is None
                    else round(state.last_latency_s * 1000, 1)),
        error_kind=(state.last_error_kind or "")
        if state.last_ok is False or state.last_unknown else "",
        message=state.last_message if state.last_ok is False or state.last_unknown else "",
        status_code=state.last_status_code,
        cert_days_left=(None if state.cert_days_left is None
                        else round(state.cert_days_left)),
        consecutive_failures=state.consecutive_failures,
        since_ms=None if state.last_change_at is None else int(state.last_change_at * 1000))


def cert_days_left(rows: Iterable[CheckRow]) -> int | None:
    """The soonest expiry among the checks that saw a certificate."""
    return min((r.cert_days_left for r in rows if r.cert_days_left is not None), default=None)


@dataclass(frozen=True, slots=True)
class OpenItem:
    row: ItemRow
    last_note: NoteRow | None  # the latest progress a person noted; None: none yet


@dataclass(frozen=True, slots=True)
class ListingCard:
    status: StatusRow  # changed False: as configured, no change recorded
    items: tuple[OpenItem, ...]  # open ones only, overdue first, then nearest deadline


def last_progress(notes: Sequence[NoteRow]) -> NoteRow | None:
    """What a person last wrote: the audit's own entries (opened, reminded, still flagged)
    say nothing of how the rectification is going."""
    return next((n for n in reversed(notes) if n.kind == "note"), None)


def listing_card(app: AppConfig, statuses: Mapping[str, AppStatus], items: Iterable[RectItem],
                 tz: ZoneInfo, today: dt.date) -> ListingCard:
    """`app`'s listing status and its open rectification items (any other app's item, or a
    closed one, is left out)."""
    mine = [i for i in items if i.app_id == app.id and i.state == OPEN]
    [status] = status_rows([app], statuses, open_counts(mine), tz)
    return ListingCard(status, tuple(OpenItem(row, last_progress(row.notes))
                                     for row in item_rows(mine, tz, today)))
