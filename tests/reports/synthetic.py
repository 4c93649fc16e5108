"""A synthetic November 2026, written through the service's own write paths, with a known pattern.

Three apps, five checks, one run every 5 minutes for the whole month plus two hours either
side (which must not count). The pattern is a pure function of (check, time), kept as a list of
`Run`s, so tests compute every expected figure from it independently of the report code.

    kq-oa    home  http  outage 11-05 10:00-12:00 (HTTP 503); failing again inside its own
                         maintenance window 11-28 22:30 - 11-29 01:10 (left out)
             port  tcp   every 500th run times out
    kq-zwfw  home  http  refused 11-12 02:00-02:30; timeouts 11-20 14:00 - 11-21 06:00 (16 h,
                         below 99 %); HTTP 502 inside the all-apps window 11-10 03:00-03:20
    kq-jczz  home  http  slow (3-5 s, failed but measured) 11-15 09:00-10:00
             tls   tls   certificate running out: 40 days left on 11-01, ~10 at the end

Incidents (SLA 15 min / 1 h) with known ack and resolve times are in synthetic_alerts.py.
"""

from __future__ import annotations

import datetime as dt
import math
import random
import textwrap
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from monitor.ledger import SqliteLedger, Tuning
from probes.base import ErrorKind, ProbeResult, Timings
from tests.ledger.helpers import FakeClock

TZ = ZoneInfo("Asia/Shanghai")
MONTH = "2026-11"
INTERVAL_S = 300
RESPONSE_S, RESOLUTION_S = 900.0, 3600.0


def local(month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0) -> float:
    return dt.datetime(2026, month, day, hour, minute, second, tzinfo=TZ).timestamp()


START, END = local(11, 1), local(12, 1)
NOW = local(12, 2, 10)  # when the report is made
CHECKS = (  # (app, check, kind, typical latency in seconds)
    ("kq-oa", "home", "http", 0.12),
    ("kq-oa", "port", "tcp", 0.004),
    ("kq-zwfw", "home", "http", 0.35),
    ("kq-jczz", "home", "http", 0.2),
    ("kq-jczz", "tls", "tls", 0.05),
)
OUTAGES = {  # (app, check) -> [(start, end, error kind, message)]
    ("kq-oa", "home"): [
        (local(11, 5, 10), local(11, 5, 12), ErrorKind.STATUS, "HTTP 503"),
        (local(11, 28, 22, 30), local(11, 29, 1, 10), ErrorKind.CONNECT_REFUSED, "refused"),
    ],
    ("kq-zwfw", "home"): [
        (local(11, 12, 2), local(11, 12, 2, 30), ErrorKind.CONNECT_REFUSED, "refused"),
        (local(11, 20, 14), local(11, 21, 6), ErrorKind.TIMEOUT, "no answer within 15s"),
        (local(11, 10, 3), local(11, 10, 3, 20), ErrorKind.STATUS, "HTTP 502"),
    ],
    ("kq-jczz", "home"): [
        (local(11, 15, 9), local(11, 15, 10), ErrorKind.SLOW, "slower than 3s"),
    ],
}
MAINTENANCE = (  # (window id, scope, start, end) as the service records them
    ("month-edge", "*", local(10, 31, 23), local(11, 1, 1)),  # only 11-01 00:00 is in the month
    ("night-patch", "*", local(11, 10, 3), local(11, 10, 3, 20)),
    ("kq-oa-upgrade", "app:kq-oa", local(11, 28, 22, 30), local(11, 29, 1, 10)),
    ("december", "*", local(12, 3, 1), local(12, 3, 2)),  # after the month: not returned
)


@dataclass(frozen=True)
class Run:
    app: str
    check: str
    ts: float
    ok: bool
    error_kind: ErrorKind | None
    latency_s: float
    message: str
    cert_days_left: float | None


