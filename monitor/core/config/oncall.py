"""The duty rota as configured (`oncall:`, CONTRACT.md §2): rotations of members taking turns.

    oncall:
      - id: "ops"
        handover: "09:00"               # local time (service.timezone, or the rotation's)
        turn: "weekly"                  # daily | weekly
        start: "2026-12-07"             # the first member's first shift starts then
        members:
          - { name: "李明", mobile: "13800000011", email: "liming@example.org" }
          - { name: "王芳", mobile: "13800000012" }
        overrides:                      # swaps: this member for this time range
          - { member: "王芳", start: "2026-12-24T09:00:00+08:00", end: "2026-12-25T09:00:00+08:00" }
        notify: ["oncall-robot"]        # who hears of each handover (default: none)

The arithmetic (who is on duty when) is alerting.rota's; here only the shape and its rules.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Final, Literal

from monitor.core.config.windows import check_one_off
from monitor.core.configtext import ConfigValueError
from monitor.core.fields import setting

HANDOVER_RE: Final = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")
# Escalation targets: "oncall:ops" whoever is on duty in rotation ops, "oncall:ops+1" the next.
ONCALL_PREFIX: Final = "oncall:"
BACKUP_SUFFIX: Final = "+1"


def parse_target(target: str) -> tuple[str, bool] | None:
    """("ops", False) for "oncall:ops", ("ops", True) for "oncall:ops+1", else None."""
    if not target.startswith(ONCALL_PREFIX):
        return None
    rest = target[len(ONCALL_PREFIX):]
    backup = rest.endswith(BACKUP_SUFFIX)
    return (rest[: -len(BACKUP_SUFFIX)] if backup else rest), backup


@dataclass(frozen=True)
class OncallMember:
    name: str = setting(doc="the person's name, as people know them")
    mobile: str | None = setting(None, doc="mobile number, @-mentioned on DingTalk robots")
    email: str | None = setting(None, doc="mail address, mailed through the first email notifier")

    def __post_init__(self) -> None:
        if not self.name.strip():
            raise ConfigValueError("oncall.member_name")


@dataclass(frozen=True)
class OncallOverride:
    """A swap: `member` is on duty from `start` to `end`, whoever's turn it would be."""

    member: str = setting(doc="a member's name (of this rotation)")
    start: str = setting(doc="ISO 8601, e.g. 2026-12-24T09:00:00+08:00 (no offset: timezone)")
    end: str = setting(doc="ISO 8601, exclusive")

    def __post_init__(self) -> None:
        check_one_off(self.start, self.end)


@dataclass(frozen=True)
class Rotation:
    id: str = setting(doc="stable id, [a-z0-9][a-z0-9-]*; escalation targets say oncall:<id>")
    members: tuple[OncallMember, ...] = setting(doc="who takes turns, in order")
    start: str = setting(doc="YYYY-MM-DD: the first member's first shift begins that day")
    handover: str = setting("09:00", doc="HH:MM local time of each handover")
    turn: Literal["daily", "weekly"] = setting("weekly", doc="length of one member's turn")
    name: str | None = setting(None, doc="what people call the rotation, e.g. 运维值班")
    timezone: str | None = setting(None, doc="IANA zone of handover and start; "
                                   "default service.timezone")
    overrides: tuple[OncallOverride, ...] = setting((), doc="swaps for a time range")
    notify: tuple[str, ...] = setting(
        (), doc="notifiers told of each handover (who hands over to whom, open incidents)")

    def __post_init__(self) -> None:
        if not self.members:
            raise ConfigValueError("oncall.no_members")
        names = [m.name for m in self.members]
        if len(set(names)) != len(names):
            raise ConfigValueError("oncall.duplicate_member")
        if not HANDOVER_RE.match(self.handover):
            raise ConfigValueError("oncall.handover", text=self.handover)
        try:
            dt.date.fromisoformat(self.start)
        except ValueError:
            raise ConfigValueError("oncall.start", text=self.start) from None
        for override in self.overrides:
            if override.member not in names:
                raise ConfigValueError("oncall.override_member", member=override.member)

    @property
    def title(self) -> str:
        return self.name or self.id

    def member(self, name: str) -> OncallMember:
        return next(m for m in self.members if m.name == name)
