"""The service's own health on the wall, and the rule that tells when the wall's data is stale.

A wall must never show green tiles from data that stopped coming: when the newest result of
any check is older than STALE_FACTOR times the shortest check interval (or, before any result,
the service has been up that long), the data is stale and the whole wall turns grey with a
banner counting the seconds since the newest result. wall.js applies the same rule against the
server's clock (each stream event carries it), and also turns grey when the stream drops.

Pure: the caller passes what it read (check states, active incidents, the outbox backlog, the
probes in flight) and the time.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Final

from alerting.model import Incident, IncidentKind
from alerting.runner import MONITOR_KEY
from monitor.core.config.model import Config
from monitor.ledger.types import CheckKey, CheckState

STALE_FACTOR: Final = 2.0  # a check missed two runs in a row: the wall no longer says the truth
GUARD_OFF: Final = "off"  # no connectivity guard configured
GUARD_OK: Final = "ok"
GUARD_CUT: Final = "cut"  # the guard found the monitor cut off: app failures are not trusted


@dataclass(frozen=True, slots=True)
class Health:
    checks: int  # checks configured
    in_flight: int  # probe runs in progress
    newest_ms: int | None  # the newest result of any check (epoch ms); None: none yet
    basis_ms: int  # what staleness is measured from: the newest result, else the start
    stale_after_ms: int  # older than this: stale
    backlog: int  # notifications waiting in the outbox
    guard: str  # GUARD_OFF | GUARD_OK | GUARD_CUT

    def stale_s(self, now: float) -> int | None:
        """Seconds since the newest result when the data is stale, else None."""
        age_ms = now * 1000 - self.basis_ms
        return int(age_ms // 1000) if age_ms > self.stale_after_ms else None

    def patch(self) -> dict[str, object]:
        return {"checks": self.checks, "running": self.in_flight, "newest": self.newest_ms,
                "basis": self.basis_ms, "stale_after": self.stale_after_ms,
                "backlog": self.backlog, "guard": self.guard}


def stale_after_s(config: Config) -> float:
    intervals = [check.interval_s for app in config.apps for check in app.checks]
    return STALE_FACTOR * min(intervals, default=config.defaults.interval_s)


def guard_state(config: Config, active: Iterable[Incident]) -> str:
    if config.service.connectivity is None:
        return GUARD_OFF
    cut = any(i.is_active and i.kind == IncidentKind.MONITOR
              and (i.app_id, i.check_id) == MONITOR_KEY for i in active)
    return GUARD_CUT if cut else GUARD_OK


def health(config: Config, states: Mapping[CheckKey, CheckState], active: Iterable[Incident],
           *, started_at: float, backlog: int, in_flight: int) -> Health:
    newest = max((s.last_run_at for s in states.values() if s.last_run_at is not None),
                 default=None)
    basis = newest if newest is not None else started_at
    return Health(
        checks=sum(len(app.checks) for app in config.apps), in_flight=in_flight,
        newest_ms=None if newest is None else round(newest * 1000), basis_ms=round(basis * 1000),
        stale_after_ms=round(stale_after_s(config) * 1000), backlog=backlog,
        guard=guard_state(config, active))
