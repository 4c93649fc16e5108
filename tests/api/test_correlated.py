"""Correlated outages (大面积故障) through a real service: many apps failing together open one
parent that lists them; the children keep their own records and clocks but people hear of
them through the parent; acknowledging the parent acknowledges them; the parent resolves
with the last of them. Webhooks still get each app's own events."""

from __future__ import annotations

import textwrap
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import aiohttp
import pytest

from alerting.model import IncidentKind
from monitor.config import load_config
from monitor.console.pages.wall.incidents import incident_views
from monitor.service import Service
from tests.api.conftest import HOOK_SECRET, TOKEN
from tests.support.clocks import ManualClock
from tests.support.receivers import DingTalkRobot, SmtpReceiver, WebhookReceiver
from tests.support.target import Target, running_target, write_config

APPS = 26


def service_yaml(tmp_path: Path, target: Target, hook: WebhookReceiver, robot: DingTalkRobot,
                 mail: SmtpReceiver, *, apps: int = APPS, extra: str = "") -> str:
    rows = []
    for n in range(1, apps + 1):
        rows.append(textwrap.indent(textwrap.dedent(f"""\
            - id: "app-{n:02d}"
              name: "应用{n:02d}"
              department: "部门{n % 4}"
              tier: {1 if n % 3 else 2}
              notify: ["robot", "mail", "hook"]
              owner: {{name: "负责人{n:02d}", mobile: "1380000{n:04d}", email: "o{n}@x.example"}}
              checks:
                - id: "home"
                  name: "首页"
                  kind: "http"
                  url: "{target.url}/health/{n}"
                  interval: "60s"
                  timeout: "2s"
                  confirm: 2
            """), "  "))
    head = textwrap.dedent(f"""\
        service:
          listen: "127.0.0.1:0"
          data_dir: "{tmp_path / 'data'}"
          api_tokens: [{{name: "oncall", token: "{TOKEN}"}}]
        sla: {{response: "15m", resolution: "1h"}}
        alerting:
          reminder_interval: null
        {extra}
        notifiers:
          - id: "robot"
            kind: "dingtalk"
            url: "{robot.url}"
            secret: "{robot.secret}"
            at_mobiles: ["13912345678"]
          - id: "mail"
            kind: "email"
            host: "127.0.0.1"
            port: {mail.port}
            sender: "monitor@x.example"
            to: ["oncall@x.example"]
          - id: "hook"
            kind: "webhook"
            url: "{hook.url}"
            hmac_secret: "{HOOK_SECRET}"
        apps:
        """)
    return head + "".join(rows)


class World:
    def __init__(self, service: Service, target: Target, clock: ManualClock,
                 hook: WebhookReceiver, robot: DingTalkRobot, mail: SmtpReceiver) -> None:
        self.service, self.target, self.clock = service, target, clock
        self.hook, self.robot, self.mail = hook, robot, mail

    async def run(self, app_id: str | None = None) -> None:
        await self.service.scheduler.run_once(app_id)
        await self.service.alerts.drain()

    async def fail_all(self) -> None:
        """Every app fails twice, 60 s apart (confirm 2): all open at the same moment."""
        self.target.status = 503
        await self.run()
        self.clock.advance(60)
        await self.run()

    def parents(self) -> list[Any]:
        return [i for i in self.service.alerts.active.values()
                if i.kind == IncidentKind.CORRELATED]

    def children(self) -> list[Any]:
        return [i for i in self.service.alerts.active.values() if i.kind == "outage"]


@asynccontextmanager
async def started_world(tmp_path: Path, *, apps: int = APPS, extra: str = ""
                        ) -> AsyncIterator[World]:
    clock = ManualClock()
    async with running_target() as target, WebhookReceiver(secret=HOOK_SECRET) as hook, \
            DingTalkRobot(clock=clock) as robot, SmtpReceiver() as mail:
        config = write_config(tmp_path, service_yaml(tmp_path, target, hook, robot, mail,
                                                     apps=apps, extra=extra))
        service = Service(load_config(config), clock=clock, background=False)
        await service.start()
        try:
            yield World(service, target, clock, hook, robot, mail)
        finally:
            await service.stop()


@pytest.fixture
async def world(tmp_path: Path) -> AsyncIterator[World]:
    async with started_world(tmp_path) as started:
        yield started


