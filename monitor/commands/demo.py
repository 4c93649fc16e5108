"""`demo`: a farm of simulated apps on localhost and the full service against it.

It fills the shipped monitor/demo/demo.yaml's ${DEMO_*} (the farm's ports, tokens, the rota's
handover a few minutes from now), writes the result as config.yaml in the demo's data directory
(./demo-data unless --data-dir says otherwise; kept after the demo stops, rewritten at each
start, the ledger kept) and loads that file through the real loader, so the demo exercises
exactly what `run` does and `check`, `report` and `inventory` can use the same file afterwards.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import secrets
import socket
import sys
import time
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from zoneinfo import ZoneInfo

import yaml
from aiohttp import web

from alerting.rota import Rota
from monitor.commands.common import EXIT_OK, EXIT_USAGE, report_config_error
from monitor.commands.serving import serve_until_signalled
from monitor.commands.words import WORDS, say
from monitor.config import ConfigError, load_config
from monitor.core.config.model import Config
from monitor.core.i18n import error_label, text
from monitor.core.logs import configure_logging
from monitor.demo.democonfig import render, rota_variables, write_private
from monitor.demo.farm import BY_DESIGN, GATEWAY_APPS, Farm, start_farm
from monitor.demo.governance import DemoParts, open_item, put_on_trial
from monitor.demo.robot import DemoRobot
from monitor.scheduler import ScheduledCheck
from monitor.service import Service
from monitor.table import render_table
from probes.base import ProbeResult

DEMO_CONFIG = Path(__file__).resolve().parents[1] / "demo" / "demo.yaml"
DEFAULT_DATA_DIR = "demo-data"  # relative to the current directory
CONFIG_FILE = "config.yaml"  # the demo's config, written into its data directory


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def run(args: argparse.Namespace) -> int:
    data_dir = Path(args.data_dir or DEFAULT_DATA_DIR).resolve()
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
        variables = {**farm.env(), "DEMO_LISTEN_PORT": str(port),
                     "DEMO_DATA_DIR": str(data_dir), "DEMO_API_TOKEN": token,
                     "DEMO_ROBOT_TOKEN": robot_token, "DEMO_ROBOT_SECRET": robot_secret,
                     **rota_variables(time.time(), _template_timezone())}
        # The demo's own file (its secrets included, hence 0600): rewritten at every start,
        # since a fresh farm has new ports; the ledger beside it is kept.
        config_path = data_dir / CONFIG_FILE
        write_private(config_path, render(DEMO_CONFIG.read_text(encoding="utf-8"), variables))
        config = load_config(config_path, env={})
        lang = config.service.language
        tz = ZoneInfo(config.service.timezone)  # every time the demo prints is in it
        robot = DemoRobot(robot_token, robot_secret, lang, out=lambda s: print(s, flush=True),
                          tz=tz)
        service = Service(config, extra_routes=[web.post("/demo/hook", _hook(lang, tz)),
                                                robot.route()])
        await service.start()
        service.scheduler.add_result_hook(_printer(lang, tz))
        parts = DemoParts(service.config, service.ledger, service.alert_store,
                          service.traffic, service.listing.store)
        trial = await put_on_trial(parts, by=say(lang, "demo.by"),
                                   note=say(lang, "demo.trial_note"))
        item = await open_item(parts)

        def ready() -> None:
            _print_intro(lang, farm, str(service.config.service.public_url), args, token)
            _print_setup(lang, service.config, data_dir, config_path)
            if trial is not None:
                print(say(lang, "demo.trial", app=trial))
            if item is not None:
                print(say(lang, "demo.item", app=item.app_name, id=item.id,
                          deadline=item.deadline.isoformat()), flush=True)

        with _enter_triggers(lambda: _trigger_gateway(lang, farm)):
            await serve_until_signalled(service, config_path, on_ready=ready,
                                        duration_s=args.duration or None)
        print(text(lang, "run.stopped"))
        print(say(lang, "demo.kept", dir=data_dir, config=config_path), flush=True)
    finally:
        await farm.close()


def _template_timezone() -> ZoneInfo:
    """service.timezone of the shipped demo.yaml (the rota's handover is local time there)."""
    template = yaml.safe_load(DEMO_CONFIG.read_text(encoding="utf-8"))
    return ZoneInfo(str(template["service"]["timezone"]))


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


def _hook(lang: str, tz: ZoneInfo) -> Callable[[web.Request], Awaitable[web.Response]]:
    """The demo's own webhook receiver: prints each notification as it arrives, so the demo
    shows the whole path from outage to incident to notification; with the first incident
    opened, the link that acknowledges it from a phone."""
    shown_ack = False

    async def receive(request: web.Request) -> web.Response:
        nonlocal shown_ack
        body = await request.json()
        at = dt.datetime.now(tz).strftime("%H:%M:%S")
        if "incident" not in body:  # a rectification notice: its title says it all
            notice = body.get("notice") or {}
            print(say(lang, "demo.notice", at=at, title=notice.get("title", body.get("event"))),
                  flush=True)
            return web.json_response({"ok": True})
        incident = body["incident"]
        event = str(body.get("event", "")).removeprefix("incident.")
        key = f"demo.event.{event}"
        print(say(lang, "demo.notified", at=at, event=say(lang, key) if key in WORDS else event,
                  app=incident.get("app_name"), check=incident.get("check_id"),
                  id=incident.get("id")), flush=True)
        ack = (body.get("links") or {}).get("ack")
        if event == "opened" and ack and not shown_ack:
            shown_ack = True
            print(say(lang, "demo.ack_link", url=ack), flush=True)
        return web.json_response({"ok": True})

    return receive


def _labelled(lang: str, name: str) -> str:
    """The app's name, with how it fails when it fails by design: 基层智治（设计为间歇故障）."""
    how = BY_DESIGN.get(name)
    return name if how is None else say(lang, "demo.by_design", app=name,
                                        how=say(lang, f"demo.design.{how}"))


def _print_intro(lang: str, farm: Farm, url: str, args: argparse.Namespace,
                 token: str) -> None:
    print(text(lang, "demo.farm"))
    print(render_table(["", ""], [[_labelled(lang, name), address]
                                  for name, address in farm.describe()]))
    print(text(lang, "demo.outage", after=int(args.outage_after), duration=int(args.outage_for)))
    print(say(lang, "demo.gateway", n=len(GATEWAY_APPS), after=int(args.gateway_after),
              duration=int(args.gateway_for), apps="、".join(n for n, _ in GATEWAY_APPS)))
    print(text(lang, "demo.console", url=url))
    # A throwaway token made for this run, shown to the person who started it (as a notebook
    # server shows its login link): the demo's console is theirs to try the forms.
    print(text(lang, "demo.signin", token=token), flush=True)


def _print_setup(lang: str, config: Config, data_dir: Path, config_path: Path) -> None:
    """Where the demo keeps its data and config, and who is on duty until when."""
    print(say(lang, "demo.data", dir=data_dir, config=config_path))
    tz = ZoneInfo(config.service.timezone)
    now = time.time()
    for rotation in config.oncall:
        rota = Rota(rotation, tz)
        shift, after = rota.on_duty(now), rota.next_after(now)
        if shift is None or after is None:
            continue
        until = dt.datetime.fromtimestamp(shift.until, rota.tz).strftime("%H:%M")
        print(say(lang, "demo.on_duty", rota=rotation.title, name=shift.member.name,
                  mobile=shift.member.mobile or "—", until=until, next=after.member.name))
    sys.stdout.flush()


def _printer(lang: str, tz: ZoneInfo) -> Callable[[ScheduledCheck, ProbeResult], None]:
    """A result hook that prints each check's status changes as they happen."""
    last: dict[tuple[str, str], bool] = {}

    def hook(scheduled: ScheduledCheck, result: ProbeResult) -> None:
        if last.get(scheduled.key) == result.ok:
            return
        last[scheduled.key] = result.ok
        at = dt.datetime.fromtimestamp(result.started_at, tz).strftime("%H:%M:%S")
        status = text(lang, "status.up" if result.ok else "status.down")
        detail = "" if result.ok else f"  {error_label(lang, result.error_kind)}: {result.message}"
        print(f"[{at}] {_labelled(lang, scheduled.app.name)} / {scheduled.check.id}: {status}"
              f" ({result.latency_s * 1000:.0f} ms){detail}", flush=True)

    return hook
