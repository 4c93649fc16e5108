"""Reading maintenance windows: ISO date-times and standard 5-field crontabs.

The config validates windows with these readers and alerting.maintenance schedules them with
the same ones, so both read them the same way.
"""

from __future__ import annotations

from datetime import datetime, tzinfo
from typing import Final

from apscheduler.triggers.cron import CronTrigger

ALL_APPS: Final = "all"  # `apps: ["all"]` covers every app, including ones added later
SCOPE_ALL: Final = "*"  # the recorded scope of such a window (maintenance_log.scope)

_DAY_NAMES: Final = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")  # crontab order: 0 = Sun


def parse_moment(text: str) -> datetime:
    """An ISO 8601 date-time; naive when written without an offset (the caller picks the zone)."""
    try:
        return datetime.fromisoformat(text.strip())
    except ValueError:
        example = "2026-11-28T22:00:00+08:00"
        raise ValueError(f"bad date-time {text!r}: expected ISO 8601, e.g. {example}") from None


def crontab_trigger(expr: str, tz: tzinfo) -> CronTrigger:
    """A standard 5-field crontab as an APScheduler 3 trigger. `CronTrigger.from_crontab` is not
    used: APScheduler 3 counts weekdays from Monday (its "6" is Sunday, cron's is Saturday) and
    ANDs a restricted day of month with a restricted day of week, where cron ORs them."""
    fields = expr.split()
    if len(fields) != 5:
        raise ValueError(f"expected 5 fields (minute hour day month weekday), got {len(fields)}")
    minute, hour, day, month, weekday = fields
    if not day.startswith("*") and not weekday.startswith("*"):
        raise ValueError("restrict the day of month or the day of week, not both")
    return CronTrigger(
        minute=minute, hour=hour, day=day, month=month,
        day_of_week=_weekday_names(weekday), timezone=tz,
    )  # fmt: skip


def _weekday_names(field: str) -> str:
    """A crontab weekday field (0 or 7 = Sunday, names, ranges, steps) as a list of names,
    which APScheduler reads the same way whatever number it gives each day."""
    if field == "*":
        return field
    days: set[int] = set()
    for part in field.split(","):
        body, slash, step_text = part.partition("/")
        if slash and not (step_text.isdigit() and int(step_text) > 0):
            raise ValueError(f"weekday step {step_text!r}: expected a positive number")
        step = int(step_text) if slash else 1
        if body == "*":
            low, high = 0, 6
        elif "-" in body:
            first, last = body.split("-", 1)
            low, high = _weekday(first), _weekday(last)
        else:
            low = _weekday(body)
            high = 7 if slash else low  # "1/2": from Monday on, every other day
        if low > high:
            raise ValueError(f"weekday range {body!r} runs backwards")
        days.update(day % 7 for day in range(low, high + 1, step))
    return ",".join(_DAY_NAMES[day] for day in sorted(days))


def _weekday(text: str) -> int:
    name = text.lower()
    if name in _DAY_NAMES:
        return _DAY_NAMES.index(name)
    if name.isdigit() and int(name) <= 7:
        return int(name)
    raise ValueError(f"weekday {text!r}: expected 0-7 (0 and 7 are Sunday) or sun-sat")


def check_one_off(start: str | None, end: str | None) -> None:
    """The rules of a one-off window's start and end; ValueError names the key at fault."""
    if start is None or end is None:
        raise ValueError(f"{'end' if end is None else 'start'}: missing; a one-off needs both")
    begins, ends = (_moment(key, text) for key, text in (("start", start), ("end", end)))
    if (begins.tzinfo is None) != (ends.tzinfo is None):
        # Which zone the naive one is in is only known to the calendar: refuse to guess here.
        raise ValueError("start, end: give both with a UTC offset or both without")
    if ends <= begins:
        raise ValueError("end: must be after start")


def _moment(key: str, text: str) -> datetime:
    try:
        return parse_moment(text)
    except ValueError as exc:
        raise ValueError(f"{key}: {exc}") from None


def check_recurring(cron: str | None, duration_s: float | None, tz: tzinfo) -> None:
    """The rules of a recurring window's cron and duration; ValueError names the key at fault."""
    if cron is None or duration_s is None:
        raise ValueError(f"{'cron' if cron is None else 'duration'}: missing; recurring needs both")
    if duration_s <= 0:
        raise ValueError("duration: must be more than 0s")
    try:
        crontab_trigger(cron, tz)
    except ValueError as exc:
        raise ValueError(f"cron: bad expression {cron!r}: {exc}") from None


