"""Fixtures of the listing and rectification tests: the inventory tests' synthetic data
(tests.inventory.synthetic: six apps the audit flags at NOW) written into a fresh data_dir
per test, a config that routes owner notices to a real DingTalk-style robot and a real SMTP
server, and a Service on a fixed clock with no timers (tests drive the rounds and the
outbox)."""

from __future__ import annotations

import textwrap
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from monitor.config import load_config
from monitor.service import Service
from tests.api.conftest import TOKEN, Api, SetClock
from tests.inventory import synthetic
from tests.support.receivers import DingTalkRobot, SmtpReceiver

OWNER_MOBILE = "13800000001"
OWNER_EMAIL = "zhangsan@kq.example.org"
# Listed apps the audit flags at synthetic.NOW (low-freq is on trial in this config).
FLAGGED_LISTED = {"zombie-quiet", "zombie-down", "no-owner", "low-avail", "bad-week"}


def governed_yaml(data_dir: Path, robot_url: str, center_url: str, smtp_port: int, *,
                  governance: str = "") -> str:
    apps = synthetic.config_yaml(data_dir).split("apps:\n", 1)[1]
    apps = apps.replace('mobile: "13800000001" }',
                        f'mobile: "{OWNER_MOBILE}", email: "{OWNER_EMAIL}" }}')
    apps = apps.replace("    irs_id:", '    notify: ["robot"]\n    irs_id:')
    apps = apps.replace('  - id: "low-freq"', '  - id: "low-freq"\n    status: "trial"')
    return textwrap.dedent(f"""\
        service:
          listen: "127.0.0.1:0"
          data_dir: "{data_dir}"
          timezone: "Asia/Shanghai"
          public_url: "http://console.example.org"
          api_tokens:
            - name: "oncall"
              token: "{TOKEN}"
        notifiers:
          - id: "robot"
            kind: "dingtalk"
            url: "{robot_url}"
          - id: "center"
            kind: "dingtalk"
            url: "{center_url}"
          - id: "mail"
            kind: "email"
            host: "127.0.0.1"
            port: {smtp_port}
            sender: "monitor@kq.example.org"
            to: ["ops@kq.example.org"]
        governance:
          notify: ["center"]
        """) + textwrap.indent(textwrap.dedent(governance), "  ") + "apps:\n" + apps


@dataclass
class Governed:
    data_dir: Path
    config_path: Path
    robot: DingTalkRobot
    center: DingTalkRobot
    smtp: SmtpReceiver


@pytest.fixture
async def governed(tmp_path: Path) -> AsyncIterator[Callable[..., Awaitable[Governed]]]:
    """`await governed(governance="remind_before: 25d\\n")`: data written, config saved."""
    async with DingTalkRobot(secret=None) as robot, DingTalkRobot(secret=None) as center, \
            SmtpReceiver() as smtp:
        async def make(governance: str = "") -> Governed:
            data_dir = tmp_path / "data"
            await synthetic.write_all(data_dir)
            path = tmp_path / "config.yaml"
            path.write_text(governed_yaml(data_dir, robot.url, center.url, smtp.port,
                                          governance=governance), encoding="utf-8")
            return Governed(data_dir, path, robot, center, smtp)
        yield make


@pytest.fixture
async def service_on() -> AsyncIterator[Callable[..., Awaitable[Service]]]:
    started: list[Service] = []

    async def start(setup: Governed, clock: SetClock) -> Service:
        service = Service(load_config(setup.config_path), clock=clock, background=False)
        await service.start()
        started.append(service)
        return service

    yield start
    for service in started:
        await service.stop()


@pytest.fixture
async def api_of() -> AsyncIterator[Callable[[Service], Api]]:
    async with aiohttp.ClientSession() as http:
        yield lambda service: Api(http, f"http://127.0.0.1:{service.bound_port}")


def texts_of(robot: DingTalkRobot) -> list[str]:
    return [m["markdown"]["text"] if m["msgtype"] == "markdown" else str(m)
            for m in robot.messages]


def ats(robot: DingTalkRobot) -> set[str]:
    found: set[str] = set()
    for message in robot.messages:
        at: dict[str, Any] = message.get("at") or {}
        found.update(at.get("atMobiles") or [])
    return found
