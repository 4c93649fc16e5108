"""What a rectification round costs beyond the audit: planning the items, storing them and
queueing the owners' notices, for a district-sized inventory.

    .venv/bin/python tests/benchmarks/rectification_round.py [--apps 1000] [--flagged 200]

A config of N apps (each with an owner, a DingTalk robot and a mail notifier) is loaded through
the real loader; an audit in which `--flagged` apps are flagged is built as data (the audit's
own cost is measured by the inventory audit's benchmark: it reads the ledger); then
`sync_items` runs against real SQLite stores in a temporary data_dir, three times: the first
round opens every item and queues its notices, the second finds nothing to do, the third
(with remind_before longer than the time left) reminds every owner. Prints wall time per
round, items and notices. Nothing is asserted: it measures.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import sys
import tempfile
import textwrap
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # run as a script from anywhere

from alerting.store import AlertStore
from monitor.config import load_config
from monitor.core.config.model import Config
from monitor.governance.inventory.model import (
    FLAGGED,
    AppAudit,
    Audit,
    Finding,
    Reachability,
    Rectification,
    Trend,
)
from monitor.governance.listing.store import ListingStore
from monitor.governance.listing.sync import sync_items

NOW = dt.datetime(2026, 11, 24, 10, tzinfo=dt.timezone(dt.timedelta(hours=8))).timestamp()
TODAY = dt.date(2026, 11, 24)


def config_text(data_dir: Path, apps: int, remind_before: str) -> str:
    rows = "".join(
        f'  - {{ id: "app-{n}", name: "应用{n}", department: "部门{n % 20}", '
        f'url: "https://app-{n}.example.org/", notify: ["robot"], '
        f'owner: {{ name: "负责人{n}", mobile: "1380000{n:04d}", email: "o{n}@example.org" }} }}\n'
        for n in range(apps))
    return textwrap.dedent(f"""\
        service:
          data_dir: "{data_dir}"
        governance:
          remind_before: "{remind_before}"
        notifiers:
          - {{ id: "robot", kind: "dingtalk", url: "http://127.0.0.1:9/robot/send?access_token=t" }}
          - {{ id: "mail", kind: "email", host: "127.0.0.1", sender: "m@example.org",
               to: ["ops@example.org"] }}
        apps:
        """) + rows


def audit_of(config: Config, flagged: int) -> Audit:
    trend = Trend("availability_pct", ("2026-10",), (95.0,), "down")
    apps = []
    for n, app in enumerate(config.apps):
        findings = (Finding("low_availability", FLAGGED, ("month_below_target",),
                            {"availability_pct": 95.0}, "2026-10 月可用率 95%", trend),
                    ) if n < flagged else ()
        rect = Rectification(("排查故障原因并整改",), dt.date(2026, 12, 16)) if findings else None
        apps.append(AppAudit(
            id=app.id, name=app.name, department=app.department, category="", tier=3,
            owner_name=None, owner_mobile=None, owner_email=None, missing=(), duplicates=(),
            reachability=Reachability("up", None, ()), traffic_status="ok",
            traffic_last_day=None, traffic_sources=(), months=(), findings=findings,
            rectification=rect))
    return Audit(NOW, "Asia/Shanghai", TODAY, dt.date(2026, 12, 31), 37,
                 dt.date(2026, 12, 16), ("2026-10",), True, tuple(apps))


async def measure(apps: int, flagged: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        path = root / "config.yaml"
        rounds = [("open", "7d"), ("nothing to do", "7d"), ("remind", "30d")]
        listing = await ListingStore.open(root / "data")
        alerts = await AlertStore.open(root / "data")
        try:
            for label, remind in rounds:
                path.write_text(config_text(root / "data", apps, remind), encoding="utf-8")
                config = load_config(path)
                audit = audit_of(config, flagged)
                started = time.perf_counter()
                plan = await sync_items(config, audit, listing, alerts, now=NOW)
                took = time.perf_counter() - started
                print(f"round {label:14s} {took * 1000:8.1f} ms  opened {len(plan.opened):4d}  "
                      f"reminded {len(plan.reminded):4d}  kept {len(plan.refreshed):4d}  "
                      f"notices queued {plan.notices:4d}")
            pending = await alerts.pending_counts()
            print(f"outbox pending by notifier: {pending}")
        finally:
            await alerts.close()
            await listing.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--apps", type=int, default=1000)
    parser.add_argument("--flagged", type=int, default=200)
    args = parser.parse_args()
    print(f"== {args.apps} apps, {args.flagged} flagged ==")
    asyncio.run(measure(args.apps, args.flagged))


if __name__ == "__main__":
    main()