def pattern() -> list[Run]:
    """Every run of every check, in time order per check."""
    runs = []
    for index, (app, check, _kind, typical_s) in enumerate(CHECKS):
        rng = random.Random(index)
        ts = START - 7200 + 11 * index
        count = 0
        while ts < END + 7200:
            runs.append(_run(app, check, ts, count, typical_s, rng))
            ts += INTERVAL_S
            count += 1
    return runs


def _run(app: str, check: str, ts: float, count: int, typical_s: float, rng: random.Random
         ) -> Run:
    cert = 40 - (ts - START) / 86400 if check == "tls" else (200.0 if check == "home" else None)
    latency = round(rng.lognormvariate(math.log(typical_s), 0.4), 6)
    failure: tuple[ErrorKind, str] | None = None
    if ts < START or ts >= END:
        failure = (ErrorKind.STATUS, "outside the month")  # must never be counted
    elif check == "port" and count % 500 == 7:
        failure = (ErrorKind.TIMEOUT, "no answer within 15s")
    for start, end, kind, message in OUTAGES.get((app, check), ()):
        if start <= ts < end:
            failure = (kind, message)
    if failure is None:
        return Run(app, check, ts, True, None, latency, "200 OK", cert)
    kind, message = failure
    if kind is ErrorKind.SLOW:
        latency = round(3 + rng.random() * 2, 6)
    elif kind is ErrorKind.TIMEOUT:
        latency = 15.0
    else:
        latency = 0.002
    return Run(app, check, ts, False, kind, latency, message, cert)


def config_yaml(data_dir: Path) -> str:
    return textwrap.dedent(f"""\
        service:
          data_dir: "{data_dir}"
          timezone: "Asia/Shanghai"
        sla:
          response: "15m"
          resolution: "1h"
        apps:
          - id: "kq-oa"
            name: "柯桥区协同办公"
            department: "区大数据中心"
            category: "办公协同"
            tier: 1
            owner: {{ name: "张三", mobile: "13800000001" }}
            checks:
              - {{ id: "home", kind: "http", url: "https://oa.example.org/health" }}
              - {{ id: "port", kind: "tcp", host: "oa.example.org", port: 443 }}
          - id: "kq-zwfw"
            name: "政务服务"
            department: "区行政服务中心"
            category: "政务服务"
            tier: 2
            checks:
              - {{ id: "home", kind: "http", url: "https://zwfw.example.org/" }}
          - id: "kq-jczz"
            name: "基层治理"
            department: "区大数据中心"
            category: "基层治理"
            tier: 3
            checks:
              - {{ id: "home", kind: "http", url: "https://jczz.example.org/" }}
              - {{ id: "tls", kind: "tls", host: "jczz.example.org", port: 443 }}
        maintenance:
          - id: "kq-oa-upgrade"
            apps: ["kq-oa"]
            start: "2026-11-28T22:30:00+08:00"
            end: "2026-11-29T01:10:00+08:00"
            reason: "系统升级"
        """)


async def write_runs(data_dir: Path, runs: list[Run]) -> None:
    """Through SqliteLedger.record + flush, exactly as the service writes."""
    clock = FakeClock(START)
    tuning = Tuning(flush_interval_s=365 * 86400.0, prune_interval_s=None)
    ledger = await SqliteLedger.open(data_dir, raw_retention_s=365 * 86400.0, clock=clock,
                                     tuning=tuning)
    kinds = {(app, check): kind for app, check, kind, _ in CHECKS}
    try:
        for n, run in enumerate(sorted(runs, key=lambda r: r.ts)):
            clock.wall = run.ts
            result = ProbeResult(
                ok=run.ok, started_at=run.ts, timings=Timings(run.latency_s),
                error_kind=run.error_kind, message=run.message,
                status_code=200 if run.ok else None, cert_days_left=run.cert_days_left,
            )
            ledger.record(run.app, run.check, kinds[(run.app, run.check)], result)
            if n % 5000 == 4999:
                await ledger.flush()
    finally:
        await ledger.close()
