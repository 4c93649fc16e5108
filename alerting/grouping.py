"""Grouping per channel, as Alertmanager does: a burst becomes a few digests, not a flood.

    gate = GroupGate(GroupTiming(wait_s=5, interval_s=15))
    gate.held_until(now)   # None: send what is due now; else hold it until then
    gate.sent(now)         # after each send

The first message of a burst goes out at once (the person on duty learns of trouble without
delay). What becomes due within `wait_s` after it waits and goes out together, as one digest;
after that, at most one message per `interval_s` while the burst lasts. A quiet spell of
`interval_s` ends the burst, so the next event is again sent at once.

Only channels read by people are grouped (DingTalk groups, e-mail). A webhook feeds another
system, which wants each event as it happens.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

from monitor.core.config.model import AlertingConfig, NotifierConfig

# The notifier kinds a person reads; they get digests. The rest (webhook) get every event.
GROUPED_KINDS: Final = frozenset({"dingtalk", "email"})


@dataclass(frozen=True, slots=True)
class GroupTiming:
    wait_s: float  # after a burst's first message, collect this long for the first digest
    interval_s: float  # then at most one message per interval while the burst lasts


class GroupGate:
    """When one channel may send next. In memory: after a restart a burst starts afresh,
    which at worst sends one message sooner than it would have."""

    def __init__(self, timing: GroupTiming) -> None:
        self.timing = timing
        self._last_sent: float | None = None
        self._opens_at: float | None = None

    def _in_burst(self, now: float) -> bool:
        span = max(self.timing.interval_s, self.timing.wait_s)
        return self._last_sent is not None and now - self._last_sent < span

    def held_until(self, now: float) -> float | None:
        """When due deliveries may go: None for now, else the time the gate opens."""
        if not self._in_burst(now) or self._opens_at is None or self._opens_at <= now:
            return None
        return self._opens_at

    def sent(self, now: float) -> None:
        """A message went out at `now`: the next one waits for the digest to fill."""
        gap = self.timing.interval_s if self._in_burst(now) else self.timing.wait_s
        self._last_sent = now
        self._opens_at = now + gap


def grouping_for(
    notifiers: Mapping[str, NotifierConfig], alerting: AlertingConfig
) -> dict[str, GroupTiming]:
    """notifier id -> its timing, for the notifiers a person reads (none when grouping is off:
    group_wait and group_interval both 0)."""
    timing = GroupTiming(alerting.group_wait_s, alerting.group_interval_s)
    if timing.wait_s <= 0 and timing.interval_s <= 0:
        return {}
    return {nid: timing for nid, n in notifiers.items() if n.kind in GROUPED_KINDS}
