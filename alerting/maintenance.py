"""Maintenance windows as a calendar: is this app in maintenance at `now`, which occurrences
overlap a report's period, and which began or ended since the runner last looked.

During a window probes keep running, but the engine opens no incident and sends nothing
(engine.Policy.in_maintenance). `active()` runs once per probe result, so each window caches
the span of time over which its answer stays the same and asks the cron trigger again only
when `now` leaves that span. Also home to the crontab and date-time readers that the config
(monitor.config.model.MaintenanceWindow) validates with, so both read them the same way.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator
from datetime import datetime, tzinfo
from typing import TYPE_CHECKING, Final, NamedTuple
from zoneinfo import ZoneInfo

from apscheduler.triggers.cron import CronTrigger

if TYPE_CHECKING:  # the config validates with this module's readers: import it for types only
    from monitor.config.model import MaintenanceWindow

ALL_APPS: Final = "all"  # `apps: ["all"]` covers every app, including ones added later
SCOPE_ALL: Final = "*"  # the recorded scope of such a window (maintenance_log.scope)

_DAY_NAMES: Final = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")  # crontab order: 0 = Sun


class Occurrence(NamedTuple):
    window_id: str
    scope: str  # "*" for every app, else "app:" and the app ids joined by ","
    start: float  # inclusive, epoch seconds
    end: float  # exclusive


class Transitions(NamedTuple):
    began: list[Occurrence]
    ended: list[Occurrence]


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


class _Window:
    """One configured window, resolved to epoch seconds or a trigger, with its cached answer
    `span` = (lo, hi, on): over [lo, hi) the window is active exactly when `on`. It is one
    tuple so that it is replaced whole, never seen half updated."""

    __slots__ = ("apps", "config", "duration", "fixed", "scope", "span", "trigger", "tz")

    def __init__(self, config: MaintenanceWindow, default_tz: tzinfo) -> None:
        self.config = config
        self.tz = ZoneInfo(config.timezone) if config.timezone else default_tz
        self.apps = frozenset(config.apps)  # a window may list thousands of apps
        self.scope = SCOPE_ALL if ALL_APPS in self.apps else "app:" + ",".join(config.apps)
        self.fixed: tuple[float, float] | None = None
        self.trigger: CronTrigger | None = None
        self.duration = 0.0
        if config.cron is not None and config.duration_s is not None:
            self.trigger = crontab_trigger(config.cron, self.tz)
            self.duration = config.duration_s
        elif config.start is not None and config.end is not None:
            self.fixed = (self._epoch(config.start), self._epoch(config.end))
        self.span = (0.0, 0.0, False)  # empty: the first call computes it

    def _epoch(self, text: str) -> float:
        moment = parse_moment(text)
        return (moment if moment.tzinfo else moment.replace(tzinfo=self.tz)).timestamp()

    def covers(self, now: float) -> bool:
        lo, hi, on = self.span
        if lo <= now < hi:
            return on
        self.span = self._span(now)
        return self.span[2]

    def _span(self, now: float) -> tuple[float, float, bool]:
        if self.fixed is not None:
            start, end = self.fixed
            if now < start:
                return -math.inf, start, False
            return (start, end, True) if now < end else (end, math.inf, False)
        # The first start after now - duration is the occurrence that could still be running.
        begin = self._next_start(now - self.duration)
        if begin is not None and begin + self.duration <= now:  # ended at now: end is exclusive
            begin = self._next_start(begin + 1)
        if begin is None:
            return now, math.inf, False
        if begin <= now:
            return begin, begin + self.duration, True
        # None started within one duration before now; the earliest `now` this holds for is not
        # known without searching backwards, so the span starts here (results come in order).
        return now, begin, False

    def _next_start(self, after: float) -> float | None:
        """The first cron time at or after `after`, to the second (cron has no finer unit)."""
        assert self.trigger is not None
        fire = self.trigger.get_next_fire_time(None, datetime.fromtimestamp(after, self.tz))
        return None if fire is None else float(fire.timestamp())

    def between(self, start: float, end: float) -> Iterator[tuple[float, float]]:
        """Occurrences overlapping [start, end), in time order."""
        if self.fixed is not None:
            if self.fixed[0] < end and self.fixed[1] > start:
                yield self.fixed
            return
        begin = self._next_start(start - self.duration)
        while begin is not None and begin < end:
            if begin + self.duration > start:
                yield begin, begin + self.duration
            begin = self._next_start(begin + 1)


class MaintenanceCalendar:
    """The configured windows. Naive date-times and windows without a timezone take
    `default_tz` (service.timezone)."""

    def __init__(self, windows: Iterable[MaintenanceWindow], default_tz: str | tzinfo) -> None:
        tz = ZoneInfo(default_tz) if isinstance(default_tz, str) else default_tz
        self._windows = [_Window(window, tz) for window in windows]
        # Per named app its windows (with the "all" ones), in config order; others get _all.
        self._all = tuple(w for w in self._windows if w.scope == SCOPE_ALL)
        named = {app for w in self._windows for app in w.apps if app != ALL_APPS}
        self._by_app = {
            app: tuple(w for w in self._windows if w.scope == SCOPE_ALL or app in w.apps)
            for app in named
        }

    def active(self, app_id: str, now: float) -> MaintenanceWindow | None:
        """The first window (in config order) covering `app_id` at `now`, else None."""
        for window in self._by_app.get(app_id, self._all):
            if window.covers(now):
                return window.config
        return None

    def occurrences(self, start: float, end: float) -> list[Occurrence]:
        """Every occurrence of every window overlapping [start, end), by start time."""
        found = [
            Occurrence(w.config.id, w.scope, begin, finish)
            for w in self._windows
            for begin, finish in w.between(start, end)
        ]
        return sorted(found, key=lambda occurrence: (occurrence.start, occurrence.window_id))

    def transitions(self, previous_now: float, now: float) -> Transitions:
        """Occurrences that began, and those that ended, in (previous_now, now]: what the runner
        records (AlertStore.record_maintenance) and logs between two of its passes."""
        overlapping = self.occurrences(previous_now, math.nextafter(now, math.inf))
        return Transitions(
            began=[o for o in overlapping if previous_now < o.start <= now],
            ended=[o for o in overlapping if previous_now < o.end <= now],
        )
