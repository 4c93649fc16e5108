"""Which probe points fall in maintenance, by the monthly report's rule, so the wall's
availability and the report's are one figure.

The report leaves out every whole UTC hour [h, h + 1 h) that overlaps a maintenance window
covering the app (monitor/reports/monthly/figures.window_hours). A point in such an hour is
written with the tag maintenance=1, and the dashboards' availability queries say
`"maintenance" != '1'` (a point without the tag compares as ''). Unknown runs have no `up`
at all, so mean("up") over the month's points is the report's run-weighted availability.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Final

from monitor.core.config.windows import scope_covers

HOUR_S: Final = 3600.0
MAINTENANCE_TAG: Final = "maintenance"
Occurrences = Callable[[float, float], Iterable[tuple[str, float, float]]]
"""(start, end) -> the (scope, start, end) of every window occurrence overlapping it."""


class MaintenanceMarks:
    """`marked(app_id, t)`: whether t's UTC hour overlaps maintenance for the app. The
    occurrences are looked up once per hour (a district's 200 probes a second share them)."""

    def __init__(self, occurrences: Occurrences) -> None:
        self._occurrences = occurrences
        self._hour: float | None = None
        self._scopes: tuple[str, ...] = ()

    def marked(self, app_id: str, t: float) -> bool:
        hour = (t // HOUR_S) * HOUR_S
        if hour != self._hour:
            self._scopes = tuple(scope for scope, start, end in
                                 self._occurrences(hour, hour + HOUR_S)
                                 if start < hour + HOUR_S and end > hour)
            self._hour = hour
        return any(scope_covers(scope, app_id) for scope in self._scopes)
