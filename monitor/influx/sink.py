"""The InfluxDB series sink: batches lines, writes them, and spools them to disk on outages.

    add(line) ─► buffer ─(batch_size lines or flush_interval)─► memory batches ─► sender ─► InfluxDB
                                                     │ outage, or over the memory cap        ▲
                                                     ▼                                       │
                                              spool (disk, oldest first) ────────────────────┘

`add` runs on the event loop for every probe result: a list append, nothing else, unless a batch
fills (then one more append). Two tasks do the rest: a ticker seals the buffer every
`flush_interval`, and one sender writes batches one request at a time. The sender always sends
the spool's oldest records before any batch in memory, so points reach InfluxDB in the order
they were added. A failed write is retried with exponential backoff and jitter; while writes
fail, every sealed batch goes to the spool (an outage of hours costs disk, not memory, and
survives a restart). Memory holds at most `memory_max_lines`; beyond it the oldest batches spill
to the spool even while InfluxDB is healthy but slow. Spool IO and its compression run on one
dedicated thread, in submission order; only the request's gzip runs on the loop, inside
influxdb-client (~3 ms per 1,000 lines at its level 9).

Timestamps are milliseconds (write precision ms): checks may run more than once a second, and
in one series a second point with the same timestamp replaces the first, so seconds would lose
runs; ms is the coarsest unit that keeps them apart, finer ones only cost bytes.

Delivery: a spooled batch leaves the spool only after InfluxDB accepted it, so outages and
restarts lose nothing and send nothing twice. Only a crash between InfluxDB's answer and that
bookkeeping resends the batch once; to InfluxDB the same series and timestamp are the same point.

Any line can be added: probe results come from the scheduler hook (monitor/service.py), and
incident or traffic lines (monitor/influx/points.py) go through the same `add`.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import random
from collections import deque
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import structlog

from alerting.retry import RetryPolicy
from monitor.core.clock import Clock
from monitor.core.config.model import InfluxConfig
from monitor.core.constants import (
    INFLUX_LOG_EVERY_S,
    INFLUX_MEMORY_MAX_LINES,
    INFLUX_RETRY_BASE_S,
    INFLUX_RETRY_CAP_S,
    INFLUX_SEGMENT_BYTES,
)
from monitor.influx.health import SinkHealth
from monitor.influx.lines import join_lines
from monitor.influx.spool import SPOOL_DIR, Spool
from monitor.influx.writer import Action, Failure, InfluxWriter
from monitor.influxmetrics import InfluxMetrics

log = structlog.get_logger("influx")
T = TypeVar("T")


@dataclass(frozen=True)
class SinkTuning:
    """Knobs that are not config; the defaults are the service's, tests shrink them."""

    memory_max_lines: int = INFLUX_MEMORY_MAX_LINES
    segment_bytes: int = INFLUX_SEGMENT_BYTES
    retry_base_s: float = INFLUX_RETRY_BASE_S
    retry_cap_s: float = INFLUX_RETRY_CAP_S
    log_every_s: float = INFLUX_LOG_EVERY_S


@dataclass(slots=True)
class _Batch:
    seq: int  # order of sealing; spool segments are named by it
    lines: list[str]


