"""Who is on duty when: the arithmetic of a rotation (monitor.core.config.oncall.Rotation).

    rota = Rota(rotation, ZoneInfo("Asia/Shanghai"), extra_overrides)
    shift = rota.on_duty(now)        # Shift(member, since, until) or None before the start
    rota.next_after(now)             # the one who takes over at shift.until (the backup, "+1")
    rota.handovers(t0, t1)           # every change of person in (t0, t1]

Turns begin at the handover time, local, on the start day and every day or week after it;
member k % n has turn k. An override puts its member on duty for its range, whoever's turn it
is; a later override wins over an earlier one where they overlap. Times are epoch seconds;
the calendar is the rotation's zone, so a handover at 09:00 stays at 09:00 local on a host
that runs in UTC.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from monitor.core.config.oncall import OncallMember, Rotation
from monitor.core.config.windows import parse_moment

TURN_DAYS = {"daily": 1, "weekly": 7}
MAX_SHIFTS_SCANNED = 10_000  # handovers() over a long range stops here (about 27 years daily)


@dataclass(frozen=True, slots=True)
class Override:
    member: str
    start: float
    end: float
    by: str | None = None  # who set it (through the API or console); None: the config
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Shift:
    member: OncallMember
    since: float
    until: float
    override: bool = False  # on duty through a swap, not by turn


class Rota:
    def __init__(self, rotation: Rotation, tz: ZoneInfo,
                 extra: Sequence[Override] = ()) -> None:
        self.rotation = rotation
        self.tz = ZoneInfo(rotation.timezone) if rotation.timezone else tz
        hour, minute = (int(part) for part in rotation.handover.split(":"))
        self._handover = dt.time(hour, minute)
        self._first_day = dt.date.fromisoformat(rotation.start)
        self._days = TURN_DAYS[rotation.turn]
        self.overrides = (*(self._configured(o.member, o.start, o.end)
                            for o in rotation.overrides), *extra)

    def _configured(self, member: str, start: str, end: str) -> Override:
        return Override(member, self._instant(start), self._instant(end))

    def _instant(self, text: str) -> float:
        moment = parse_moment(text)
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=self.tz)
        return moment.timestamp()

    # --- turns ------------------------------------------------------------------------------
    def turn_start(self, k: int) -> float:
        """When turn k begins (local handover time on its day)."""
        day = self._first_day + dt.timedelta(days=k * self._days)
        return dt.datetime.combine(day, self._handover, self.tz).timestamp()

    def turn_at(self, t: float) -> int:
        """The turn under way at `t` (negative before the first one)."""
        approx = math.floor((t - self.turn_start(0)) / (self._days * 86400))
        while self.turn_start(approx) > t:  # a DST day in the zone moves a boundary an hour
            approx -= 1
        while self.turn_start(approx + 1) <= t:
            approx += 1
        return approx

    def _by_turn(self, t: float) -> Shift | None:
        k = self.turn_at(t)
        if k < 0:
            return None
        members = self.rotation.members
        return Shift(members[k % len(members)], self.turn_start(k), self.turn_start(k + 1))

    def _override_at(self, t: float) -> Override | None:
        found = None
        for override in self.overrides:  # the last one that covers t wins
            if override.start <= t < override.end:
                found = override
        return found

    # --- who --------------------------------------------------------------------------------
    def on_duty(self, t: float) -> Shift | None:
        """Who is on duty at `t`, since when and until when (their stint: the turn, cut where
        an override begins or ends)."""
        override = self._override_at(t)
        if override is not None:
            member = self.rotation.member(override.member)
            return Shift(member, override.start, self._stint_end(t, member.name),
                         override=True)
        shift = self._by_turn(t)
        if shift is None:
            return None
        since = max([shift.since, *(o.end for o in self.overrides
                                    if shift.since < o.end <= t)])
        return Shift(shift.member, since, self._stint_end(t, shift.member.name))

    def _stint_end(self, t: float, name: str) -> float:
        """The first moment after `t` at which someone else is on duty."""
        candidates = sorted({*(o.start for o in self.overrides if o.start > t),
                             *(o.end for o in self.overrides if o.end > t),
                             self.turn_start(self.turn_at(t) + 1)})
        for moment in candidates:
            who = self._who(moment)
            if who != name:
                return moment
        return candidates[-1]

    def _who(self, t: float) -> str | None:
        override = self._override_at(t)
        if override is not None:
            return override.member
        shift = self._by_turn(t)
        return shift.member.name if shift else None

    def next_after(self, t: float) -> Shift | None:
        """Who takes over when the current stint ends: the backup ("oncall:<id>+1")."""
        current = self.on_duty(t)
        if current is None:
            first = self.turn_start(0)
            return self.on_duty(first) if first > t else None
        return self.on_duty(current.until)

    def handovers(self, after: float, until: float) -> list[tuple[float, Shift | None, Shift]]:
        """(when, from, to) for every change of person in (after, until]."""
        found: list[tuple[float, Shift | None, Shift]] = []
        t = after
        for _ in range(MAX_SHIFTS_SCANNED):
            current = self.on_duty(t)
            moment = current.until if current else self.turn_start(0)
            if moment > until or moment <= t:
                break
            following = self.on_duty(moment)
            if following is not None and (
                    current is None or following.member.name != current.member.name):
                found.append((moment, current, following))
            t = moment
        return found
