"""Filters of the incident list: parsed from the query string, and applied to incidents.
Months are calendar months in service.timezone. No I/O.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final
from zoneinfo import ZoneInfo

from alerting.model import Incident, IncidentKind, IncidentState
from monitor.core.config.model import Config

STATES: Final = tuple(s.value for s in IncidentState)
KINDS: Final = tuple(k.value for k in IncidentKind)
MONTH_RE: Final = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


@dataclass(frozen=True, slots=True)
class Filters:
    state: str = ""
    app: str = ""
    department: str = ""
    month: str = ""
    kind: str = ""

    @property
    def active(self) -> bool:
        return bool(self.state or self.app or self.department or self.month or self.kind)


def parse_filters(query: Mapping[str, str]) -> tuple[Filters, list[str]]:
    """The list filters from the query string; a malformed one is dropped and named (a word
    key) rather than failing the page."""
    errors: list[str] = []
    state = query.get("state", "").strip()
    if state and state not in STATES:
        errors.append("filter.bad_state")
        state = ""
    month = query.get("month", "").strip()
    if month and not MONTH_RE.match(month):
        errors.append("filter.bad_month")
        month = ""
    kind = query.get("kind", "").strip()
    if kind and kind not in KINDS:
        errors.append("filter.bad_kind")
        kind = ""
    return Filters(state, query.get("app", "").strip(), query.get("department", "").strip(),
                   month, kind), errors


def month_bounds(month: str, tz: ZoneInfo) -> tuple[float, float]:
    """[local midnight of the 1st, local midnight of the next 1st) in epoch seconds."""
    year, number = int(month[:4]), int(month[5:7])
    start = dt.datetime(year, number, 1, tzinfo=tz)
    after = dt.datetime(year + number // 12, number % 12 + 1, 1, tzinfo=tz)
    return start.timestamp(), after.timestamp()


def matches(incident: Incident, filters: Filters, config: Config, tz: ZoneInfo) -> bool:
    if filters.state and incident.state.value != filters.state:
        return False
    if filters.kind and incident.kind != filters.kind:
        return False
    if filters.app and incident.app_id != filters.app:
        return False
    if filters.department:
        app = config.app(incident.app_id)
        if app is None or app.department != filters.department:
            return False
    if filters.month:
        start, end = month_bounds(filters.month, tz)
        return start <= incident.opened_at < end
    return True


def departments(config: Config) -> list[str]:
    return sorted({app.department for app in config.apps if app.department})
