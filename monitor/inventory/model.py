"""The inventory audit (应用清单治理) as data: built once by `build_audit`, then only read by the
JSON, HTML and XLSX views, so every figure and verdict is computed in one place."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from monitor.inventory.fields import Duplicate

TRAFFIC_OK: Final = "ok"  # visitors.OK: recent traffic data to classify by

# Class codes (JSON) and levels.
ZOMBIE: Final = "zombie"
LOW_FREQUENCY: Final = "low_frequency"
LOW_AVAILABILITY: Final = "low_availability"
CLASSES: Final = (ZOMBIE, LOW_FREQUENCY, LOW_AVAILABILITY)
WARNING: Final = "warning"
FLAGGED: Final = "flagged"
LEVELS: Final = (FLAGGED, WARNING)

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
    """One class an app falls in, why (reason codes, JSON-ready evidence, one Chinese line for
    people) and where its figure is heading."""

    cls: str
    level: str
    reasons: tuple[str, ...]
    evidence: Mapping[str, Any]
    basis: str  # the evidence in words (zh-CN), for the sheet and the page
    trend: Trend


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
    actions: tuple[str, ...]  # zh-CN, one per problem
    deadline: dt.date


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
                             for s in ("up", "down", "unknown")},
            "apps_without_traffic_data": sum(1 for a in apps if a.traffic_status != TRAFFIC_OK),
        }
