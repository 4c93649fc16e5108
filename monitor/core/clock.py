"""Wall-clock and monotonic time, from one object the composition root passes down."""

from __future__ import annotations

import time
from typing import Final


class Clock:
    """Wall-clock and monotonic time; tests substitute a fake where time must jump."""

    def now(self) -> float:
        return time.time()

    def monotonic(self) -> float:
        return time.monotonic()


SYSTEM_CLOCK: Final[Clock] = Clock()