async def test_26_apps_down_together_open_one_parent_listing_all(world: World) -> None:
    await world.fail_all()
    [parent] = world.parents()
    children = world.children()
    assert len(children) == APPS
    assert {c.parent_id for c in children} == {parent.id}
    assert sorted(c.app_id for c in parent.children) == sorted(c.app_id for c in children)
    assert parent.summary == f"{APPS} 个应用同时故障"
    assert parent.app_name == "大面积故障"
    # Children keep their own SLA clocks; the parent carries none.
    assert all(c.has_sla for c in children)
    assert not parent.has_sla
    # Webhooks: each app's own opened event, nothing of the parent (not in CONTRACT §4).
    await world.service.outbox.run_once()
    opened = [r.body for r in world.hook.received if r.body["event"] == "incident.opened"]
    assert sorted(b["incident"]["app_id"] for b in opened) == sorted(c.app_id for c in children)
    assert all(r.body["incident"]["kind"] == "outage" for r in world.hook.received)
    # The API shows the family both ways.
    async with aiohttp.ClientSession() as http:
        base = f"http://127.0.0.1:{world.service.bound_port}"
        async with http.get(f"{base}/api/v1/incidents/{parent.id}") as resp:
            body = await resp.json()
        assert body["kind"] == "correlated"
        assert len(body["children"]) == APPS
        async with http.get(f"{base}/api/v1/incidents/{children[0].id}") as resp:
            assert (await resp.json())["parent_id"] == parent.id
    # The wall shows the event too (and each app's own outage).
    tiles = incident_views(world.service.config, world.service.alerts.active.values(),
                           world.clock.now())
    assert [t.app_name for t in tiles].count("大面积故障") == 1
    assert len(tiles) == APPS + 1


async def test_resolving_the_parent_by_hand_resolves_its_apps(world: World) -> None:
    await world.fail_all()
    [parent] = world.parents()
    world.target.status = 200
    done = await world.service.alerts.resolve(parent.id, "李四", "核心交换机故障", None,
                                              force=True)
    assert done.state == "resolved"
    assert done.resolved_by == "李四"
    assert not world.service.alerts.active
    child = await world.service.alerts.get(parent.children[0].id)
    assert (child.resolved_by, child.cause) == ("李四", "核心交换机故障")


async def test_people_hear_of_the_children_through_the_parent(world: World) -> None:
    await world.fail_all()
    [parent] = world.parents()
    records = {c.id: await world.service.alert_store.deliveries_for(c.id)
               for c in world.children()}
    people = {cid: [r for r in rs if r.delivery.notifier_id != "hook"]
              for cid, rs in records.items()}
    # Only the outages that opened before the family formed had their own message queued.
    assert sum(1 for rs in people.values() if rs) == 4
    family = await world.service.alert_store.deliveries_for(parent.id)
    robot = [r.delivery for r in family if r.delivery.notifier_id == "robot"
             and r.delivery.event == "incident.opened"]
    assert robot, "the parent goes to the apps' robot"
    # Every app owner's mobile and the on-call's are @-mentioned on the family's message.
    mobiles = set(robot[0].recipients.at_mobiles)
    assert {f"1380000{n:04d}" for n in range(1, 6)} <= mobiles
    mails = [r.delivery for r in family if r.delivery.notifier_id == "mail"]
    assert {m.target for m in mails} == {"mail", "mail:owner"}
    events = sorted({r.delivery.event for r in family})
    assert events == ["incident.joined", "incident.opened"]


async def test_acknowledging_the_parent_acknowledges_every_child(world: World) -> None:
    await world.fail_all()
    [parent] = world.parents()
    world.clock.advance(120)
    ack = urlsplit(world.service.links.ack_url(parent.id))
    async with aiohttp.ClientSession() as http:
        base = f"http://127.0.0.1:{world.service.bound_port}"
        async with http.get(f"{base}{ack.path}?{ack.query}") as resp:
            page = await resp.text()
            assert resp.status == 200
            assert "大面积故障" in page
        token = ack.query.removeprefix("t=")
        async with http.post(f"{base}{ack.path}", data={"by": "值班员李四", "t": token}) as resp:
            assert resp.status in (200, 303), await resp.text()
    for child in world.children():
        assert (child.acknowledged_by, child.acknowledged_at) == ("值班员李四", world.clock.now())
        assert child.response_seconds == 120
    assert world.service.alerts.active[parent.id].acknowledged_by == "值班员李四"
    await world.service.outbox.run_once()
    acked = [r.body for r in world.hook.received if r.body["event"] == "incident.acknowledged"]
    assert len(acked) == APPS  # each app's record, through its webhook


