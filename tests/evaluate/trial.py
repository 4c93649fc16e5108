"""Trial-period data for the evaluation tests: results written through SqliteLedger exactly as
the service writes them, with a fake clock walking through the past days."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from monitor.core.config.model import AppConfig, CheckConfig
from monitor.ledger import SqliteLedger, Tuning
from monitor.ledger.rollup import hour_of
from probes.base import ErrorKind
from probes.http import HttpSpec
from tests.ledger.helpers import FakeClock, make_result

HOUR_S = 3600.0
DAY_S = 86400.0


@dataclass(frozen=True)
class Trial:
    hours: int = 72  # whole hours of data, ending with the last complete hour
    per_hour: int = 10
    failures: int = 0  # spread evenly over the trial
    latency_s: float = 0.2
    check_id: str = "home"
    stale_failures: int = 0  # failed runs 20 days ago, outside the 14-day window


def app_config(url: str, app_id: str = "kq-oa", target_users: int | None = None) -> AppConfig:
    home = CheckConfig(id="home", kind="http", spec=HttpSpec(url=url), interval_s=60.0,
                       timeout_s=15.0, confirm=2, recover=2)
    return AppConfig(id=app_id, name="柯桥区协同办公", checks=(home,), url=url,
                     target_users=target_users)


async def write_trial(data_dir: Path, trial: Trial, app_id: str = "kq-oa") -> int:
    """Record the trial's runs; returns how many fall in the evaluation window."""
    base = hour_of(time.time()) - trial.hours * HOUR_S
    clock = FakeClock(base - 20 * DAY_S)
    tuning = Tuning(flush_interval_s=365 * DAY_S, prune_interval_s=None)  # flush at close only
    ledger = await SqliteLedger.open(data_dir, raw_retention_s=365 * DAY_S, clock=clock,
                                     tuning=tuning)
    try:
        for n in range(trial.stale_failures):
            clock.wall = base - 20 * DAY_S + n
            ledger.record(app_id, trial.check_id, "http",
                          make_result(clock.wall, ok=False, error_kind=ErrorKind.STATUS))
        total = trial.hours * trial.per_hour
        every = total // trial.failures if trial.failures else 0
        for n in range(total):
            hour, slot = divmod(n, trial.per_hour)
            clock.wall = base + hour * HOUR_S + slot * HOUR_S / trial.per_hour
            failed = bool(every) and n % every == every - 1
            result = (make_result(clock.wall, ok=False, error_kind=ErrorKind.CONNECT_REFUSED)
                      if failed else make_result(clock.wall, latency_s=trial.latency_s))
            ledger.record(app_id, trial.check_id, "http", result)
    finally:
        await ledger.close()
    return trial.hours * trial.per_hour


async def open_ledger(data_dir: Path) -> SqliteLedger:
    return await SqliteLedger.open(data_dir, raw_retention_s=365 * DAY_S,
                                   tuning=Tuning(prune_interval_s=None))
