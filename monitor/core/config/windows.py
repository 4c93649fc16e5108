"""Reading maintenance windows: ISO date-times and standard 5-field crontabs.

The config validates windows with these readers and alerting.maintenance schedules them with
the same ones, so both read them the same way.
"""

from __future__ import annotations

from datetime import datetime, tzinfo
from typing import Final

from apscheduler.triggers.cron import CronTrigger

from monitor.core.configtext import ConfigValueError, keyed, text_of

ALL_APPS: Final = "all"  # `apps: ["all"]` covers every app, including ones added later
SCOPE_APPS_PREFIX: Final = "app:"  # the recorded scope of a window naming apps: "app:a,b"
SCOPE_ALL: Final = "*"  # the recorded scope of such a window (maintenance_log.scope)

_DAY_NAMES: Final = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")  # crontab order: 0 = Sun


def scope_covers(scope: str, app_id: str) -> bool:
    """Whether a recorded window scope ("*" or "app:a,b") covers the app."""
    if scope == SCOPE_ALL:
        return True
    if not scope.startswith(SCOPE_APPS_PREFIX):
        return False
    return app_id in scope[len(SCOPE_APPS_PREFIX):].split(",")


def parse_moment(text: str) -> datetime:
    """An ISO 8601 date-time; naive when written without an offset (the caller picks the zone)."""
    try:
        return datetime.fromisoformat(text.strip())
    except ValueError:
        example = "2026-11-28T22:00:00+08:00"
        raise ConfigValueError("window.bad_time", text=text, example=example) from None


def crontab_trigger(expr: str, tz: tzinfo) -> CronTrigger:
    """A standard 5-field crontab as an APScheduler 3 trigger. `CronTrigger.from_crontab` is not
    used: APScheduler 3 counts weekdays from Monday (its "6" is Sunday, cron's is Saturday) and
    ANDs a restricted day of month with a restricted day of week, where cron ORs them."""
    fields = expr.split()
    if len(fields) != 5:
        raise ConfigValueError("cron.fields", count=len(fields))
    minute, hour, day, month, weekday = fields
    if not day.startswith("*") and not weekday.startswith("*"):
        raise ConfigValueError("cron.day_and_weekday")
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
            raise ConfigValueError("cron.weekday_step", step=step_text)
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
            raise ConfigValueError("cron.weekday_backwards", range=body)
        days.update(day % 7 for day in range(low, high + 1, step))
    return ",".join(_DAY_NAMES[day] for day in sorted(days))


def _weekday(text: str) -> int:
    name = text.lower()
    if name in _DAY_NAMES:
        return _DAY_NAMES.index(name)
    if name.isdigit() and int(name) <= 7:
        return int(name)
    raise ConfigValueError("cron.weekday", day=text)


def check_one_off(start: str | None, end: str | None) -> None:
    """The rules of a one-off window's start and end; ValueError names the key at fault."""
    if start is None or end is None:
        raise ConfigValueError("window.one_off_missing", field="end" if end is None else "start")
    begins, ends = (_moment(key, text) for key, text in (("start", start), ("end", end)))
    if (begins.tzinfo is None) != (ends.tzinfo is None):
        # Which zone the naive one is in is only known to the calendar: refuse to guess here.
        raise ConfigValueError("window.offsets")
    if ends <= begins:
        raise ConfigValueError("window.end_before_start")


def _moment(key: str, text: str) -> datetime:
    try:
        return parse_moment(text)
    except ValueError as exc:
        raise keyed(key, exc) from None


def check_recurring(cron: str | None, duration_s: float | None, tz: tzinfo) -> None:
    """The rules of a recurring window's cron and duration; ValueError names the key at fault."""
    if cron is None or duration_s is None:
        key = "cron" if cron is None else "duration"
        raise ConfigValueError("window.recurring_missing", field=key)
    if duration_s <= 0:
        raise ConfigValueError("window.duration_zero")
    try:
        crontab_trigger(cron, tz)
    except ValueError as exc:  # ours, or APScheduler's own words for a field it refuses
        raise ConfigValueError("cron.bad", cron=cron, detail=text_of(exc)) from None


