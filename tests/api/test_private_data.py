"""What an attacker with a shell account, an old ack link or an echoing receiver could read:
data files are the service user's alone, an ack link dies with its incident's resolution, and a
secret in a webhook URL's path never reaches a record, the API or the log."""

from __future__ import annotations

import stat
import textwrap
from collections.abc import AsyncIterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import aiohttp
import pytest
from aiohttp import web
from structlog.testing import capture_logs

from monitor.config import load_config
from monitor.service import Service
from tests.api.conftest import Api, SetClock, open_incident, run_checks
from tests.support.http_servers import serve_app
from tests.support.target import Target, running_target, write_config

PATH_SECRET = "T0K3N-hook-path-5e2a9c7f1b"


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


async def test_data_dir_is_0700_and_the_ledger_0600(service: Service, tmp_path: Path) -> None:
    data = tmp_path / "data"
    assert mode(data) == 0o700
    files = [p for p in data.iterdir() if p.name.startswith("ledger.sqlite3")]
    assert {p.name for p in files} >= {"ledger.sqlite3", "ledger.sqlite3-wal"}
    assert {p.name: mode(p) for p in files} == {p.name: 0o600 for p in files}
    assert mode(data / "link-secret") == 0o600


async def ack(api: Api, url: str, by: str) -> int:
    parts = urlsplit(url)
    token = parse_qs(parts.query)["t"][0]
    async with api.http.post(f"{api.base}{parts.path}", data={"by": by, "t": token}) as resp:
        return resp.status


async def test_an_ack_link_dies_when_its_incident_resolves_and_reopens(
    service: Service, api: Api, target: Target, clock: SetClock
) -> None:
    incident_id = await open_incident(service, target, clock)
    first_link = service.links.ack_url(incident_id)
    target.status = 200
    for _ in range(2):  # recover 2
        clock.advance(60)
        await run_checks(service)
    assert (await service.alerts.get(incident_id)).state == "resolved"
    assert await ack(api, first_link, "张三") == 409  # resolved: the link acknowledges nothing
    target.status = 503  # fails again within the flap window: the same incident reopens
    for _ in range(2):
        clock.advance(60)
        await run_checks(service)
    reopened = await service.alerts.get(incident_id)
    assert (reopened.state, reopened.reopen_count) == ("open", 1)
    assert await ack(api, first_link, "张三") == 403  # the old link no longer works
    assert (await service.alerts.get(incident_id)).acknowledged_at is None
    new_link = service.links.ack_url(incident_id, reopened.reopen_count)
    assert new_link != first_link
    assert await ack(api, new_link, "张三") == 200
    assert (await service.alerts.get(incident_id)).acknowledged_by == "张三"


@pytest.fixture
async def echoing_receiver() -> AsyncIterator[str]:
    """A webhook receiver that refuses with its request path in the error page."""

    async def refuse(request: web.Request) -> web.Response:
        return web.Response(status=500, text=f"no handler for POST {request.path}")

    app = web.Application()
    app.router.add_post("/{tail:.*}", refuse)
    async with serve_app(app) as base:
        yield base


async def test_a_path_secret_echoed_by_a_receiver_is_masked_everywhere(
    tmp_path: Path, echoing_receiver: str
) -> None:
    clock = SetClock()
    async with running_target() as target:
        config = write_config(tmp_path, textwrap.dedent(f"""\
            service:
              listen: "127.0.0.1:0"
              data_dir: "{tmp_path / 'data'}"
            notifiers:
              - id: "hook"
                kind: "webhook"
                url: "{echoing_receiver}/hooks/{PATH_SECRET}"
            apps:
              - id: "kq-oa"
                name: "柯桥区协同办公"
                notify: ["hook"]
                checks:
                  - id: "home"
                    kind: "http"
                    url: "{target.url}/health"
                    confirm: 2
            """))
        service = Service(load_config(config), clock=clock, background=False)
        await service.start()
        try:
            with capture_logs() as logs:
                incident_id = await open_incident(service, target, clock)
                await service.outbox.run_once()
            [record] = await service.alert_store.deliveries_for(incident_id)
            assert record.last_status == "500"
            assert "no handler for POST /hooks/" in (record.last_error or "")
            assert PATH_SECRET not in (record.last_error or "")
            async with aiohttp.ClientSession() as http:
                base = f"http://127.0.0.1:{service.bound_port}"
                async with http.get(f"{base}/api/v1/incidents/{incident_id}") as resp:
                    body = await resp.text()
            assert "no handler for POST" in body
            assert PATH_SECRET not in body
            assert PATH_SECRET not in repr(logs)
        finally:
            await service.stop()
