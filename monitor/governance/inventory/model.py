"""The inventory audit (应用清单治理) as data: built once by `build_audit`, then only read by the
JSON, HTML and XLSX views, so every figure and verdict is computed in one place."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from monitor.core.catalog.langs import ZH
from monitor.core.reasons import Reason
from monitor.governance.inventory.fields import Duplicate

TRAFFIC_OK: Final = "ok"  # visitors.OK: recent traffic data to classify by

# Class codes (JSON) and levels.
ZOMBIE: Final = "zombie"
LOW_FREQUENCY: Final = "low_frequency"
LOW_AVAILABILITY: Final = "low_availability"
CLASSES: Final = (ZOMBIE, LOW_FREQUENCY, LOW_AVAILABILITY)
WARNING: Final = "warning"
FLAGGED: Final = "flagged"
LEVELS: Final = (FLAGGED, WARNING)

# Reachability now, as the API's /api/v1/apps says.
STATUSES: Final = ("up", "down", "unknown")

# Trend directions of a figure over the last full months (of the figure, not of the app's
# health: availability "up" is good, and so is visitors "up").
UP: Final = "up"
DOWN: Final = "down"
FLAT: Final = "flat"
UNKNOWN: Final = "unknown"


@dataclass(frozen=True, slots=True)
class Trend:
    metric: str  # "availability_pct" or "uv_sum"
    months: tuple[str, ...]
    values: tuple[float | int | None, ...]
    direction: str  # UP, DOWN, FLAT or UNKNOWN (fewer than two months with a figure)


@dataclass(frozen=True, slots=True)
class Finding:
    """One class an app falls in, why (reason codes, JSON-ready evidence, the evidence as
    notes for people) and where its figure is heading."""

    cls: str
    level: str
    reasons: tuple[str, ...]
    evidence: Mapping[str, Any]
    # The notes in words in the audit's language (listing copies it into rectification items);
    # the views say `notes` in their reader's language (texts.basis).
    basis: str
    trend: Trend
    notes: tuple[Reason, ...] = ()  # one per reason (bad_week: per bad week), with its figures


@dataclass(frozen=True, slots=True)
class CheckReach:
    id: str
    kind: str
    status: str  # up, down, unknown: as the API's /api/v1/apps says
    since: float | None
    last_run_at: float | None
    message: str | None


@dataclass(frozen=True, slots=True)
class Reachability:
    status: str
    since: float | None  # down: when the first down check went down; up: when the last came up
    checks: tuple[CheckReach, ...]


@dataclass(frozen=True, slots=True)
class MonthFigures:
    month: str
    availability_pct: float | None
    probes: int
    failed_probes: int
    uv_sum: int | None
    pv: int
    traffic_days: int  # days of the month with traffic data


@dataclass(frozen=True, slots=True)
class Rectification:
    actions: tuple[str, ...]  # one per problem, in the audit's language (copied by listing)
    deadline: dt.date
    items: tuple[Reason, ...] = ()  # the same actions as codes, said by texts.actions


@dataclass(frozen=True, slots=True)
class AppAudit:
    id: str
    name: str
    department: str
    category: str
    tier: int
    owner_name: str | None
    owner_mobile: str | None
    owner_email: str | None
    missing: tuple[str, ...]
    duplicates: tuple[Duplicate, ...]
    reachability: Reachability
    traffic_status: str  # visitors.OK, STALE or NONE
    traffic_last_day: str | None
    traffic_sources: tuple[str, ...]
    months: tuple[MonthFigures, ...]  # the last full months, oldest first
    findings: tuple[Finding, ...]
    rectification: Rectification | None


@dataclass(frozen=True, slots=True)
class Audit:
    generated_at: float
    timezone: str
    today: dt.date
    quarter_end: dt.date
    days_left: int
    deadline: dt.date
    months: tuple[str, ...]
    has_probe_data: bool  # False: no ledger in data_dir yet; reachability and probes unknown
    apps: tuple[AppAudit, ...]
    # service.language: the language of `basis` and `actions`, and the views' default.
    language: str = ZH

    def count(self, cls: str, level: str) -> int:
        return sum(1 for a in self.apps for f in a.findings if f.cls == cls and f.level == level)

    def summary(self) -> dict[str, Any]:
        """Counts over the apps: per class and level, gaps, reachability, traffic data."""
        apps = self.apps
        return {
            "apps": len(apps),
            "classes": {cls: {level: self.count(cls, level) for level in LEVELS}
                        for cls in CLASSES},
            "apps_flagged": sum(1 for a in apps if any(f.level == FLAGGED for f in a.findings)),
            "apps_warning_only": sum(
                1 for a in apps
                if a.findings and all(f.level == WARNING for f in a.findings)),
            "apps_missing_fields": sum(1 for a in apps if a.missing),
            "apps_duplicated": sum(1 for a in apps if a.duplicates),
            "apps_to_rectify": sum(1 for a in apps if a.rectification is not None),
            "reachability": {s: sum(1 for a in apps if a.reachability.status == s)
                             for s in STATUSES},
            "apps_without_traffic_data": sum(1 for a in apps if a.traffic_status != TRAFFIC_OK),
        }
