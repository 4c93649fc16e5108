"""The Ledger contract, run against every implementation (see conftest.ledger_kind)."""

from __future__ import annotations

import asyncio
import math
import random

import pytest
from structlog.testing import capture_logs

from monitor.ledger import LatencyHistogram, StoredResult
from monitor.ledger.buffered import BufferedLedger
from monitor.ledger.histogram import RELATIVE_ERROR
from probes.base import ErrorKind, Timings
from tests.ledger.conftest import OpenLedger
from tests.ledger.helpers import FakeClock, make_result
from tests.support.clocks import T0
from tests.support.polling import wait_until

APP, CHECK = "kq-oa", "home"
HOUR = 3600


async def test_record_flush_and_read_back(ledger: BufferedLedger) -> None:
    timings = Timings(
        total_s=0.2345678, dns_s=0.0012, connect_s=0.0023, tls_s=0.01, first_byte_s=0.1
    )
    result = make_result(
        T0 + 12.3456789, ok=False, error_kind=ErrorKind.STATUS, message="status 503",
        status_code=503, cert_days_left=42.5, step="login", timings=timings,
    )  # fmt: skip
    ledger.record(APP, CHECK, "http", result)
    assert ledger.stats().pending == 1
    assert await ledger.raw_results(APP, CHECK, T0, T0 + 60) == []  # reads see flushed data

    await ledger.flush()

    stats = ledger.stats()
    assert (stats.pending, stats.written_total, stats.batches_total) == (0, 1, 1)
    assert stats.last_flush_at is not None
    expected = StoredResult(
        ts=T0 + 12.346, app_id=APP, check_id=CHECK, kind="http", ok=False,
        error_kind="status", message="status 503", latency_s=0.234568, dns_s=0.0012,
        connect_s=0.0023, tls_s=0.01, first_byte_s=0.1, status_code=503,
        cert_days_left=42.5, step="login",
    )  # fmt: skip
    assert await ledger.raw_results(APP, CHECK, T0, T0 + 60) == [expected]


async def test_reads_are_per_check_and_by_half_open_range(ledger: BufferedLedger) -> None:
    for i in range(5):
        ledger.record(APP, CHECK, "http", make_result(T0 + 60 * i))
        ledger.record("other-app", CHECK, "tcp", make_result(T0 + 60 * i))
    await ledger.flush()

    rows = await ledger.raw_results(APP, CHECK, T0 + 60, T0 + 240)
    assert [row.ts for row in rows] == [T0 + 60, T0 + 120, T0 + 180]
    assert {row.kind for row in await ledger.raw_results("other-app", CHECK, T0, T0 + 300)} == {
        "tcp"
    }
    assert await ledger.raw_results("nope", CHECK, T0, T0 + 300) == []
    assert await ledger.hourly("nope", CHECK, T0, T0 + HOUR) == []


async def test_raw_results_limit_and_order(ledger: BufferedLedger) -> None:
    for i in range(10):
        ledger.record(APP, CHECK, "http", make_result(T0 + 60 * i))
    await ledger.flush()

    oldest = await ledger.raw_results(APP, CHECK, T0, T0 + HOUR, limit=3)
    newest = await ledger.raw_results(APP, CHECK, T0, T0 + HOUR, limit=3, newest_first=True)
    assert [r.ts for r in oldest] == [T0, T0 + 60, T0 + 120]
    assert [r.ts for r in newest] == [T0 + 540, T0 + 480, T0 + 420]


async def test_state_is_current_before_any_flush(ledger: BufferedLedger) -> None:
    ledger.record(APP, CHECK, "http", make_result(T0, latency_s=0.3, status_code=200))

    state = ledger.check_states()[(APP, CHECK)]
    assert (state.last_ok, state.last_run_at, state.last_latency_s) == (True, T0, 0.3)
    assert (state.kind, state.last_status_code, state.last_error_kind) == ("http", 200, None)
    assert ledger.stats().written_total == 0


@pytest.mark.parametrize(
    ("outcomes", "failures", "passes", "changed_at_run"),
    [
        ("+", 0, 1, 0),
        ("++", 0, 2, 0),
        ("++-", 1, 0, 2),
        ("++---", 3, 0, 2),
        ("++---+", 0, 1, 5),
        ("-", 1, 0, 0),
        ("-+-", 1, 0, 2),
    ],
)
async def test_consecutive_counters_and_last_change(
    ledger: BufferedLedger, outcomes: str, failures: int, passes: int, changed_at_run: int
) -> None:
    for i, outcome in enumerate(outcomes):
        ledger.record(APP, CHECK, "http", make_result(T0 + 60 * i, ok=outcome == "+"))

    state = ledger.check_states()[(APP, CHECK)]
    assert (state.consecutive_failures, state.consecutive_passes) == (failures, passes)
    assert state.last_change_at == T0 + 60 * changed_at_run
    assert (state.runs_total, state.failures_total) == (len(outcomes), outcomes.count("-"))
    assert state.last_ok is (outcomes[-1] == "+")


