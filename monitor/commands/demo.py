"""`demo`: a farm of simulated apps on localhost and the full service against it.

It loads the shipped monitor/demo/demo.yaml through the real loader, with the farm's ports passed as
${DEMO_*} variables, so the demo exercises exactly what `run` does.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import os
import secrets
import socket
import sys
import tempfile
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path

from aiohttp import web

from monitor.commands.common import EXIT_OK, EXIT_USAGE, report_config_error
from monitor.commands.serving import serve_until_signalled
from monitor.commands.words import WORDS, say
from monitor.config import ConfigError, load_config
from monitor.core.i18n import error_label, text
from monitor.core.logs import configure_logging
from monitor.demo.farm import GATEWAY_APPS, Farm, start_farm
from monitor.demo.robot import DemoRobot
from monitor.scheduler import ScheduledCheck
from monitor.service import Service
from monitor.table import render_table
from probes.base import ProbeResult

DEMO_CONFIG = Path(__file__).resolve().parents[1] / "demo" / "demo.yaml"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def run(args: argparse.Namespace) -> int:
    data_dir = Path(args.data_dir or tempfile.mkdtemp(prefix="appmon-demo-"))
    configure_logging("warning", "console")
    try:
        asyncio.run(_demo(args, data_dir))
    except ConfigError as exc:
        report_config_error(exc)
        return EXIT_USAGE
    return EXIT_OK


async def _demo(args: argparse.Namespace, data_dir: Path) -> None:
    farm = await start_farm(work_dir=data_dir / "farm", outage_after_s=args.outage_after,
                            outage_for_s=args.outage_for, gateway_after_s=args.gateway_after,
                            gateway_for_s=args.gateway_for)
    try:
        port = args.port or free_port()
        token = secrets.token_urlsafe(16)
        robot_token, robot_secret = secrets.token_hex(16), "SEC" + secrets.token_hex(24)
        env = {**os.environ, **farm.env(), "DEMO_LISTEN_PORT": str(port),
               "DEMO_DATA_DIR": str(data_dir), "DEMO_API_TOKEN": token,
               "DEMO_ROBOT_TOKEN": robot_token, "DEMO_ROBOT_SECRET": robot_secret}
        config = load_config(DEMO_CONFIG, env=env)
        lang = config.service.language
        robot = DemoRobot(robot_token, robot_secret, lang, out=lambda s: print(s, flush=True))
        service = Service(config, extra_routes=[web.post("/demo/hook", _hook(lang)),
                                                robot.route()])
        await service.start()
        service.scheduler.add_result_hook(_printer(lang))
        with _enter_triggers(lambda: _trigger_gateway(lang, farm)):
            await serve_until_signalled(
                service, DEMO_CONFIG,
                on_ready=lambda: _print_intro(lang, farm, config.service.public_url, args,
                                              token),
                duration_s=args.duration or None,
            )
        print(text(lang, "run.stopped"))
    finally:
        await farm.close()


def _trigger_gateway(lang: str, farm: Farm) -> None:
    farm.gateway.trigger()
    print(say(lang, "demo.gateway.down", n=len(GATEWAY_APPS),
              duration=int(farm.gateway.down_for_s)), flush=True)


@contextlib.contextmanager
def _enter_triggers(action: Callable[[], None]) -> Iterator[None]:
    """On a terminal, each Enter key press runs `action` (the simulated gateway outage)."""
    if not sys.stdin.isatty():
        yield
        return
    loop = asyncio.get_running_loop()

    def on_line() -> None:
        if sys.stdin.readline():
            action()

    loop.add_reader(sys.stdin.fileno(), on_line)
    try:
        yield
    finally:
        loop.remove_reader(sys.stdin.fileno())


def _hook(lang: str) -> Callable[[web.Request], Awaitable[web.Response]]:
    """The demo's own webhook receiver: prints each notification as it arrives, so the demo
    shows the whole path from outage to incident to notification."""

    async def receive(request: web.Request) -> web.Response:
        body = await request.json()
        incident = body.get("incident", {})
        at = dt.datetime.now().strftime("%H:%M:%S")
        event = str(body.get("event", "")).removeprefix("incident.")
        key = f"demo.event.{event}"
        print(say(lang, "demo.notified", at=at, event=say(lang, key) if key in WORDS else event,
                  app=incident.get("app_name"), check=incident.get("check_id"),
                  id=incident.get("id")), flush=True)
        return web.json_response({"ok": True})

    return receive


def _print_intro(lang: str, farm: Farm, url: str, args: argparse.Namespace,
                 token: str) -> None:
    print(text(lang, "demo.farm"))
    print(render_table(["", ""], [[name, address] for name, address in farm.describe()]))
    print(text(lang, "demo.outage", after=int(args.outage_after), duration=int(args.outage_for)))
    print(say(lang, "demo.gateway", n=len(GATEWAY_APPS), after=int(args.gateway_after),
              duration=int(args.gateway_for), apps="、".join(n for n, _ in GATEWAY_APPS)))
    print(text(lang, "demo.console", url=url))
    # A throwaway token made for this run, shown to the person who started it (as a notebook
    # server shows its login link): the demo's console is theirs to try the forms.
    print(text(lang, "demo.signin", token=token), flush=True)


def _printer(lang: str) -> Callable[[ScheduledCheck, ProbeResult], None]:
    """A result hook that prints each check's status changes as they happen."""
    last: dict[tuple[str, str], bool] = {}

    def hook(scheduled: ScheduledCheck, result: ProbeResult) -> None:
        if last.get(scheduled.key) == result.ok:
            return
        last[scheduled.key] = result.ok
        at = dt.datetime.fromtimestamp(result.started_at).strftime("%H:%M:%S")
        status = text(lang, "status.up" if result.ok else "status.down")
        detail = "" if result.ok else f"  {error_label(lang, result.error_kind)}: {result.message}"
        print(f"[{at}] {scheduled.app.name} / {scheduled.check.id}: {status}"
              f" ({result.latency_s * 1000:.0f} ms){detail}", flush=True)

    return hook
