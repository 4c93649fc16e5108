"""The traffic store's values. Plain frozen records: they cross the store's worker thread."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Final

from monitor.governance.traffic.days import check_day

# Source names the service writes itself; a push may not use them (it would overwrite them).
PUSH: Final = "push"
PROMETHEUS: Final = "prometheus"
JSON: Final = "json"
ACCESSLOG: Final = "accesslog"
PULL_SOURCES: Final = (PROMETHEUS, JSON, ACCESSLOG)

OnCounts = Callable[[str, str, int, int, str], None]
"""`on_counts(app_id, day, pv, uv, source)`: one source's totals for one day after a write
(not the increment), so an Influx point at the day's start can simply be overwritten."""


@dataclass(frozen=True, slots=True)
class DayTraffic:
    """One app's traffic on one day, every source summed."""

    app_id: str
    day: str  # "YYYY-MM-DD" in service.timezone
    pv: int
    uv: int
    sources: tuple[str, ...]  # which sources contributed, sorted


@dataclass(frozen=True, slots=True)
class CountsUpdate:
    """One write of one (app, day, source) row: each figure either replaces or adds."""

    app_id: str
    day: str
    source: str
    pv: int
    uv: int
    add_pv: bool = False
    add_uv: bool = False

    def __post_init__(self) -> None:
        check_counts(self.app_id, self.day, self.source, self.pv, self.uv)


@dataclass(frozen=True, slots=True)
class SourceCounts:
    """One source's row as it stands after a write."""

    app_id: str
    day: str
    source: str
    pv: int
    uv: int


@dataclass(frozen=True, slots=True)
class ScrapeState:
    """The last Prometheus scrape of one app: each series' value and when it was last seen."""

    fingerprint: str  # of the source config: another url, metric or labels starts afresh
    at: float
    series: Mapping[str, tuple[float, float]]  # series key -> (value, seen_at)


@dataclass(frozen=True, slots=True)
class ImportRecord:
    """One access log file imported for one app."""

    app_id: str
    sha256: str  # of the decompressed contents
    size: int  # decompressed bytes
    path: str
    lines: int
    pv: int
    first_day: str | None
    last_day: str | None
    imported_at: float


class AlreadyImportedError(Exception):
    """The same contents were imported for this app before; nothing was counted again."""

    def __init__(self, earlier: ImportRecord) -> None:
        super().__init__(f"already imported from {earlier.path} (sha256 {earlier.sha256[:12]}...)")
        self.earlier = earlier


def check_counts(app_id: str, day: str, source: str, pv: int, uv: int) -> None:
    """ValueError naming the bad argument; bools are refused though they are ints."""
    if not app_id:
        raise ValueError("app_id is empty")
    check_day(day)
    if not source:
        raise ValueError("source is empty")
    for name, value in (("pv", pv), ("uv", uv)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ValueError(f"{name} must be a non-negative integer, got {value!r}")
