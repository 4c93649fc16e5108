"""Maintenance windows as a calendar: is this app in maintenance at `now`, which occurrences
overlap a report's period, and which began or ended since the runner last looked.

During a window probes keep running, but the engine opens no incident and sends nothing
(engine.Policy.in_maintenance). `active()` runs once per probe result, so each window caches
the span of time over which its answer stays the same and asks the cron trigger again only
when `now` leaves that span. Also home to the crontab and date-time readers that the config
(monitor.core.config.model.MaintenanceWindow) validates with, so both read them the same way.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator
from datetime import datetime, tzinfo
from typing import NamedTuple
from zoneinfo import ZoneInfo

from apscheduler.triggers.cron import CronTrigger

from monitor.core.config.model import MaintenanceWindow
from monitor.core.config.windows import ALL_APPS, SCOPE_ALL, crontab_trigger, parse_moment


class Occurrence(NamedTuple):
    window_id: str
    scope: str  # "*" for every app, else "app:" and the app ids joined by ","
    start: float  # inclusive, epoch seconds
    end: float  # exclusive


class Transitions(NamedTuple):
    began: list[Occurrence]
    ended: list[Occurrence]


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
