"""The tests' clock: wall and monotonic time that move only when a test says so."""

from __future__ import annotations

import time

from monitor.core.clock import Clock

# 2025-11-24T16:00:00Z (2025-11-25 00:00 +08:00): an exact UTC hour and a local midnight,
# so tests can place results around hour and day boundaries.
T0 = 1_764_000_000.0


class ManualClock(Clock):
    """Wall time starts at `now` (default T0); both it and monotonic time move by `advance`."""

    def __init__(self, now: float = T0) -> None:
        self.wall = now
        self.mono = 1000.0

    def now(self) -> float:
        return self.wall

    def monotonic(self) -> float:
        return self.mono

    def advance(self, seconds: float) -> None:
        self.wall += seconds
        self.mono += seconds


class StepClock(ManualClock):
    """Starts at the real time: a DingTalk-style robot checks the signature timestamp against
    its own clock, which must be within an hour of it."""

    def __init__(self) -> None:
        super().__init__(time.time())