async def test_the_parent_resolves_with_its_last_child(world: World) -> None:
    await world.fail_all()
    [parent] = world.parents()
    world.target.status = 200
    for n in range(1, APPS):  # all but the last recover
        world.clock.advance(1)
        await world.run(f"app-{n:02d}")
        world.clock.advance(1)
        await world.run(f"app-{n:02d}")
    assert world.service.alerts.active[parent.id].is_active
    world.clock.advance(1)
    await world.run(f"app-{APPS:02d}")
    world.clock.advance(1)
    await world.run(f"app-{APPS:02d}")
    done = await world.service.alerts.get(parent.id)
    assert done.state == "resolved"
    assert done.auto_resolved
    assert not world.service.alerts.active
    family = await world.service.alert_store.deliveries_for(parent.id)
    assert "incident.resolved" in {r.delivery.event for r in family}
    # No app's own "resolved" went to people while its family was open.
    child = await world.service.alert_store.deliveries_for(parent.children[0].id)
    assert {r.delivery.notifier_id for r in child if r.delivery.event == "incident.resolved"} \
        == {"hook"}


async def test_a_few_apps_down_stay_ordinary_outages(world: World) -> None:
    world.target.status = 503
    for n in (1, 2, 3):
        await world.run(f"app-{n:02d}")
    world.clock.advance(60)
    for n in (1, 2, 3):
        await world.run(f"app-{n:02d}")
    assert len(world.children()) == 3
    assert not world.parents()
    assert all(c.parent_id is None for c in world.children())


async def test_every_check_on_one_shared_host_failing_is_one_event(tmp_path: Path) -> None:
    # Three apps behind one gateway (fewer than min_apps): all of them down is one cause.
    async with started_world(tmp_path, apps=3) as world:
        await world.fail_all()
        [parent] = world.parents()
        assert len(parent.children) == 3


async def test_correlation_can_be_turned_off(tmp_path: Path) -> None:
    async with started_world(tmp_path, apps=6, extra="  correlate: {enabled: false}") as world:
        await world.fail_all()
        assert not world.parents()
        assert len(world.children()) == 6


async def test_a_burst_spread_over_two_minutes_stays_a_few_messages(world: World) -> None:
    """One app after another every 4.6 s for two minutes: the group gets a message when the
    first fails, then at most one per group_interval, every app named, the robot never
    refusing; the mailbox likewise."""
    world.target.status = 503
    for n in range(1, APPS + 1):
        world.clock.advance(4.6)
        await world.run(f"app-{n:02d}")
        await world.run(f"app-{n:02d}")  # confirm 2: opens now
        await world.service.outbox.run_once()
    for _ in range(3):  # what the last interval held
        world.clock.advance(15)
        await world.service.outbox.run_once()
    texts = [m["markdown"]["text"] for m in world.robot.messages]
    assert world.robot.errors == []
    assert 2 < len(texts) <= 3 + (APPS * 4.6) // 15  # first, digest, one per interval
    assert [n for n in range(1, APPS + 1) if not any(f"应用{n:02d}" in t for t in texts)] == []
    # The on-call's mail and the owners' each time, and four owners before the family formed.
    assert len(world.mail.messages) <= len(texts) * 2 + 4
    [parent] = world.parents()
    assert len(parent.children) == APPS


async def test_26_at_once_reach_the_robot_in_at_most_3_messages_within_20_s(
        world: World) -> None:
    await world.fail_all()  # all 26 open at this moment
    opened_at = world.clock.now()
    named_at: dict[int, float] = {}
    for _ in range(5):  # the outbox's passes over the next 20 s
        await world.service.outbox.run_once()
        for message in world.robot.messages:
            for n in range(1, APPS + 1):
                if f"应用{n:02d}" in message["markdown"]["text"]:
                    named_at.setdefault(n, world.clock.now())
        world.clock.advance(5)
    assert len(world.robot.messages) <= 3
    assert world.robot.errors == []
    assert sorted(named_at) == list(range(1, APPS + 1))
    assert max(named_at.values()) - opened_at <= 20
    assert all(m["msgtype"] == "markdown" for m in world.robot.messages)  # they ring
    assert "13912345678" in world.robot.messages[0]["at"]["atMobiles"]
    # The on-call's mailbox: one mail, every app named.
    to_oncall = [m for m in world.mail.messages if m.rcpt_tos == ("oncall@x.example",)]
    assert len(to_oncall) == 1
    body = to_oncall[0].message.get_body(("plain",))
    assert body is not None
    assert all(f"应用{n:02d}" in body.get_content() for n in range(1, APPS + 1))
