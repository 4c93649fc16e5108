"""Without service.public_url, `run` names the address it actually listens on: in its start line
and in every link it sends (listen on port 0: the port bound, not 0 and not 8080)."""

from __future__ import annotations

import asyncio
import re
import signal
import sys
import textwrap
from pathlib import Path
from typing import Any

import aiohttp
from aiohttp import web

from monitor.core.listening import listen_url
from tests.support.http_servers import serve_app
from tests.support.target import app_yaml, running_target, write_config

ROOT = Path(__file__).resolve().parents[2]


def test_listen_url_names_a_reachable_host() -> None:
    assert listen_url("127.0.0.1:8080") == "http://127.0.0.1:8080"
    assert listen_url("127.0.0.1:0", 41234) == "http://127.0.0.1:41234"
    assert listen_url("[::1]:9000") == "http://[::1]:9000"
    assert "0.0.0.0" not in listen_url("0.0.0.0:8080")


async def test_run_on_port_zero_announces_and_links_the_port_bound(tmp_path: Path) -> None:
    bodies: asyncio.Queue[dict[str, Any]] = asyncio.Queue()

    async def hook(request: web.Request) -> web.Response:
        await bodies.put(await request.json())
        return web.json_response({"ok": True})

    receiver = web.Application()
    receiver.router.add_post("/hook", hook)
    async with running_target() as target, serve_app(receiver) as hook_base:
        target.status = 503
        app = re.sub(r"( *)tier: 1\n", lambda m: f'{m[0]}{m[1]}notify: ["hook"]\n',
                     app_yaml("kq-oa", f"{target.url}/health"))
        path = write_config(tmp_path, textwrap.dedent(f"""
            service:
              listen: "127.0.0.1:0"
              data_dir: "{tmp_path / "data"}"
              log_format: "json"
            defaults:
              confirm: 1
            notifiers:
              - id: "hook"
                kind: "webhook"
                url: "{hook_base}/hook"
            apps:
        """) + app)
        proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "monitor", "run", "--config", str(path), cwd=ROOT,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
        assert proc.stdout is not None
        try:
            async with asyncio.timeout(30):
                line = (await proc.stdout.readline()).decode()
                found = re.search(r"控制台 http://127\.0\.0\.1:(\d+)", line)
                assert found is not None, line
                port = int(found[1])
                assert port not in (0, 8080)
                async with aiohttp.ClientSession() as http, \
                        http.get(f"http://127.0.0.1:{port}/healthz") as resp:
                    assert resp.status == 200  # the port announced is the one listened on
                body = await bodies.get()
                while body.get("event") != "incident.opened":
                    body = await bodies.get()
        finally:
            proc.send_signal(signal.SIGTERM)
            _, err = await asyncio.wait_for(proc.communicate(), 30)
    assert proc.returncode == 0, err.decode()
    assert body["links"]["ack"].startswith(f"http://127.0.0.1:{port}/ack/")