class InfluxSink:
    def __init__(self, config: InfluxConfig, *, data_dir: Path, clock: Clock,
                 metrics: InfluxMetrics, tuning: SinkTuning | None = None) -> None:
        self._config = config
        self._clock = clock
        self._metrics = metrics
        self._tuning = tuning = tuning or SinkTuning()
        self._writer = InfluxWriter(config)
        # Segments of at most 1/8 of the budget, so a budget drop never takes more than that.
        segment_bytes = max(4096, min(tuning.segment_bytes, config.spool_max // 8))
        self._spool = Spool(Path(data_dir) / SPOOL_DIR, max_bytes=config.spool_max,
                            segment_bytes=segment_bytes)
        self._retry = RetryPolicy(tuning.retry_base_s, tuning.retry_cap_s)
        self._rng = random.Random()  # noqa: S311 - jitter, not cryptography
        self._io: ThreadPoolExecutor | None = None
        self._buffer: list[str] = []
        self._memory: deque[_Batch] = deque()
        self._memory_lines = 0
        self._seq = 0
        self._unsettled: set[int] = set()  # sealed batches neither written, spooled nor dropped
        self._settled = asyncio.Event()
        self._wake = asyncio.Event()  # the sender has something to do
        self._stopping = asyncio.Event()
        self._spilling = 0  # spool appends submitted, not yet done
        self._health = SinkHealth(metrics, clock, log_every_s=tuning.log_every_s,
                                  spooled=lambda: self._spool.lines, spool_max=config.spool_max)
        self._tasks: list[asyncio.Task[None]] = []
        self._started = self._closing = self._closed = False
        metrics.watch(buffered=lambda: len(self._buffer) + self._memory_lines,
                      spool_points=lambda: self._spool.lines,
                      spool_bytes=lambda: self._spool.bytes)

    def __repr__(self) -> str:
        return f"InfluxSink({self._writer!r}, spooled={self._spool.lines})"

    # ---- the hot path --------------------------------------------------------------------
    def add(self, line: str) -> None:
        """Queue one line-protocol line (ms timestamp). O(1); never blocks, never raises."""
        if self._closed:
            self._metrics.dropped.labels("closed").inc()
            return
        buffer = self._buffer
        buffer.append(line)
        if len(buffer) >= self._config.batch_size and self._started:
            self._seal()

    # ---- lifecycle -----------------------------------------------------------------------
    async def start(self) -> None:
        """Open the spool (its backlog is sent first) and the client; start the tasks."""
        self._io = ThreadPoolExecutor(1, thread_name_prefix="influx-spool")
        await self._run_io(self._spool.open)
        self._seq = self._spool.next_seq
        await self._writer.open()
        self._started = True
        self._tasks = [asyncio.create_task(self._tick(), name="influx-tick"),
                       asyncio.create_task(self._send_loop(), name="influx-send")]
        log.info("influx_sink_started", url=self._config.url, bucket=self._config.bucket,
                 spooled_points=self._spool.lines, spool_bytes=self._spool.bytes)

    async def flush(self) -> None:
        """Return once every line added so far is written, spooled or dropped (and counted)."""
        assert self._started, "sink not started"
        self._seal()
        if self._spool_pending():  # memory batches would wait behind the backlog: spool them
            self._spill(force=True)
        target = self._seq - 1
        while self._unsettled and min(self._unsettled) <= target:
            self._settled.clear()
            await self._settled.wait()

    async def close(self) -> None:
        """Flush, finish the request in flight, and stop; unsent points stay in the spool."""
        if self._closed or not self._started:
            self._closed = True
            return
        await self.flush()
        self._closing = True
        self._stopping.set()
        self._wake.set()
        await self._tasks[1]  # the sender: ends after its request in flight (bounded by timeout)
        self._tasks[0].cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._tasks[0]
        while True:  # lines added meanwhile go to the spool too, up to the last moment
            self._seal()
            self._spill(force=True)
            if not self._unsettled:
                break
            self._settled.clear()
            await self._settled.wait()
        self._closed = True
        await self._writer.close()
        await self._run_io(self._spool.close)
        assert self._io is not None
        self._io.shutdown(wait=True)
        log.info("influx_sink_closed", spooled_points=self._spool.lines)

    # ---- batching and spilling -----------------------------------------------------------
    async def _tick(self) -> None:
        while True:
            await asyncio.sleep(self._config.flush_interval_s)
            self._seal()

    def _seal(self) -> None:
        if not self._buffer:
            return
        batch = _Batch(self._seq, self._buffer)
        self._seq += 1
        self._buffer = []
        self._memory.append(batch)
        self._memory_lines += len(batch.lines)
        self._unsettled.add(batch.seq)
        self._spill()
        self._wake.set()

    def _spill(self, *, force: bool = False) -> None:
        """Move memory batches to the spool, oldest first: all of them during an outage (they
        would wait anyway, and on disk they survive a restart), else those over the cap."""
        spill_all = force or self._closing or self._health.in_outage
        cap = self._tuning.memory_max_lines
        while self._memory and (spill_all or self._memory_lines > cap):
            batch = self._memory.popleft()
            self._memory_lines -= len(batch.lines)
            self._to_spool(batch, front=False)

    def _to_spool(self, batch: _Batch, *, front: bool) -> None:
        assert self._io is not None
        write = self._spool.insert_front if front else self._spool.append

        def call() -> int:
            return write(batch.seq, join_lines(batch.lines), len(batch.lines))

        self._spilling += 1
        future = asyncio.get_running_loop().run_in_executor(self._io, call)
        future.add_done_callback(functools.partial(self._spooled, batch))

    def _spooled(self, batch: _Batch, future: asyncio.Future[int]) -> None:
        self._spilling -= 1
        self._settle(batch.seq)
        error = None if future.cancelled() else future.exception()
        if error is not None or future.cancelled():
            self._health.dropped("spool_error", len(batch.lines), error=repr(error))
        elif dropped := future.result():
            self._health.dropped("budget", dropped)
        self._wake.set()

    def _settle(self, seq: int) -> None:
        self._unsettled.discard(seq)
        self._settled.set()

    def _spool_pending(self) -> bool:
        return self._spilling > 0 or self._spool.lines > 0

    # ---- sending -------------------------------------------------------------------------
    async def _send_loop(self) -> None:
        while not self._stopping.is_set():
            try:
                if self._spool_pending():
                    await self._send_spooled()
                elif self._memory:
                    await self._send_memory()
                else:
                    self._wake.clear()
                    await self._wake.wait()
            except Exception as exc:  # the spool's disk failing must not end the sender for good
                self._health.internal_error(self._writer.mask(repr(exc)))
                await self._backoff(Failure("internal", Action.HOLD, None, ""))

    async def _send_spooled(self) -> None:
        records, corrupt = await self._run_io(self._spool.read, self._config.batch_size)
        if corrupt:
            self._health.dropped("corrupt", corrupt)
        if not records:
            await asyncio.sleep(0.01)  # a spill still finishing: let its callback run
            return
        failure = await self._send(b"".join(r.payload for r in records),
                                   sum(r.lines for r in records))
        if failure is None or failure.action is Action.DROP:
            await self._run_io(self._spool.commit, records)
        else:
            await self._backoff(failure)

    async def _send_memory(self) -> None:
        # Taken only while the spool is empty, so this batch is older than anything spilled
        # during its request; if it fails it goes to the front of the spool.
        batch = self._memory.popleft()
        self._memory_lines -= len(batch.lines)
        failure = await self._send(join_lines(batch.lines), len(batch.lines))
        if failure is None or failure.action is Action.DROP:
            self._settle(batch.seq)
            return
        self._to_spool(batch, front=True)
        self._spill()
        await self._backoff(failure)

    async def _send(self, payload: bytes, lines: int) -> Failure | None:
        started = self._clock.monotonic()
        failure = await self._writer.write(payload)
        if failure is None:
            self._health.written(lines, self._clock.monotonic() - started)
        elif failure.action is Action.DROP:
            self._health.rejected(failure, lines)
        else:
            self._health.failed(failure)
        return failure

    async def _backoff(self, failure: Failure) -> None:
        retry_after = failure.retry_after_s
        if retry_after is not None:
            retry_after = min(retry_after, self._tuning.retry_cap_s)
        delay = self._retry.backoff_s(self._health.failures - 1, self._rng, retry_after)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._stopping.wait(), delay)

    async def _run_io(self, fn: Callable[..., T], *args: object) -> T:
        return await asyncio.get_running_loop().run_in_executor(self._io, fn, *args)