async def test_state_keeps_last_seen_certificate(ledger: BufferedLedger) -> None:
    ledger.record(APP, CHECK, "http", make_result(T0, cert_days_left=30.0))
    ledger.record(APP, CHECK, "http", make_result(T0 + 60, ok=False, error_kind=ErrorKind.DNS))

    state = ledger.check_states()[(APP, CHECK)]
    assert (state.cert_days_left, state.last_error_kind, state.last_ok) == (30.0, "dns", False)


async def test_hourly_rollups_across_an_hour_boundary(ledger: BufferedLedger) -> None:
    h0, h1 = T0, T0 + HOUR
    ledger.record(APP, CHECK, "http", make_result(h1 - 120, latency_s=0.1))
    ledger.record(APP, CHECK, "http", make_result(h1 - 60, ok=False, error_kind=ErrorKind.SLOW,
                                                  latency_s=4.0))  # fmt: skip
    await ledger.flush()  # the next hour arrives in a later batch, as it does in the service
    ledger.record(APP, CHECK, "http", make_result(h1, latency_s=0.2))
    ledger.record(APP, CHECK, "http", make_result(h1 + 60, ok=False, latency_s=15.0))
    ledger.record(APP, CHECK, "http", make_result(h1 + 3599, latency_s=0.3))
    await ledger.flush()

    first, second = await ledger.hourly(APP, CHECK, h0, h1 + HOUR)
    assert (first.hour_start, first.runs, first.failures) == (h0, 2, 1)
    # A slow answer counts in latency; a timeout (15 s of waiting, no answer) does not.
    assert (first.latency_count, first.latency_sum_s, first.latency_max_s) == (2, 4.1, 4.0)
    assert (second.hour_start, second.runs, second.failures) == (h1, 3, 1)
    assert second.latency_count == 2
    assert second.latency_sum_s == pytest.approx(0.5)
    assert second.mean_latency_s == pytest.approx(0.25)
    assert [r.hour_start for r in await ledger.hourly(APP, CHECK, h1, h1 + HOUR)] == [h1]
    assert await ledger.hourly(APP, CHECK, h0 + 1, h1) == []  # start inclusive, end exclusive


async def test_hourly_counts_accumulate_over_batches_and_late_results(
    ledger: BufferedLedger,
) -> None:
    for hour in range(5):  # one batch per hour: the writer keeps only recent hours in memory
        for minute in range(3):
            ledger.record(APP, CHECK, "http", make_result(T0 + hour * HOUR + minute * 60))
        await ledger.flush()
    ledger.record(APP, CHECK, "http", make_result(T0 + 30, ok=False))  # late, for hour 0
    await ledger.flush()

    rollups = await ledger.hourly(APP, CHECK, T0, T0 + 5 * HOUR)
    assert [(r.runs, r.failures) for r in rollups] == [(4, 1)] + [(3, 0)] * 4


async def test_percentiles_from_merged_hourly_histograms(ledger: BufferedLedger) -> None:
    rng = random.Random(7)
    latencies = [rng.lognormvariate(math.log(0.2), 0.8) for _ in range(3000)]
    for i, latency in enumerate(latencies):  # 60 a minute-apart runs per hour, 50 hours
        ledger.record(APP, CHECK, "http", make_result(T0 + 60 * i, latency_s=latency))
    await ledger.flush()

    rollups = await ledger.hourly(APP, CHECK, T0, T0 + 100 * HOUR)
    merged = LatencyHistogram.merged(r.histogram for r in rollups)
    assert len(rollups) == 50
    assert merged.count == 3000
    assert sum(r.latency_sum_s for r in rollups) == pytest.approx(sum(latencies))
    assert max(r.latency_max_s for r in rollups) == max(latencies)
    ordered = sorted(latencies)
    for q in (0.5, 0.9, 0.95, 0.99, 0.999):
        exact = ordered[math.ceil(q * len(ordered)) - 1]  # nearest rank, as quantile() uses
        estimate = merged.quantile(q)
        assert estimate is not None
        assert abs(estimate - exact) / exact <= RELATIVE_ERROR + 1e-12, q


async def test_forget_drops_state_but_keeps_history(ledger: BufferedLedger) -> None:
    ledger.record(APP, CHECK, "http", make_result(T0))
    ledger.record(APP, "port", "tcp", make_result(T0))
    await ledger.forget({(APP, CHECK), ("never", "seen")})

    assert set(ledger.check_states()) == {(APP, "port")}
    await ledger.flush()
    assert len(await ledger.raw_results(APP, CHECK, T0, T0 + 60)) == 1
    assert (await ledger.hourly(APP, CHECK, T0, T0 + HOUR))[0].runs == 1


