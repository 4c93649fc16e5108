"""Runs every check on its interval with APScheduler's asyncio scheduler.

First runs are spread over the interval by a stable hash of the check's key (no thundering herd
after a start or reload), to a grain of SLOT_S: the checks of one interval that fall in the same
slot share one APScheduler job, which starts each of them as its own task. (APScheduler spends
about 120 µs of CPU per job it fires, measured at 2,000 checks; a job per slot rather than per
check pays that once for every check in the slot.) A run still going when the check is due again
is skipped and counted as missed, never queued; after a stall, a slot runs once, not a burst of
catch-up runs. A global semaphore caps runs in flight. Lateness = start time minus the time the
run was due.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import math
import time
import zlib
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Final

import structlog
from apscheduler.events import EVENT_JOB_MISSED, JobEvent
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.interval import IntervalTrigger
from structlog.contextvars import bound_contextvars

from monitor.core.clock import Clock
from monitor.core.config.model import AppConfig, CheckConfig, Config
from monitor.ledger.types import Ledger
from monitor.metrics import CheckLabels, CheckSeries, Metrics
from monitor.ownfaults import OwnFaults
from monitor.verdicts import localized
from probes.base import ProbeResult
from probes.context import ProbeContext, ProbeResources
from probes.registry import PROBE_KINDS, ProbeKind, run_probe, ssl_keys

log = structlog.get_logger("scheduler")

CheckKey = tuple[str, str]
SlotKey = tuple[float, int]  # (interval, phase within it in slots)
ResultHook = Callable[["ScheduledCheck", ProbeResult], None]
# Lateness samples kept for `stats()` (benchmarks, the console): bounded memory.
LATENESS_SAMPLES: Final = 100_000
# The grain of first runs: checks of one interval due within the same SLOT_S start together.
SLOT_S: Final = 0.1


@dataclass
class ScheduledCheck:
    """A check as the scheduler runs it: its config plus what it needs at run time."""

    app: AppConfig
    check: CheckConfig
    kind: ProbeKind
    series: CheckSeries
    first_run_at: float  # a multiple of SLOT_S
    task: asyncio.Task[None] | None = None  # the run in flight, if any

    @property
    def key(self) -> CheckKey:
        return (self.app.id, self.check.id)

    @property
    def slot(self) -> SlotKey:
        interval = self.check.interval_s
        return (interval, round((self.first_run_at % interval) / SLOT_S))

    def due_at(self, now: float) -> float:
        """The scheduled time of the run that should be starting at `now`."""
        if now <= self.first_run_at:
            return self.first_run_at
        interval = self.check.interval_s
        return self.first_run_at + ((now - self.first_run_at) // interval) * interval


@dataclass
class SchedulerStats:
    runs: int = 0
    missed: int = 0
    lateness_s: deque[float] = field(default_factory=lambda: deque(maxlen=LATENESS_SAMPLES))


@dataclass(frozen=True)
class ApplyDiff:
    added: tuple[CheckKey, ...]
    removed: tuple[CheckKey, ...]
    changed: tuple[CheckKey, ...]
    unchanged: int


def check_labels(app: AppConfig, check: CheckConfig) -> CheckLabels:
    return CheckLabels(app.id, check.id, check.kind, app.department, str(app.tier))


def spread_offset(key: CheckKey, interval_s: float) -> float:
    """A stable offset in [0, interval) from the check's key: same spread after a restart."""
    return (zlib.crc32(f"{key[0]}/{key[1]}".encode()) % 10_000) / 10_000 * interval_s


