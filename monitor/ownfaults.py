"""The monitor never blames an app for its own faults (DESIGN.md rule 14).

A run that failed because of this machine says nothing about the app: its outcome becomes
`unknown` (监测异常). The causes, checked in this order:

- the probe ran out of this machine's resources (error kind MONITOR: EMFILE, ENFILE, ENOBUFS,
  ENOMEM; see probes.errors);
- the service was shutting down while the run was in flight;
- the event loop stalled longer than LOOP_STALL_S during the run (every timer of the run
  fired late: a timeout or a slow answer may be ours);
- the connectivity guard found the monitor cut off from the network while the run was going.

Passing runs are never touched: an answer that arrived is an answer.
"""

from __future__ import annotations

import asyncio
import dataclasses
import time
from collections import deque
from collections.abc import Callable
from typing import Final

import structlog

from monitor.core.i18n import EN
from monitor.core.reasons import Reason, render
from probes.base import ErrorKind, ProbeResult

log = structlog.get_logger("ownfaults")

# A stall of the event loop at least this long during a run makes a failed run `unknown`.
LOOP_STALL_S: Final = 0.5
# How often the loop watch wakes: finer notices shorter stalls, at a few µs of CPU a wake.
WATCH_STEP_S: Final = 0.1
# Stalls remembered: enough to cover the longest probe timeout at any plausible stall rate.
STALLS_KEPT: Final = 256


class LoopWatch:
    """Notices when the event loop stalls: a task that should wake every WATCH_STEP_S and
    records each wake-up that came LOOP_STALL_S or more late."""

    def __init__(self, threshold_s: float = LOOP_STALL_S) -> None:
        self.threshold_s = threshold_s
        self._stalls: deque[tuple[float, float]] = deque(maxlen=STALLS_KEPT)
        self._last = time.monotonic()
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._last = time.monotonic()
        self._task = asyncio.create_task(self._watch(), name="loop-watch")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
            self._task = None

    async def _watch(self) -> None:
        while True:
            await asyncio.sleep(WATCH_STEP_S)
            now = time.monotonic()
            late = now - self._last - WATCH_STEP_S
            if late >= self.threshold_s:
                self._stalls.append((self._last + WATCH_STEP_S, now))
                log.warning("event_loop_stalled", seconds=round(late, 2))
            self._last = now

    def worst_stall(self, start: float, end: float) -> float:
        """The longest stall (seconds) overlapping [start, end], monotonic time; a stall still
        going on (the watch has not woken yet) counts up to `end`."""
        stalls = list(self._stalls)
        if self._task is not None:
            ongoing = (self._last + WATCH_STEP_S, end)
            if ongoing[1] - ongoing[0] >= self.threshold_s:
                stalls.append(ongoing)
        return max(
            (min(e, end) - max(s, start) for s, e in stalls if s < end and e > start),
            default=0.0,
        )


class OwnFaults:
    """Judges whether a failed run was the monitor's fault (see the module doc)."""

    def __init__(self, watch: LoopWatch | None = None,
                 cut_off_at: Callable[[float], bool] | None = None) -> None:
        self.watch = watch
        self.stopping = False  # set when the service begins to stop
        self._cut_off_at = cut_off_at  # whether the monitor was cut off at a wall-clock time

    def judge(self, result: ProbeResult, started: float, ended: float) -> ProbeResult:
        """`result`, or an `unknown` one naming the monitor's fault. `started` and `ended`
        are the run's monotonic bounds."""
        if result.ok or result.unknown:
            return result
        reason: Reason | None
        if result.error_kind is ErrorKind.MONITOR:
            why = result.message.removeprefix("this machine: ")
            reason = Reason("monitor.resources", {"why": why})
        else:
            reason = self._reason(result, started, ended)
        if reason is None:
            return result
        return dataclasses.replace(result, unknown=True, error_kind=ErrorKind.MONITOR,
                                   message=render(reason, EN), reason=reason)

    def _reason(self, result: ProbeResult, started: float, ended: float) -> Reason | None:
        seen = result.reason or result.message  # what the probe saw, shown alongside
        if self.stopping:
            return Reason("monitor.stopping", {"seen": seen})
        if self.watch is not None:
            stall = self.watch.worst_stall(started, ended)
            if stall >= self.watch.threshold_s:
                return Reason("monitor.stalled", {"stall_s": stall, "seen": seen})
        if self._cut_off_at is not None and self._cut_off_at(result.started_at):
            return Reason("monitor.cut_off", {"seen": seen})
        return None