async def test_prune_deletes_raw_results_past_retention(open_ledger: OpenLedger) -> None:
    ledger = await open_ledger(raw_retention_s=86400.0, flush_interval_s=3600.0)
    for ts in (T0 - 3 * 86400, T0 - 86400 - 1, T0 - 86400, T0 - HOUR, T0):
        ledger.record(APP, CHECK, "http", make_result(ts))
    await ledger.flush()

    assert await ledger.prune(T0) == 2
    assert await ledger.prune(T0) == 0
    remaining = await ledger.raw_results(APP, CHECK, T0 - 10 * 86400, T0 + 1)
    assert [r.ts for r in remaining] == [T0 - 86400, T0 - HOUR, T0]
    assert len(await ledger.hourly(APP, CHECK, T0 - 10 * 86400, T0 + 1)) == 5  # rollups stay


async def test_a_full_batch_is_written_without_waiting_for_the_timer(
    open_ledger: OpenLedger,
) -> None:
    ledger = await open_ledger(batch_size=10, flush_interval_s=3600.0)
    for i in range(10):
        ledger.record(APP, CHECK, "http", make_result(T0 + i))
    await wait_until(lambda: ledger.stats().written_total == 10)
    assert ledger.stats().batches_total == 1

    for i in range(25):
        ledger.record(APP, CHECK, "http", make_result(T0 + 100 + i))
    await ledger.flush()
    stats = ledger.stats()
    assert (stats.written_total, stats.batches_total) == (35, 4)  # 10 + 10 + 10 + 5


async def test_the_timer_writes_within_the_flush_interval(open_ledger: OpenLedger) -> None:
    ledger = await open_ledger(flush_interval_s=0.05)
    ledger.record(APP, CHECK, "http", make_result(T0))
    await wait_until(lambda: ledger.stats().written_total == 1, timeout_s=2.0)
    assert len(await ledger.raw_results(APP, CHECK, T0, T0 + 1)) == 1


async def test_results_beyond_max_pending_are_dropped_and_counted(
    open_ledger: OpenLedger,
) -> None:
    ledger = await open_ledger(max_pending=5, batch_size=100, flush_interval_s=3600.0)
    for i in range(8):
        ledger.record(APP, CHECK, "http", make_result(T0 + i))

    stats = ledger.stats()
    assert (stats.pending, stats.dropped_total) == (5, 3)
    assert ledger.check_states()[(APP, CHECK)].runs_total == 8  # state never drops
    await ledger.flush()
    assert ledger.stats().written_total == 5
    assert [r.ts for r in await ledger.raw_results(APP, CHECK, T0, T0 + 60)] == [
        T0 + i for i in range(5)
    ]


async def test_close_flushes_is_idempotent_and_later_records_are_dropped(
    ledger: BufferedLedger,
) -> None:
    ledger.record(APP, CHECK, "http", make_result(T0))
    await ledger.close()
    await ledger.close()
    assert ledger.stats().written_total == 1

    ledger.record(APP, CHECK, "http", make_result(T0 + 60))
    assert ledger.stats().dropped_total == 1


async def test_drops_are_logged_by_the_timer(open_ledger: OpenLedger) -> None:
    ledger = await open_ledger(max_pending=1, flush_interval_s=0.01)
    with capture_logs() as logs:
        for i in range(3):
            ledger.record(APP, CHECK, "http", make_result(T0 + i))
        await wait_until(lambda: any(e["event"] == "ledger_dropped" for e in logs))
    [event] = [e for e in logs if e["event"] == "ledger_dropped"]
    assert (event["dropped"], event["dropped_total"], event["log_level"]) == (2, 2, "warning")


async def test_the_timer_prunes_at_start_and_then_on_its_interval(
    open_ledger: OpenLedger, clock: FakeClock
) -> None:
    async def wait_for_rows(expected: list[float]) -> None:
        for _ in range(500):
            rows = await ledger.raw_results(APP, CHECK, 0, clock.now() + 1)
            if [r.ts for r in rows] == expected:
                return
            await asyncio.sleep(0.01)
        raise AssertionError(f"rows never became {expected}")

    ledger = await open_ledger(raw_retention_s=HOUR, flush_interval_s=0.01, prune_interval_s=60)
    ledger.record(APP, CHECK, "http", make_result(T0 - 2 * HOUR))
    ledger.record(APP, CHECK, "http", make_result(T0))
    await wait_for_rows([T0])

    ledger.record(APP, CHECK, "http", make_result(T0 - 2 * HOUR + 1))  # late and already old
    await wait_for_rows([T0 - 2 * HOUR + 1, T0])  # written, not yet pruned: interval not over
    clock.advance(61)
    await wait_for_rows([T0])
