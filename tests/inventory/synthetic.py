"""A synthetic inventory as of 2026-11-24 10:00 (Asia/Shanghai), written through the service's
own write paths (SqliteLedger.record, AlertStore.record_maintenance, TrafficStore.set_counts).

Probes run from 2026-08-01 00:00 until NOW (every 30 min; low-avail every 12 min); traffic is
one record per day. Each app has one known story; the tests compute the expected figures by
hand from the stories below, never from the audit code.

    healthy        all fields, probes pass, 200 visitors a day
    zombie-quiet   3 visitors a day until 08-19, zero records from 08-20 (none on 09-15)
    zombie-warn    20 a day until 10-14, zero records from 10-15 (and a zero today)
    zombie-down    both checks fail from 10-10 08:00; no traffic data
    no-owner       no owner; otherwise healthy (100 a day)
    low-freq       target 400 users (line 20); 1 visitor on days 1, 4, 7, ... of each month
    low-avail      Oct: 54 failed runs on 10-20 from 00:00, plus failures inside a recorded
                   24 h maintenance window on 10-15 (left out): 3546/3600 = 98.5 %
    bad-week       17 failed runs on 11-12 from 09:00 (17/336 >= 5 %), 16 on 11-05 (< 5 %)
    dup-a          url https://Portal.Example.org:443/ ; traffic stopped after 10-10 (stale)
    dup-b          url https://portal.example.org (same as dup-a); record gaps; no probes
    name-twin      name "ＯＡ 办公" = low-avail's "OA办公" once normalised; no probes
"""

from __future__ import annotations

import datetime as dt
import textwrap
from collections.abc import Iterator
from pathlib import Path
from zoneinfo import ZoneInfo

from alerting.store import AlertStore
from monitor.governance.traffic.store import TrafficStore
from monitor.ledger import SqliteLedger, Tuning
from probes.base import ErrorKind, ProbeResult, Timings
from tests.ledger.helpers import FakeClock

TZ = ZoneInfo("Asia/Shanghai")


def local(month: int, day: int, hour: int = 0, minute: int = 0) -> float:
    return dt.datetime(2026, month, day, hour, minute, tzinfo=TZ).timestamp()


START = local(8, 1)
NOW = local(11, 24, 10)
TODAY = dt.date(2026, 11, 24)
HALF_HOUR, TWELVE_MIN = 1800, 720
MAINTENANCE = ("oct-upgrade", "app:low-avail", local(10, 15), local(10, 16))

# (app, check, kind, interval)
CHECKS = (
    ("healthy", "home", "http", HALF_HOUR),
    ("zombie-quiet", "home", "http", HALF_HOUR),
    ("zombie-warn", "home", "http", HALF_HOUR),
    ("zombie-down", "home", "http", HALF_HOUR),
    ("zombie-down", "port", "tcp", HALF_HOUR),
    ("no-owner", "home", "http", HALF_HOUR),
    ("low-freq", "home", "http", HALF_HOUR),
    ("low-avail", "home", "http", TWELVE_MIN),
    ("bad-week", "home", "http", HALF_HOUR),
)


def fails(app: str, ts: float) -> bool:
    """Whether the run of `app` at `ts` fails (the stories above)."""
    if app == "zombie-down":
        return ts >= local(10, 10, 8)
    if app == "low-avail":
        in_window = MAINTENANCE[2] <= ts < MAINTENANCE[3]
        return in_window or local(10, 20) <= ts < local(10, 20) + 54 * TWELVE_MIN
    if app == "bad-week":
        return (local(11, 12, 9) <= ts < local(11, 12, 9) + 17 * HALF_HOUR
                or local(11, 5, 9) <= ts < local(11, 5, 9) + 16 * HALF_HOUR)
    return False


def days(first: dt.date, last: dt.date) -> Iterator[dt.date]:
    day = first
    while day <= last:
        yield day
        day += dt.timedelta(days=1)


