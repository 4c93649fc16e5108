"""Outage-to-first-notification latency, and the alert engine's CPU per result.

    .venv/bin/python tests/benchmarks/alert_latency.py [--outages 50] [--checks 10000]

Part 1 runs the real service (scheduler, probes, engine, store, outbox, webhook notifier) on
a local app farm with interval 1s and confirm 2, injects outages one app at a time at random
moments, and measures from the moment an app starts failing to the moment the webhook
receiver holds the incident.opened notification. Part 2 feeds results for N checks straight
into the alert runner (one failing check in a hundred) and reports CPU per result.
Figures are printed; nothing is asserted.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from aiohttp import web

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from alerting.engine import Observation  # noqa: E402
from alerting.links import LinkSigner  # noqa: E402
from alerting.runner import AlertRunner  # noqa: E402
from alerting.store import AlertStore  # noqa: E402
from monitor.config import load_config  # noqa: E402
from monitor.core.clock import SYSTEM_CLOCK  # noqa: E402
from monitor.core.logs import configure_logging  # noqa: E402
from monitor.service import Service  # noqa: E402
from tests.support.http_servers import serve_app  # noqa: E402


class Farm:
    """N apps on one port: /app/{i} answers 200, or 503 while app i is out."""

    def __init__(self) -> None:
        self.down: set[int] = set()

    async def handle(self, request: web.Request) -> web.Response:
        return web.Response(status=503 if int(request.match_info["i"]) in self.down else 200)


class Receiver:
    def __init__(self) -> None:
        self.opened_at: dict[str, float] = {}  # app id -> receipt time (monotonic)

    async def handle(self, request: web.Request) -> web.Response:
        body = await request.json()
        if body["event"] == "incident.opened":
            self.opened_at.setdefault(body["incident"]["app_id"], time.monotonic())
        return web.json_response({"ok": True})


def config_text(apps: int, farm: str, hook: str, data: Path) -> str:
    lines = [
        f'service: {{listen: "127.0.0.1:0", data_dir: "{data}"}}',
        'defaults: {interval: "1s", timeout: "900ms", confirm: 2, recover: 2}',
        "alerting: {reminder_interval: null}",
        f'notifiers: [{{id: "hook", kind: "webhook", url: "{hook}/hook"}}]',
        "apps:",
    ]
    lines += [f'  - {{id: "app-{i}", name: "应用{i}", notify: ["hook"], url: "{farm}/app/{i}"}}'
              for i in range(apps)]
    return "\n".join(lines) + "\n"


async def latency(outages: int) -> list[float]:
    farm, receiver = Farm(), Receiver()
    farm_app, hook_app = web.Application(), web.Application()
    farm_app.router.add_get("/app/{i}", farm.handle)
    hook_app.router.add_post("/hook", receiver.handle)
    rng = random.Random(7)
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        async with serve_app(farm_app) as farm_url, serve_app(hook_app) as hook_url:
            path = Path(tmp) / "bench.yaml"
            path.write_text(config_text(outages, farm_url, hook_url, Path(tmp) / "data"))
            service = Service(load_config(path), serve_http=False)
            await service.start()
            try:
                await asyncio.sleep(2.5)  # every check has run and passed
                for i in range(outages):
                    await asyncio.sleep(rng.uniform(0.0, 1.0))  # a random phase of the schedule
                    began = time.monotonic()
                    farm.down.add(i)
                    while f"app-{i}" not in receiver.opened_at:  # noqa: ASYNC110
                        await asyncio.sleep(0.005)
                    results.append(receiver.opened_at[f"app-{i}"] - began)
                    print(f"\r  outage {i + 1}/{outages}: {results[-1]:.2f}s", end="",
                          file=sys.stderr, flush=True)
            finally:
                print(file=sys.stderr)
                await service.stop()
    return results


async def engine_cpu(checks: int, rounds: int) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "engine.yaml"
        path.write_text(config_text(checks, "http://127.0.0.1:9", "http://127.0.0.1:9",
                                    Path(tmp)))
        config = load_config(path)
        store = await AlertStore.open(Path(tmp))
        runner = AlertRunner(store=store, config=config, clock=SYSTEM_CLOCK,
                             links=LinkSigner(b"k", "http://x"))
        await runner.start(background=False)
        ok = Observation(ok=True, at=time.time(), summary="")
        bad = Observation(ok=False, at=time.time(), summary="status 503")
        keys = [(f"app-{i}", "home") for i in range(checks)]
        cpu0 = time.process_time()
        for r in range(rounds):
            for n, key in enumerate(keys):
                failing = n % 100 == 0 and r % 4 < 2  # 1% of checks flap: open, then resolve
                await runner.handle_result(key, bad if failing else ok)
        cpu = time.process_time() - cpu0
        await store.close()
    return cpu / (checks * rounds)


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--outages", type=int, default=50)
    parser.add_argument("--checks", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=8)
    args = parser.parse_args()
    configure_logging("error", "json")
    lat = asyncio.run(latency(args.outages))
    print(f"outage -> first notification, interval 1s, confirm 2, {len(lat)} outages:")
    print(f"  median {statistics.median(lat):.2f}s  p99 {pct(lat, 0.99):.2f}s  "
          f"min {min(lat):.2f}s  max {max(lat):.2f}s")
    per_result = asyncio.run(engine_cpu(args.checks, args.rounds))
    print(f"alert engine: {args.checks} checks x {args.rounds} rounds, 1% flapping: "
          f"{per_result * 1e6:.1f} us CPU per result")


if __name__ == "__main__":
    main()
