"""A burst of simultaneous outages: how many messages each channel gets, and how long until
the last app is named in one of them.

    .venv/bin/python tests/benchmarks/notify_burst.py [--apps 26 200] [--interval 5]

Runs the real service (scheduler, probes, alert engine, correlation, grouping, outbox) against
N local apps that all start failing at the same moment (interval `--interval`, confirm 2),
notifying a DingTalk-style robot (verifies 加签, refuses the 21st message in a minute with
130101), a real SMTP server and a webhook. For each channel it prints the messages received,
and the seconds from the outage to the message naming the last app. Nothing is asserted.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import textwrap
import time
from pathlib import Path
from typing import Any

from aiohttp import web

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from monitor.config import load_config  # noqa: E402
from monitor.core.logs import configure_logging  # noqa: E402
from monitor.service import Service  # noqa: E402
from tests.support.http_servers import serve_app  # noqa: E402
from tests.support.receivers import DingTalkRobot, SmtpReceiver, WebhookReceiver  # noqa: E402


class Farm:
    def __init__(self) -> None:
        self.down = False

    async def handle(self, _request: web.Request) -> web.Response:
        return web.Response(status=503 if self.down else 200)


def app_name(n: int) -> str:
    return f"街道应用{n:03d}号"


def config_text(data: Path, farm_url: str, robot: DingTalkRobot, mail: SmtpReceiver,
                hook: WebhookReceiver, apps: int, interval: float) -> str:
    rows = "".join(textwrap.dedent(f"""\
          - id: "app-{n:03d}"
            name: "{app_name(n)}"
            tier: 1
            notify: ["robot", "mail", "hook"]
            checks:
              - id: "home"
                kind: "http"
                url: "{farm_url}/app/{n}"
        """) for n in range(1, apps + 1))
    return textwrap.dedent(f"""\
        service:
          listen: "127.0.0.1:0"
          data_dir: "{data}"
          log_level: "warning"
        defaults: {{interval: "{interval}s", timeout: "2s", confirm: 2, recover: 2}}
        notifiers:
          - {{id: "robot", kind: "dingtalk", url: "{robot.url}", secret: "{robot.secret}",
              at_mobiles: ["13900000000"]}}
          - {{id: "mail", kind: "email", host: "127.0.0.1", port: {mail.port},
              sender: "monitor@example.org", to: ["oncall@example.org"]}}
          - {{id: "hook", kind: "webhook", url: "{hook.url}"}}
        apps:
        """) + textwrap.indent(rows, "  ")


def robot_text(body: dict[str, Any]) -> str:
    kind = body["msgtype"]
    return str(body[kind].get("text") or body[kind].get("content") or "")


def mail_text(mail: Any) -> str:
    part = mail.message.get_body(("plain",))
    return str(part.get_content()) if part is not None else ""


def hook_text(received: Any) -> str:
    return str(received.body["incident"]["app_name"])


class Watch:
    """When each channel's messages arrived, and what each named."""

    def __init__(self, apps: int) -> None:
        self.names = [app_name(n) for n in range(1, apps + 1)]
        self.seen: dict[str, list[tuple[float, str]]] = {"dingtalk": [], "email": [],
                                                          "webhook": []}
        self.counts = {"dingtalk": 0, "email": 0, "webhook": 0}

    def poll(self, robot: DingTalkRobot, mail: SmtpReceiver, hook: WebhookReceiver,
             now: float) -> None:
        for channel, items, text_of in (("dingtalk", robot.messages, robot_text),
                                        ("email", mail.messages, mail_text),
                                        ("webhook", hook.received, hook_text)):
            for item in items[self.counts[channel]:]:
                self.seen[channel].append((now, text_of(item)))
            self.counts[channel] = len(items)

    def last_named(self, channel: str, start: float) -> tuple[float | None, int]:
        """Seconds from `start` until every app was named, and how many were named."""
        named: set[str] = set()
        done_at = None
        for at, text in self.seen[channel]:
            named |= {n for n in self.names if n in text}
            if done_at is None and len(named) == len(self.names):
                done_at = at - start
        return done_at, len(named)


async def burst(apps: int, interval: float) -> None:
    farm = Farm()
    router = web.Application()
    router.router.add_get("/app/{n}", farm.handle)
    async with serve_app(router) as farm_url, DingTalkRobot() as robot, \
            SmtpReceiver() as mail, WebhookReceiver(secret=None) as hook:
        data = Path(tempfile.mkdtemp(prefix="notify-burst-"))
        path = data / "config.yaml"
        path.write_text(config_text(data / "data", farm_url, robot, mail, hook, apps, interval),
                        "utf-8")
        service = Service(load_config(path))
        await service.start()
        try:
            await asyncio.sleep(interval * 2)  # every check has run and passed
            watch = Watch(apps)
            farm.down = True
            start = time.monotonic()
            first_open: float | None = None
            while time.monotonic() - start < interval * 2 + 60:
                await asyncio.sleep(0.05)
                now = time.monotonic()
                if first_open is None and service.alerts.active:
                    first_open = now - start
                watch.poll(robot, mail, hook, now)
            opened = [i for i in service.alerts.active.values() if i.kind == "outage"]
            parents = [i for i in service.alerts.active.values() if i.kind == "correlated"]
            print(f"\n{apps} apps down at once (interval {interval:g}s, confirm 2): "
                  f"{len(opened)} outages, {len(parents)} correlated parent(s); "
                  f"first incident opened {first_open or 0:.1f}s after the outage")
            print(f"{'channel':10} {'messages':>9} {'apps named':>11} {'last app named after':>21}")
            for channel in ("dingtalk", "email", "webhook"):
                done_at, named = watch.last_named(channel, start)
                when = f"{done_at:.1f}s" if done_at is not None else "never"
                print(f"{channel:10} {len(watch.seen[channel]):>9} {named:>11} {when:>21}")
            print(f"robot refusals: {len(robot.errors)}")
        finally:
            await service.stop()


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--apps", type=int, nargs="+", default=[26, 200])
    parser.add_argument("--interval", type=float, default=5.0)
    args = parser.parse_args()
    configure_logging("error", "console")
    for apps in args.apps:
        await burst(apps, args.interval)


if __name__ == "__main__":
    asyncio.run(main())
