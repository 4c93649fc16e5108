"""The duty rota through a real service: who is on duty (masked for readers without a token),
escalation ringing the person on duty and the backup through a real robot receiver, a swap
through the API, the iCalendar feed read back with a real parser, the handover message."""

from __future__ import annotations

import json
import textwrap
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import aiohttp
import icalendar
import pytest

from monitor.config import load_config
from monitor.service import Service
from tests.api.conftest import TOKEN
from tests.support.clocks import ManualClock
from tests.support.receivers import DingTalkRobot
from tests.support.target import Target, running_target, write_config

# The fake clock starts at 2025-11-25 00:00 +08:00; the rota started on the 24th at 09:00,
# daily: 李明 until the 25th 09:00, then 王芳, then 赵强.
LI, WANG, ZHAO = "13800000011", "13800000012", "13800000013"


def config_text(tmp_path: Path, target: Target, robot: DingTalkRobot) -> str:
    return textwrap.dedent(f"""\
        service:
          listen: "127.0.0.1:0"
          data_dir: "{tmp_path / 'data'}"
          api_tokens: [{{name: "oncall", token: "{TOKEN}"}}]
        alerting: {{reminder_interval: null, group_wait: "0s", group_interval: "0s"}}
        oncall:
          - id: "ops"
            name: "运维值班"
            turn: "daily"
            handover: "09:00"
            start: "2025-11-24"
            members:
              - {{name: "李明", mobile: "{LI}", email: "liming@example.org"}}
              - {{name: "王芳", mobile: "{WANG}"}}
              - {{name: "赵强", mobile: "{ZHAO}"}}
            notify: ["robot"]
        escalation:
          - {{after: "0s", notify: ["app", "oncall:ops"]}}
          - {{after: "10m", notify: ["oncall:ops+1"]}}
        notifiers:
          - {{id: "robot", kind: "dingtalk", url: "{robot.url}", secret: "{robot.secret}"}}
        apps:
          - id: "kq-oa"
            name: "柯桥区协同办公"
            notify: ["robot"]
            checks:
              - {{id: "home", kind: "http", url: "{target.url}/health", interval: "60s",
                  confirm: 2}}
        """)


@dataclass
class World:
    service: Service
    clock: ManualClock
    robot: DingTalkRobot
    target: Target
    http: aiohttp.ClientSession
    data: Path

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.service.bound_port}"

    async def get(self, path: str, *, token: bool = False) -> tuple[int, str]:
        headers = {"Authorization": f"Bearer {TOKEN}"} if token else {}
        async with self.http.get(self.base + path, headers=headers) as resp:
            return resp.status, await resp.text()


@pytest.fixture
async def world(tmp_path: Path) -> AsyncIterator[World]:
    clock = ManualClock()
    async with running_target() as target, DingTalkRobot(clock=clock) as robot, \
            aiohttp.ClientSession() as http:
        config = write_config(tmp_path, config_text(tmp_path, target, robot))
        service = Service(load_config(config), clock=clock, background=False)
        await service.start()
        try:
            yield World(service, clock, robot, target, http, tmp_path / "data")
        finally:
            await service.stop()


async def test_who_is_on_duty_masked_without_a_token(world: World) -> None:
    status, text = await world.get("/api/v1/oncall")
    assert status == 200
    [rotation] = json.loads(text)["rotations"]
    assert (rotation["id"], rotation["name"]) == ("ops", "运维值班")
    assert rotation["now"]["name"] == "李明"
    assert rotation["now"]["mobile"] == "138****0011"
    assert rotation["now"]["until"] == "2025-11-25T09:00:00+08:00"
    assert rotation["next"]["name"] == "王芳"
    _, text = await world.get("/api/v1/oncall", token=True)
    assert json.loads(text)["rotations"][0]["now"]["mobile"] == LI