class Scheduler:
    def __init__(
        self,
        *,
        ledger: Ledger,
        metrics: Metrics,
        resources: ProbeResources,
        clock: Clock,
        max_concurrency: int,
        own_faults: OwnFaults | None = None,
    ) -> None:
        self._ledger = ledger
        self._own_faults = own_faults or OwnFaults()
        self._language = "zh-CN"  # set by apply()
        self._metrics = metrics
        self._resources = resources
        self._clock = clock
        self._semaphore = asyncio.Semaphore(max_concurrency)
        self._checks: dict[CheckKey, ScheduledCheck] = {}
        self._slots: dict[SlotKey, dict[CheckKey, ScheduledCheck]] = {}
        self._next_due: dict[SlotKey, float] = {}  # fire_due's own bookkeeping
        self._hooks: list[ResultHook] = []
        self._aps: AsyncIOScheduler | None = None
        self._running: set[asyncio.Task[None]] = set()
        self._stopping = False
        self.stats = SchedulerStats()

    # ---- configuration -------------------------------------------------------------------
    def add_result_hook(self, hook: ResultHook) -> None:
        """Called with every result after it is recorded (the incident engine subscribes)."""
        self._hooks.append(hook)

    async def prepare(self, config: Config) -> None:
        """Build what the checks of `config` need before they run: their SSL contexts, in a
        worker thread, so that no run builds one on the event loop while others are timed."""
        await self._resources.prepare_ssl(
            key for _, check in config.iter_checks() for key in ssl_keys(check.kind, check.spec)
        )

    def apply(self, config: Config) -> ApplyDiff:
        """Make the scheduled checks match `config`; unchanged checks keep their job and state."""
        self._language = config.service.language
        wanted = {(app.id, check.id): (app, check) for app, check in config.iter_checks()}
        removed = [key for key in self._checks if key not in wanted]
        added: list[CheckKey] = []
        changed: list[CheckKey] = []
        for key in removed:
            self._unschedule(key)
        for key, (app, check) in wanted.items():
            current = self._checks.get(key)
            if current is not None and _same(current, app, check):
                current.app = app  # names and owners may change without touching the schedule
                continue
            (changed if current is not None else added).append(key)
            if current is not None:
                self._unschedule(key)
            self._schedule(app, check)
        self._metrics.checks.set(len(self._checks))
        return ApplyDiff(tuple(added), tuple(removed), tuple(changed),
                         len(wanted) - len(added) - len(changed))

    def checks(self) -> Iterable[ScheduledCheck]:
        return self._checks.values()

    def _schedule(self, app: AppConfig, check: CheckConfig) -> None:
        key = (app.id, check.id)
        first = self._clock.now() + spread_offset(key, check.interval_s)
        scheduled = ScheduledCheck(
            app=app, check=check, kind=PROBE_KINDS[check.kind],
            series=self._metrics.series(check_labels(app, check)),
            first_run_at=math.ceil(first / SLOT_S) * SLOT_S,
        )
        self._checks[key] = scheduled
        members = self._slots.setdefault(scheduled.slot, {})
        members[key] = scheduled
        if self._aps is not None and len(members) == 1:
            self._add_job(scheduled)

    def _unschedule(self, key: CheckKey) -> None:
        scheduled = self._checks.pop(key)
        scheduled.series.remove()
        members = self._slots[scheduled.slot]
        del members[key]
        if members:
            return
        del self._slots[scheduled.slot]
        if self._aps is not None and self._aps.get_job(_job_id(scheduled.slot)) is not None:
            self._aps.remove_job(_job_id(scheduled.slot))

    def _add_job(self, first: ScheduledCheck) -> None:
        """The job of `first`'s slot; the slot's later members share its fire times."""
        assert self._aps is not None
        interval = first.check.interval_s
        self._aps.add_job(
            self._run_slot,
            IntervalTrigger(
                seconds=interval,
                start_date=dt.datetime.fromtimestamp(first.first_run_at, dt.UTC),
            ),
            args=(first.slot,),
            id=_job_id(first.slot),
            max_instances=1,  # the job only starts tasks: it never overlaps itself
            coalesce=True,  # after a stall, run once, not a burst of catch-up runs
            misfire_grace_time=max(1, int(interval)),
        )

    # ---- running -------------------------------------------------------------------------
    def start(self) -> None:
        """Start the timed jobs (needs a running event loop)."""
        self._aps = AsyncIOScheduler(timezone=dt.UTC)
        self._aps.add_listener(self._on_missed, EVENT_JOB_MISSED)
        for members in self._slots.values():
            self._add_job(next(iter(members.values())))
        self._aps.start()

    async def shutdown(self) -> None:
        """Stop scheduling and wait for runs in flight, so their results are recorded."""
        self._stopping = True
        self._own_faults.stopping = True
        if self._aps is not None:
            self._aps.pause()  # no new runs; shutdown() would cancel the runs in flight
        # Jobs submitted just before the pause start on the next loop turns; let them
        # either register as running or see `_stopping` and return.
        for _ in range(2):
            await asyncio.sleep(0)
        if self._running:
            await asyncio.gather(*self._running, return_exceptions=True)
        if self._aps is not None:
            self._aps.shutdown(wait=False)
            self._aps = None

    async def run_once(self, app_id: str | None = None) -> list[tuple[ScheduledCheck, ProbeResult]]:
        """Run every check (or one app's) once, concurrently within the cap."""
        chosen = [s for s in self._checks.values() if app_id is None or s.app.id == app_id]
        results = await asyncio.gather(*(self._run(s, measure_lateness=False) for s in chosen))
        return list(zip(chosen, results, strict=True))

    def _on_missed(self, event: JobEvent) -> None:
        """A slot's time passed while the loop was stalled: each of its checks missed a run."""
        members = self._slots.get(_slot_of(event.job_id), {})
        for scheduled in members.values():
            self._missed(scheduled, "too_late")

    def _missed(self, scheduled: ScheduledCheck, reason: str) -> None:
        scheduled.series.missed.inc()
        self.stats.missed += 1
        log.warning("run_missed", app=scheduled.app.id, check=scheduled.check.id, reason=reason)

    async def _run_slot(self, slot: SlotKey) -> None:
        """APScheduler's job: start a run of every check of the slot, each its own task."""
        self._start_slot(slot)

    def _start_slot(self, slot: SlotKey) -> list[asyncio.Task[None]]:
        started: list[asyncio.Task[None]] = []
        if self._stopping:
            return started
        for scheduled in list(self._slots.get(slot, {}).values()):
            running = scheduled.task
            if running is not None and not running.done():
                self._missed(scheduled, "still_running")  # never overlap a check with itself
                continue
            task = asyncio.create_task(self._run_job(scheduled))
            scheduled.task = task
            self._running.add(task)
            task.add_done_callback(self._running.discard)
            started.append(task)
        return started

    def fire_due(self) -> list[asyncio.Task[None]]:
        """Run-once mode, without APScheduler: start every slot due by the clock's now, as the
        timers would (tests move a fake clock instead of waiting). After a jump, a slot runs
        once, not once per interval missed (as APScheduler's coalescing does)."""
        now = self._clock.now()
        started: list[asyncio.Task[None]] = []
        for slot, members in list(self._slots.items()):
            due = self._next_due.get(slot, next(iter(members.values())).first_run_at)
            if due <= now:
                started += self._start_slot(slot)
                interval = slot[0]
                self._next_due[slot] = due + ((now - due) // interval + 1) * interval
        return started

    async def _run_job(self, scheduled: ScheduledCheck) -> None:
        try:
            await self._run(scheduled, measure_lateness=True)
        except Exception:  # a failing hook must not reach the event loop's error handler
            log.exception("run_failed", app=scheduled.app.id, check=scheduled.check.id)

    async def _run(self, scheduled: ScheduledCheck, *, measure_lateness: bool) -> ProbeResult:
        # Everything logged during this run (probe, ledger, hooks) carries the app and check.
        with bound_contextvars(app=scheduled.app.id, check=scheduled.check.id):
            return await self._run_bound(scheduled, measure_lateness=measure_lateness)

    async def _run_bound(self, scheduled: ScheduledCheck, *, measure_lateness: bool
                         ) -> ProbeResult:
        async with self._semaphore:
            if measure_lateness:
                now = self._clock.now()
                lateness = max(0.0, now - scheduled.due_at(now))
                self._metrics.lateness.observe(lateness)
                self.stats.lateness_s.append(lateness)
            ctx = ProbeContext(scheduled.check.timeout_s, self._resources, self._clock)
            self._metrics.in_flight.inc()
            started = time.monotonic()
            try:
                result = await run_probe(scheduled.kind, scheduled.check.spec, ctx)
            finally:
                self._metrics.in_flight.dec()
            result = self._own_faults.judge(result, started, time.monotonic())
            # From here on people read it: the message in the service's language.
            result = localized(result, self._language)
        self._handle(scheduled, result)
        return result

    def _handle(self, scheduled: ScheduledCheck, result: ProbeResult) -> None:
        """Everything a result feeds, in one place: metrics, ledger, state-change log, hooks."""
        self.stats.runs += 1
        previous = self._ledger.check_state(scheduled.app.id, scheduled.check.id)
        scheduled.series.observe(result)
        self._ledger.record(scheduled.app.id, scheduled.check.id, scheduled.check.kind, result)
        if result.unknown:
            if previous is None or not previous.last_unknown:
                log.warning("check_unknown", message=result.message)
        elif previous is None or previous.last_ok != result.ok or previous.last_unknown:
            log.info("check_up" if result.ok else "check_down",
                     error_kind=result.error_kind, message=result.message)
        for hook in self._hooks:
            hook(scheduled, result)


def _job_id(slot: SlotKey) -> str:
    return f"slot/{slot[0]!r}/{slot[1]}"


def _slot_of(job_id: str) -> SlotKey:
    _, interval, phase = job_id.split("/")
    return (float(interval), int(phase))


def _same(current: ScheduledCheck, app: AppConfig, check: CheckConfig) -> bool:
    return (current.check.fingerprint() == check.fingerprint()
            and check_labels(current.app, current.check) == check_labels(app, check))
