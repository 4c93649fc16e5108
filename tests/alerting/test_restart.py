"""SIGKILL while an incident is open and its delivery pending; start again: same incident,
clocks intact, no second "opened", the pending delivery sent with its original id."""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
import sys
import textwrap
from pathlib import Path
from typing import Any

import aiohttp

from monitor.commands.demo import free_port
from tests.support.polling import wait_until
from tests.support.receivers import WebhookReceiver
from tests.support.target import app_yaml, running_target, write_config

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "restart-test-token"


async def start_service(config: Path) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "monitor", "run", "--config", str(config), cwd=ROOT,
        env={**os.environ, "MONITOR_API_TOKEN": TOKEN},
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE)


async def incidents(url: str) -> list[dict[str, Any]]:
    async with aiohttp.ClientSession() as http:
        for _ in range(100):
            try:
                async with http.get(f"{url}/api/v1/incidents") as resp:
                    body: dict[str, Any] = await resp.json()
                    return list(body["incidents"])
            except aiohttp.ClientError:
                await asyncio.sleep(0.1)
    raise AssertionError("service not reachable")


async def wait_for(condition: Any, what: str, limit_s: float = 30.0) -> None:
    await wait_until(condition, what, limit_s)


def outbox_rows(data: Path) -> list[tuple[str, str, str, int]]:
    with sqlite3.connect(data / "ledger.sqlite3") as db:
        return list(db.execute("select id, event, state, attempts from outbox"))


async def test_sigkill_with_an_open_incident_and_a_pending_delivery(tmp_path: Path) -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    data = tmp_path / "data"
    async with running_target() as app, WebhookReceiver() as hook:
        app.status = 503
        hook.fail = "http500"
        config = write_config(tmp_path, textwrap.dedent(f"""
            service:
              listen: "127.0.0.1:{port}"
              data_dir: "{data}"
              public_url: "{url}"
              api_tokens: [{{name: "oncall", token: "${{MONITOR_API_TOKEN}}"}}]
            notifiers:
              - id: "ops-hook"
                kind: "webhook"
                url: "{hook.url}"
                hmac_secret: "{hook.secret}"
            apps:
        """) + app_yaml("kq-qym", f"{app.url}/health").replace(
            '  checks:', '  notify: ["ops-hook"]\n  checks:'))

        first = await start_service(config)
        try:
            async def opened() -> bool:
                return bool(await incidents(url))

            await wait_for(opened, "an incident")
            [seen_before] = await incidents(url)

            async def attempted() -> bool:
                return hook.hits >= 1

            await wait_for(attempted, "a failed delivery")
        finally:
            first.send_signal(signal.SIGKILL)
            await first.wait()
        [before] = await asyncio.to_thread(outbox_rows, data)
        delivery_id, event, state, attempts = before
        assert (event, state) == ("incident.opened", "pending")
        assert attempts >= 1
        assert hook.received == []

        hook.fail = None  # the receiver recovers; the service restarts
        second = await start_service(config)
        try:
            async def delivered() -> bool:
                return bool(hook.received)

            await wait_for(delivered, "the pending delivery")
            after = await incidents(url)
            await asyncio.sleep(2.5)  # more failing runs: they must not announce again
        finally:
            second.send_signal(signal.SIGTERM)
            _, err = await second.communicate()
        assert second.returncode == 0, err.decode()

    assert len(after) == 1
    incident = after[0]
    # the same incident, its clocks intact
    assert incident["id"] == seen_before["id"]
    assert incident["opened_at"] == seen_before["opened_at"]
    assert incident["started_at"] == seen_before["started_at"]
    assert incident["state"] == "open"
    assert hook.delivery_ids[0] == delivery_id  # the original id, not a new one
    assert [r.body["event"] for r in hook.received] == ["incident.opened"]
    assert hook.received[0].body["incident"]["id"] == incident["id"]