async def test_escalation_rings_the_person_on_duty_then_the_backup(world: World) -> None:
    world.target.status = 503
    await world.service.scheduler.run_once("kq-oa")
    world.clock.advance(60)
    await world.service.scheduler.run_once("kq-oa")
    await world.service.alerts.drain()
    await world.service.outbox.run_once()
    [opened] = world.robot.messages
    assert opened["msgtype"] == "markdown"  # it rings
    assert opened["at"]["atMobiles"] == [LI]
    assert f"@{LI}" in opened["markdown"]["text"]
    assert "**值班**：李明" in opened["markdown"]["text"]  # who is on duty, by name
    world.clock.advance(600)  # unacknowledged: the second step, the backup
    await world.service.alerts.tick_all()
    await world.service.outbox.run_once()
    assert world.robot.messages[-1]["at"]["atMobiles"] == [WANG]
    assert "**值班**：王芳" in world.robot.messages[-1]["markdown"]["text"]


async def test_a_swap_through_the_api_changes_who_is_rung(world: World) -> None:
    body = {"member": "赵强", "start": "2025-11-24T20:00:00+08:00",
            "end": "2025-11-25T09:00:00+08:00", "note": "李明 请假"}
    async with world.http.post(f"{world.base}/api/v1/oncall/ops/overrides", json=body) as resp:
        assert resp.status == 401  # changing the rota needs a token
    async with world.http.post(f"{world.base}/api/v1/oncall/ops/overrides", json=body,
                               headers={"Authorization": f"Bearer {TOKEN}"}) as resp:
        assert resp.status == 201, await resp.text()
        created = await resp.json()
    assert created["override"]["by"] == "oncall"
    _, text = await world.get("/api/v1/oncall")
    now = json.loads(text)["rotations"][0]["now"]
    assert (now["name"], now["override"]) == ("赵强", True)
    kept = json.loads((world.data / "oncall-overrides.json").read_text(encoding="utf-8"))
    assert kept["ops"][0]["member"] == "赵强"
    for bad, field in (({**body, "member": "无此人"}, "member"),
                       ({**body, "end": "2025-11-24T19:00:00+08:00"}, "end"),
                       ({**body, "start": "tomorrow"}, "start")):
        async with world.http.post(f"{world.base}/api/v1/oncall/ops/overrides", json=bad,
                                   headers={"Authorization": f"Bearer {TOKEN}"}) as resp:
            assert resp.status == 400
            assert (await resp.json())["error"]["field"] == field


async def test_the_calendar_feed_parses_back(world: World) -> None:
    status, text = await world.get("/api/v1/oncall/ops.ics")
    assert status == 200
    cal = icalendar.Calendar.from_ical(text)
    events = list(cal.walk("VEVENT"))
    assert len(events) >= 56  # from the start (or 14 days back) to 56 days ahead, one a day
    names = [str(e.get("summary")) for e in events]
    assert names[:3] == ["运维值班: 李明", "运维值班: 王芳", "运维值班: 赵强"] or \
        {"运维值班: 李明", "运维值班: 王芳", "运维值班: 赵强"} <= set(names)
    first = events[0]
    assert first.decoded("dtend") - first.decoded("dtstart") == \
        events[1].decoded("dtend") - events[1].decoded("dtstart")
    assert all("****" in str(e.get("description")) for e in events)
    status, _ = await world.get("/api/v1/oncall/nope.ics")
    assert status == 404


async def test_a_handover_is_announced_with_the_open_incidents(world: World) -> None:
    world.target.status = 503
    await world.service.scheduler.run_once("kq-oa")
    world.clock.advance(60)
    await world.service.scheduler.run_once("kq-oa")
    await world.service.alerts.drain()
    await world.service.outbox.run_once()
    before = len(world.robot.messages)
    world.clock.advance(9 * 3600)  # past 09:00: 王芳 takes over
    await world.service.alerts.tick_all()
    await world.service.outbox.run_once()
    # (It may share a digest with the escalation that fell due in those hours.)
    handover = [m for m in world.robot.messages[before:] if "值班交接" in m["markdown"]["text"]]
    assert len(handover) == 1
    text = handover[0]["markdown"]["text"]
    assert "李明 → 王芳" in text
    assert "柯桥区协同办公" in text  # the open incident handed over
    assert WANG in handover[0]["at"]["atMobiles"]  # the new person's phone rings
    await world.service.alerts.tick_all()  # looking again announces nothing twice
    await world.service.outbox.run_once()
    assert len([m for m in world.robot.messages if "值班交接" in m["markdown"]["text"]]) == 1
