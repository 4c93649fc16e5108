"""How fast the console's status wall is with 1,000 apps (and 5,000), server and browser side.

    .venv/bin/python tests/benchmarks/console_wall.py [--sizes 1000,5000] [--requests 20]
                                                      [--batch 50] [--batches 6]

For each size: a config of N apps over 20 departments, a real Service (embedded ledger and
alert store, background=False: nothing probes) whose state is set through the ledger and the
alert runner, as runs would set it: ~8% of apps down, ~4% never run, the rest up, and a few
incidents open (some acknowledged). Then:

* server: GET / N times over HTTP (median and p90 ms) and the size of the HTML; the CPU of one
  live-stream tick for one client (snapshot + diff);
* real Chromium (Debian's, via Playwright): DOMContentLoaded, load and first contentful paint
  of `/`; the time wall.js takes to apply the stream's first event (every tile, compared with
  the page); then `--batches` live batches of `--batch` apps changing status, recorded through
  the ledger: the time wall.js spends applying each batch (performance.now() around its
  handler) and every long task (PerformanceObserver 'longtask', > 50 ms) while they arrive.

Nothing is asserted: it measures and prints. Uptime Kuma, for comparison, takes ~8 s to
unblock its dashboard at 1,000 monitors.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import aiohttp

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # run as a script from anywhere

from monitor.config import load_config
from monitor.console.context import CONSOLE_KEY
from monitor.console.pages.wall.health import health
from monitor.console.pages.wall.incidents import incident_views
from monitor.console.pages.wall.live import Snapshot, change, outbox_backlog, probes_in_flight
from monitor.console.pages.wall.view import count, department_counts, layout, tile_states
from monitor.core.logs import configure_logging
from monitor.service import Service
from monitor.verdicts import observation_of
from probes.base import ErrorKind, ProbeResult, Timings
from tests.support.browser import launched_browser

DEPARTMENTS = 20
CATEGORIES = ("办公协同", "政务服务", "基层治理", "公共安全", "民生服务", "经济运行", "生态环境",
              "数据资源")
INCIDENTS = 12  # open incidents on the wall (every third one acknowledged)
LOADS = 5  # page loads measured (median): the first one also pays for Chromium warming up
# Before any page script runs: collect long tasks (buffered from navigation start).
OBSERVE = """
window.__longTasks = [];
window.__paints = {};
new PerformanceObserver(list => {
  for (const e of list.getEntries()) window.__longTasks.push({start: e.startTime, ms: e.duration});
}).observe({type: "longtask", buffered: true});
new PerformanceObserver(list => {
  for (const e of list.getEntries()) window.__paints[e.name] = e.startTime;
}).observe({type: "paint", buffered: true});
"""


def config_text(apps: int, data: Path) -> str:
    lines = [
        f'service: {{listen: "127.0.0.1:0", data_dir: "{data}"}}',
        'defaults: {interval: "60s", timeout: "5s", confirm: 2, recover: 2}',
        'console: {live_interval: "500ms"}',
        "apps:",
    ]
    for i in range(apps):
        dept = f"区第{i % DEPARTMENTS + 1:02d}部门"
        lines.append(
            f'  - {{id: "app-{i:05d}", name: "应用{i:05d}号业务系统", department: "{dept}", '
            f'category: "{CATEGORIES[i % len(CATEGORIES)]}", tier: {i % 3 + 1}, '
            f'checks: [{{id: "home", kind: "tcp", host: "127.0.0.1", port: 9}}]}}')
    return "\n".join(lines) + "\n"


def result(ok: bool) -> ProbeResult:
    if ok:
        return ProbeResult(ok=True, started_at=time.time(), timings=Timings(total_s=0.02),
                           message="connected in 1ms")
    return ProbeResult(ok=False, started_at=time.time(), timings=Timings(total_s=5.0),
                       error_kind=ErrorKind.CONNECT_REFUSED, message="connection refused")


async def seed(service: Service, apps: int) -> None:
    """Mixed states through the ledger, and incidents through the alert runner (confirm 2)."""
    for i in range(apps):
        if i % 25 == 7:
            continue  # never ran: unknown
        service.ledger.record(f"app-{i:05d}", "home", "tcp", result(i % 12 != 5))
    for n in range(INCIDENTS):
        key = (f"app-{n * 12 + 5:05d}", "home")
        for _ in range(2):
            failed = observation_of(result(False), "zh-CN")
            assert failed is not None
            await service.alerts.handle_result(key, failed)
    for n, incident in enumerate(list(service.alerts.active.values())):
        if n % 3 == 0:
            await service.alerts.acknowledge(incident.id, "值班员", None)


def ms(values: list[float], q: float = 0.5) -> str:
    ordered = sorted(values)
    return f"{ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]:.1f}"


async def server_side(service: Service, base: str, requests: int) -> dict[str, Any]:
    took, body = [], b""
    async with aiohttp.ClientSession() as http:
        for _ in range(requests):
            began = time.perf_counter()
            async with http.get(base + "/") as resp:  # gzip, as a browser asks for it
                body = await resp.read()
            took.append((time.perf_counter() - began) * 1000)
        async with http.get(base + "/", headers={"Accept-Encoding": "gzip"},
                            auto_decompress=False) as resp:
            wire = len(await resp.read())
    config, tick = service.config, []
    shape, previous = layout(config), None
    ctx = service.web_app[CONSOLE_KEY]
    for _ in range(10):  # one client's tick, as live.take_snapshot + live.change do it
        backlog = await outbox_backlog(ctx)  # the stream reads it at most once a tick
        began, now = time.process_time(), time.time()
        active = list(service.alerts.active.values())
        states = service.ledger.check_states()
        tiles = tile_states(config, states, active, now)
        vitals = health(config, states, active, started_at=ctx.state.started_at,
                        backlog=backlog, in_flight=probes_in_flight(ctx))
        current = Snapshot(config, shape, tiles, count(tiles.values()),
                           department_counts(shape, tiles), incident_views(config, active, now),
                           vitals)
        change(previous, current, now)
        previous = current
        tick.append((time.process_time() - began) * 1000)
    return {"render": took, "bytes": len(body), "wire": wire, "tick": tick}


async def browser_side(service: Service, base: str, batch: int, batches: int
                       ) -> dict[str, Any]:
    async with launched_browser() as browser:
        context = await browser.new_context(viewport={"width": 1920, "height": 1080},
                                            locale="zh-CN", timezone_id="Asia/Shanghai")
        await context.add_init_script(OBSERVE)
        loads, firsts, load_tasks = [], [], []
        page = await context.new_page()
        for n in range(LOADS):  # fresh pages; the last one stays for the live part
            if n:
                await page.close()
                page = await context.new_page()
            await page.goto(base + "/", wait_until="load")
            await page.wait_for_function("() => 'first-contentful-paint' in window.__paints")
            loads.append(await page.evaluate("""() => {
                const n = performance.getEntriesByType("navigation")[0];
                return {dcl: n.domContentLoadedEventEnd, load: n.loadEventEnd,
                        fcp: window.__paints["first-contentful-paint"],
                        tiles: document.querySelectorAll("a.tile").length};
            }"""))
            await page.wait_for_function("() => window.appmonWall && "
                                         "window.appmonWall.frames.length > 0")
            firsts.append(await page.evaluate("[window.appmonWall.timings[0], "
                                              "window.appmonWall.frames[0]]"))
            load_tasks += await page.evaluate("window.__longTasks.slice()")
        await page.evaluate("window.__longTasks = []")
        up = [a.id for a in service.config.apps
              if (s := service.ledger.check_state(a.id, "home")) and s.last_ok]
        applied = []
        for n in range(batches):
            chosen = up[n * batch:(n + 1) * batch]
            events = await page.evaluate("window.appmonWall.events")
            for app_id in chosen:
                service.ledger.record(app_id, "home", "tcp", result(False))
            await page.wait_for_function(
                "([events, last]) => window.appmonWall.events > events && "
                "document.getElementById('t-' + last).dataset.status === 'down'",
                arg=[events, chosen[-1]])
            await page.wait_for_function("n => window.appmonWall.frames.length >= n",
                                         arg=events + 1)
            applied.append(await page.evaluate("[window.appmonWall.timings.at(-1), "
                                               "window.appmonWall.frames.at(-1)]"))
        live_tasks = await page.evaluate("window.__longTasks.slice()")
        await context.close()
    return {"loads": loads, "firsts": firsts, "load_tasks": load_tasks, "applied": applied,
            "live_tasks": live_tasks}


async def measure(apps: int, requests: int, batch: int, batches: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "wall.yaml"
        path.write_text(config_text(apps, Path(tmp) / "data"), encoding="utf-8")
        service = Service(load_config(path), background=False)
        await service.start()
        try:
            await seed(service, apps)
            base = f"http://127.0.0.1:{service.bound_port}"
            server = await server_side(service, base, requests)
            page = await browser_side(service, base, batch, batches)
        finally:
            await service.stop()
    print(f"\n== {apps} apps, {DEPARTMENTS} departments, {INCIDENTS} incidents ==")
    print(f"server  GET /: first {server['render'][0]:.1f} ms (cold), then median "
          f"{ms(server['render'][1:])} ms, p90 {ms(server['render'][1:], 0.9)} ms "
          f"over {requests - 1} requests; HTML {server['bytes'] / 1024:.0f} KiB "
          f"({server['wire'] / 1024:.0f} KiB sent gzipped)")
    print(f"server  live tick for one client (snapshot + diff): first {server['tick'][0]:.1f} ms"
          f" (every tile + the incidents HTML), then median {ms(server['tick'][1:])} ms CPU")
    loads = page["loads"]
    print(f"browser {loads[0]['tiles']} tiles, median of {len(loads)} loads: DOMContentLoaded "
          f"{ms([x['dcl'] for x in loads])} ms, load {ms([x['load'] for x in loads])} ms, "
          f"first contentful paint {ms([x['fcp'] for x in loads])} ms")
    print(f"browser first stream event (all {apps} tiles compared with the page): handler "
          f"{ms([f[0] for f in page['firsts']])} ms, to next frame "
          f"{ms([f[1] for f in page['firsts']])} ms (median)")
    tasks = page["load_tasks"]
    print(f"browser long tasks during {len(loads)} loads: {len(tasks)}"
          + (f" (longest {max(t['ms'] for t in tasks):.0f} ms)" if tasks else ""))
    applied, live_tasks = page["applied"], page["live_tasks"]
    print(f"browser live batches of {batch} tiles x {batches}: handler median "
          f"{ms([a[0] for a in applied])} ms (max {max(a[0] for a in applied):.1f}), to next "
          f"frame median {ms([a[1] for a in applied])} ms (max {max(a[1] for a in applied):.1f});"
          f" long tasks while updating: {len(live_tasks)}"
          + (f" (longest {max(t['ms'] for t in live_tasks):.0f} ms)" if live_tasks else ""))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="1000,5000")
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--batch", type=int, default=50)
    parser.add_argument("--batches", type=int, default=6)
    args = parser.parse_args()
    configure_logging("error", "json")
    for size in (int(s) for s in args.sizes.split(",")):
        asyncio.run(measure(size, args.requests, args.batch, args.batches))


if __name__ == "__main__":
    main()