def traffic() -> list[tuple[str, str, int, int]]:
    """(app, day, pv, uv) records, one source ("push")."""
    out: list[tuple[str, str, int, int]] = []
    yesterday = TODAY - dt.timedelta(days=1)

    def add(app: str, day: dt.date, uv: int) -> None:
        out.append((app, day.isoformat(), uv * 3, uv))

    for day in days(dt.date(2026, 8, 1), TODAY):
        add("healthy", day, 200)
        add("no-owner", day, 100)
        add("low-freq", day, 1 if day.day % 3 == 1 else 0)
        if day <= yesterday:
            if day != dt.date(2026, 9, 15):
                add("zombie-quiet", day, 3 if day <= dt.date(2026, 8, 19) else 0)
            add("zombie-warn", day, 20 if day <= dt.date(2026, 10, 14) else 0)
        if day <= dt.date(2026, 10, 10):
            add("dup-a", day, 50)
    add("zombie-warn", TODAY, 0)
    return out


def config_yaml(data_dir: Path) -> str:
    def app(app_id: str, name: str, *, owner: str = '{ name: "张三", mobile: "13800000001" }',
            extra: str = "", checks: str = "") -> str:
        owner_line = f"owner: {owner}\n    " if owner else ""
        check_lines = checks or (f'checks:\n      - {{ id: "home", kind: "http", '
                                 f'url: "https://{app_id}.example.org/health" }}')
        return (f'  - id: "{app_id}"\n    name: "{name}"\n    department: "区大数据中心"\n'
                f'    category: "办公协同"\n    tier: 2\n    {owner_line}irs_id: "IRS-{app_id}"\n'
                f'    target_users: 100\n    url: "https://{app_id}.example.org/"\n'
                f"    {extra}{check_lines}\n")

    down_checks = ('checks:\n      - { id: "home", kind: "http", url: "https://down.example.org/" }'
                   '\n      - { id: "port", kind: "tcp", host: "down.example.org", port: 443 }')
    apps = "".join([
        app("healthy", "健康应用").replace("target_users: 100", "target_users: 1000"),
        app("zombie-quiet", "静默应用"),
        app("zombie-warn", "渐冷应用"),
        app("zombie-down", "停摆应用", checks=down_checks),
        app("no-owner", "无主应用", owner=""),
        app("low-freq", "低频应用").replace("target_users: 100", "target_users: 400"),
        app("low-avail", "OA办公"),
        app("bad-week", "坏周应用"),
        app("dup-a", "门户", checks="").replace(
            'url: "https://dup-a.example.org/"', 'url: "https://Portal.Example.org:443/"'),
    ])
    return textwrap.dedent(f"""\
        service:
          data_dir: "{data_dir}"
          timezone: "Asia/Shanghai"
        apps:
        """) + apps + textwrap.indent(textwrap.dedent("""\
          - id: "dup-b"
            name: "门户二期"
            owner: { name: "李四" }
            url: "https://portal.example.org"
          - id: "name-twin"
            name: "ＯＡ 办公"
            department: "区政务办"
            tier: 3
            owner: { name: "王五", mobile: "13800000002" }
            irs_id: "IRS-twin"
            target_users: 50
            url: "https://twin.example.org/"
        """), "  ")


async def write_all(data_dir: Path) -> None:
    clock = FakeClock(START)
    tuning = Tuning(flush_interval_s=365 * 86400.0, prune_interval_s=None)
    ledger = await SqliteLedger.open(data_dir, raw_retention_s=365 * 86400.0, clock=clock,
                                     tuning=tuning)
    try:
        runs = sorted((ts, app, check, kind) for app, check, kind, interval in CHECKS
                      for ts in range(int(START), int(NOW), interval))
        for n, (ts, app, check, kind) in enumerate(runs):
            clock.wall = float(ts)
            failed = fails(app, ts)
            ledger.record(app, check, kind, ProbeResult(
                ok=not failed, started_at=float(ts), timings=Timings(0.002 if failed else 0.1),
                error_kind=ErrorKind.CONNECT_REFUSED if failed else None,
                message="refused" if failed else "200 OK", status_code=None if failed else 200))
            if n % 5000 == 4999:
                await ledger.flush()
    finally:
        await ledger.close()
    alerts = await AlertStore.open(data_dir)
    try:
        await alerts.record_maintenance(*MAINTENANCE)
    finally:
        await alerts.close()
    store = await TrafficStore.open(data_dir)
    try:
        for app, day, pv, uv in traffic():
            await store.set_counts(app, day, "push", pv, uv)
    finally:
        await store.close()
