"""The quarterly watch report (季度通报预警) as data: built once by `build_quarterly`, read by the
JSON view and the HTML/PDF page, so every figure and verdict is computed in one place.

The classes, levels, evidence and suggested actions are the inventory audit's own
(monitor.governance.inventory); this report only picks the listed apps it flags, per class,
and puts each beside its rectification item (monitor.governance.listing) and the days left.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from monitor.core.reasons import Reason
from monitor.reports.quarterly.period import Quarter


@dataclass(frozen=True, slots=True)
class MonthEvidence:
    """One full month the audit's rules read, as the audit measured it."""

    month: str  # YYYY-MM
    in_quarter: bool
    availability_pct: float | None  # None: no probe ran in the counted hours
    probes: int
    failed_probes: int
    uv_sum: int | None  # sum of daily visitors (an upper bound); None: not known
    pv: int
    traffic_days: int  # days of the month with traffic data


@dataclass(frozen=True, slots=True)
class Progress:
    at: float
    by: str
    kind: str  # opened, reminded, still_flagged, closed, note
    note: str


@dataclass(frozen=True, slots=True)
class ItemStatus:
    """The app's rectification item (整改项) as it stood when the report was made."""

    id: str
    state: str  # open, overdue, done
    opened_at: float
    deadline: dt.date
    days_to_deadline: int  # negative: past it
    closed_at: float | None
    closed_by: str | None
    actions: tuple[str, ...]  # as stored (the service's language when it was opened)
    progress: tuple[Progress, ...]  # oldest first, up to the report's moment


@dataclass(frozen=True, slots=True)
class AtRisk:
    """One listed app in one class: the audit's finding, its months, its item."""

    app_id: str
    app_name: str
    department: str
    owner_name: str | None
    owner_mobile: str | None
    cls: str  # zombie, low_frequency, low_availability
    level: str  # flagged (meets the notice's conditions) or warning
    reasons: tuple[str, ...]  # the audit's reason codes
    notes: tuple[Reason, ...]  # the evidence as codes with figures (the audit's)
    basis: str  # the evidence in the report's language
    evidence: Mapping[str, Any]  # the audit's JSON-ready evidence
    trend: str  # up, down, flat, unknown
    zero_days: int | None  # recorded days without a visitor (zombie evidence), if measured
    months: tuple[MonthEvidence, ...]
    actions: tuple[str, ...]  # the audit's suggested rectification, in the report's language
    item: ItemStatus | None


@dataclass(frozen=True, slots=True)
class ClassSection:
    cls: str
    rows: tuple[AtRisk, ...]  # flagged first, then warnings; by app name within a level

    @property
    def flagged(self) -> int:
        return sum(1 for r in self.rows if r.level == "flagged")

    @property
    def warning(self) -> int:
        return sum(1 for r in self.rows if r.level == "warning")


@dataclass(frozen=True, slots=True)
class Cover:
    organisation: str  # service.organisation, else the catalog's neutral word
    title: str
    number: str
    quarter_name: str  # 2026年第四季度
    period: str  # 2026年10月1日至2026年12月31日
    generated: str  # the report's day in words


@dataclass(frozen=True, slots=True)
class QuarterlyReport:
    quarter: Quarter
    generated_at: float
    as_of: float  # what the audit was run at: now, or the quarter's end for a past quarter
    timezone: str
    language: str
    today: dt.date  # the local day of as_of
    days_left: int  # quarter end - today, never below 0
    deadline: dt.date | None  # the audit's rectification deadline (None: the quarter is over)
    months: tuple[str, ...]  # the full months the audit's rules read, oldest first
    listed_apps: int
    sections: tuple[ClassSection, ...]  # one per class, in the audit's order
    rules: tuple[str, ...]  # how each class is decided, in the report's language
    cover: Cover

    @property
    def apps_at_risk(self) -> int:
        return len({r.app_id for s in self.sections for r in s.rows})

    @property
    def apps_flagged(self) -> int:
        return len({r.app_id for s in self.sections for r in s.rows if r.level == "flagged"})

    def items(self) -> dict[str, ItemStatus]:
        """Each app's item, once (an app in two classes has one item)."""
        return {r.app_id: r.item for s in self.sections for r in s.rows if r.item is not None}
