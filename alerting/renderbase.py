"""What every message text builder shares: the catalog lookup, times and durations, events."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, Final

from alerting.model import Event
from monitor.core.catalog.notify import WORDS
from monitor.core.i18n import ZH, pick

ACTIONABLE: Final = frozenset({Event.OPENED, Event.ESCALATED, Event.REMINDER})
_UNIT_KEYS: Final = ("unit.day", "unit.hour", "unit.minute", "unit.second")


def t(lang: str, key: str, **values: object) -> str:
    """A word of the notifications' catalog (monitor/core/catalog/notify.py)."""
    return pick(WORDS, lang, key, **values)


def has_word(key: str) -> bool:
    return key in WORDS


def event_of(event: str) -> Event:
    try:
        return Event(event)
    except ValueError:
        return Event.OPENED  # an unknown event still gets a readable alert, not a crash


def parse_time(value: object) -> dt.datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        return dt.datetime.fromisoformat(value)
    except ValueError:
        return None


def format_time(value: str | None) -> str:
    """ISO 8601 -> '2026-11-24 10:00:00' in the snapshot's own offset (the service's zone)."""
    if not value:
        return "—"
    parsed = parse_time(value)
    return value if parsed is None else parsed.strftime("%Y-%m-%d %H:%M:%S")


def format_duration(seconds: float | None, lang: str) -> str:
    """The two largest units: '1小时5分' / '1h 5m'; '0秒' / '0s' for nothing."""
    if seconds is None:
        return "—"
    rest = max(0, round(seconds))
    parts: list[str] = []
    for unit, size in zip(_UNIT_KEYS, (86400, 3600, 60, 1), strict=True):
        if rest >= size or (size == 1 and not parts):
            parts.append(t(lang, unit, n=rest // size))
            rest %= size
    return ("" if lang == ZH else " ").join(parts[:2])


def check_title_of(payload: Mapping[str, Any]) -> str:
    """What people call the incident's check (a delivery stored before checks had titles
    carries only the id)."""
    incident = payload["incident"]
    return str(incident.get("check_title") or incident["check_id"])


def notice_of(payload: Mapping[str, Any]) -> Mapping[str, Any] | None:
    """A delivery that is not about an incident (a rectification notice) carries its texts
    ready-made, in its language, under "notice": title, lead, facts, at, and optionally mark,
    color and link. Every format below shows those instead of incident fields."""
    notice = payload.get("notice")
    return notice if isinstance(notice, Mapping) else None


def reopen_number(payload: Mapping[str, Any], event: str) -> int | None:
    """For an `incident.opened` that is a reopen: which failure this is (2 for the first
    reopen), else None."""
    if notice_of(payload) is not None or event_of(event) is not Event.OPENED:
        return None
    count = payload["incident"].get("reopen_count") or 0
    return count + 1 if isinstance(count, int) and count > 0 else None
