"""The ledger contract in memory: for the one-shot `check` command and tests.

It buffers and batches exactly like the SQLite ledger (the shared `BufferedLedger`), so reads
see what was flushed and the contract tests hold for both. Nothing survives the process.
"""

from __future__ import annotations

import math
from bisect import bisect_left, insort

from monitor.core.clock import SYSTEM_CLOCK, Clock
from monitor.ledger.buffered import DEFAULT_TUNING, BufferedLedger, Pending, Tuning
from monitor.ledger.codec import stored_from_result
from monitor.ledger.rollup import RollupAccumulator, hour_of
from monitor.ledger.types import CheckKey, CheckState, HourRollup, StoredResult


class MemoryLedger(BufferedLedger):
    """Construct directly; `raw_retention_s` defaults to keeping everything."""

    def __init__(
        self,
        *,
        raw_retention_s: float = math.inf,
        clock: Clock = SYSTEM_CLOCK,
        tuning: Tuning = DEFAULT_TUNING,
    ) -> None:
        super().__init__(raw_retention_s=raw_retention_s, clock=clock, tuning=tuning)
        # Raw results per check, kept sorted by ts (insort) for range reads.
        self._raw: dict[CheckKey, list[tuple[float, int, StoredResult]]] = {}
        self._rollups: dict[CheckKey, dict[int, RollupAccumulator]] = {}
        self._seq = 0  # tie-breaker: results with equal ts keep their recording order

    async def _write(self, batch: list[Pending], states: dict[CheckKey, CheckState]) -> None:
        for app_id, check_id, kind, result in batch:
            key = (app_id, check_id)
            stored = stored_from_result(app_id, check_id, kind, result)
            self._seq += 1
            insort(self._raw.setdefault(key, []), (stored.ts, self._seq, stored))
            hours = self._rollups.setdefault(key, {})
            hours.setdefault(hour_of(result.started_at), RollupAccumulator()).add(result)

    async def _delete_before(self, cutoff: float) -> int:
        deleted = 0
        for key, rows in self._raw.items():
            cut = bisect_left(rows, cutoff, key=lambda row: row[0])
            deleted += cut
            self._raw[key] = rows[cut:]
        return deleted

    async def _drop_states(self, keys: set[CheckKey]) -> None:
        """States live only in memory (BufferedLedger has dropped them already)."""

    async def _close_storage(self) -> None:
        """Nothing to release; the data stays readable until the object is gone."""

    async def hourly(
        self, app_id: str, check_id: str, start: float, end: float
    ) -> list[HourRollup]:
        hours = self._rollups.get((app_id, check_id), {})
        return [
            hours[hour].to_rollup(app_id, check_id, hour)
            for hour in sorted(hours)
            if start <= hour < end
        ]

    async def raw_results(
        self,
        app_id: str,
        check_id: str,
        start: float,
        end: float,
        limit: int = 1000,
        *,
        newest_first: bool = False,
    ) -> list[StoredResult]:
        rows = self._raw.get((app_id, check_id), [])
        lo = bisect_left(rows, start, key=lambda row: row[0])
        hi = bisect_left(rows, end, key=lambda row: row[0])
        selected = [row[2] for row in rows[lo:hi]]
        if newest_first:
            selected.reverse()
        return selected[: max(limit, 0)]
