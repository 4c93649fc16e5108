"""The wall over real HTTP without a browser: the server-rendered page (it works without JS,
filters included), the JSON snapshot, and the live stream: everything first, then only what
changed; it ends when the client leaves and when the service stops (without a 60 s wait)."""

from __future__ import annotations

import asyncio
import re
import time
from pathlib import Path

import aiohttp

from monitor.console.context import CONSOLE_KEY
from monitor.console.pages.wall.live import LIVE_KEY
from tests.console.wall_support import read_event, running_wall


def tile_tags(html: str) -> dict[str, str]:
    """Per app id its tile's opening tag."""
    return {m[1]: m[0] for m in re.finditer(r'<a class="tile[^>]*id="t-([a-z0-9-]+)"[^>]*>', html)}


async def get_text(url: str) -> str:
    async with aiohttp.ClientSession() as http, http.get(url) as resp:
        assert resp.status == 200
        assert resp.headers["Content-Security-Policy"].startswith("default-src 'self'")
        return await resp.text()


async def test_the_page_has_every_tile_and_filters_without_js(tmp_path: Path) -> None:
    async with running_wall(tmp_path) as wall:
        await wall.checks()
        html = await get_text(wall.base + "/")
        tiles = tile_tags(html)
        assert set(tiles) == {"kq-oa", "kq-jczz", "kq-zwfw", "kq-jf", "kq-wgh"}
        assert all('data-status="up"' in tag and " hidden" not in tag for tag in tiles.values())
        assert 'href="/apps/kq-oa"' in tiles["kq-oa"]
        assert "当前没有进行中的故障" in html
        # Department sections in name order, the app without one last.
        labels = re.findall(r'<section class="dept"[^>]*>\s*<h2>([^<]+?) <', html)
        assert labels == ["区大数据中心", "区委政法委", "区行政服务中心", "未分组"]

        filtered = await get_text(wall.base + "/?dept=区行政服务中心&tier=2")
        hidden = {app for app, tag in tile_tags(filtered).items() if " hidden" in tag}
        assert hidden == {"kq-oa", "kq-jczz", "kq-zwfw", "kq-wgh"}
        assert '<option value="区行政服务中心" selected>' in filtered

        kiosk = await get_text(wall.base + "/?kiosk=1")
        assert 'class="kiosk' in kiosk
        assert 'id="filters"' not in kiosk
        assert 'class="topbar"' not in kiosk


async def test_the_json_snapshot(tmp_path: Path) -> None:
    async with running_wall(tmp_path) as wall:
        await wall.checks()
        incident_id = await wall.open_incident()
        body = await wall.json()
        assert body["counts"] == {"down": 1, "ack": 0, "unknown": 0, "up": 4, "total": 5}
        first = body["departments"][0]
        assert first["name"] == "区大数据中心"
        assert first["apps"][0]["status"] == "down"
        assert first["apps"][0]["detail"] == "首页 · 状态码 503（期望 2xx）"
        [incident] = body["incidents"]
        assert incident["id"] == incident_id
        assert incident["response_due_ms"] - 900_000 == incident["resolution_due_ms"] - 3_600_000
        assert incident["opened_at"].endswith("+08:00")

        html = await get_text(wall.base + "/?cat=基层治理")
        assert f'data-incident="{incident_id}"' in html  # there, hidden: JS filters in place
        assert '<span class="badge" id="inc-n">0</span>' in html

        only = await wall.json("/console/wall.json?cat=基层治理")
        assert [[a["id"] for a in d["apps"]] for d in only["departments"]] == [["kq-wgh"]]
        assert only["incidents"] == []  # kq-oa's incident is outside the filter


async def test_the_stream_sends_all_then_only_changes(tmp_path: Path) -> None:
    async with running_wall(tmp_path) as wall:
        await wall.checks()
        timeout = aiohttp.ClientTimeout(total=20)
        async with aiohttp.ClientSession(timeout=timeout) as http, \
                http.get(wall.base + "/console/events") as resp:
            assert resp.status == 200
            assert resp.headers["Content-Type"].startswith("text/event-stream")
            first = await read_event(resp)
            assert set(first["tiles"]) == {"kq-oa", "kq-jczz", "kq-zwfw", "kq-jf", "kq-wgh"}
            assert first["counts"]["up"] == 5
            assert "incidents_html" in first

            incident_id = await wall.open_incident()
            change = await read_event(resp)
            if "incidents_html" not in change:  # the first failure came in an event of its own
                assert change["tiles"]["kq-oa"]["s"] == "down"
                change = await read_event(resp)
            assert set(change.get("tiles", {})) <= {"kq-oa"}
            assert f'href="/incidents/{incident_id}"' in change["incidents_html"]
            assert change["incidents_n"] == 1

            await wall.service.alerts.acknowledge(incident_id, "张三", None)
            acked = await read_event(resp)
            assert acked["tiles"] == {"kq-oa": {
                "s": "ack", "d": "张三 处理中 · 首页 · 状态码 503（期望 2xx）",
                "since": int((wall.clock.now() - 60) * 1000), "w": "自 00:00 起", "m": False}}
            assert "张三 已响应" in acked["incidents_html"]
            assert acked["counts"]["ack"] == 1


async def test_a_stream_ends_when_its_client_leaves(tmp_path: Path) -> None:
    async with running_wall(tmp_path) as wall:
        async with aiohttp.ClientSession() as http, \
                http.get(wall.base + "/console/events") as resp:
            await read_event(resp)
            assert (await wall.json())["live_streams"] == 1
        deadline = time.monotonic() + 5
        while (await wall.json())["live_streams"] != 0:
            assert time.monotonic() < deadline, "the stream outlived its client"
            await asyncio.sleep(0.1)


async def test_stopping_the_service_ends_open_streams_at_once(tmp_path: Path) -> None:
    async with running_wall(tmp_path) as wall, aiohttp.ClientSession() as http, \
                http.get(wall.base + "/console/events") as resp:
        await read_event(resp)
        started = time.monotonic()
        # aiohttp would wait up to 60 s for the handler; the shutdown hook ends it now.
        await asyncio.wait_for(wall.service.stop(), timeout=10)
        assert time.monotonic() - started < 3
        rest = await asyncio.wait_for(resp.content.read(), timeout=5)  # then EOF
        assert b"event: wall" not in rest


async def test_streams_ticking_together_share_one_snapshot(tmp_path: Path) -> None:
    async with running_wall(tmp_path) as wall:
        app = wall.service.web_app
        streams, ctx = app[LIVE_KEY], app[CONSOLE_KEY]
        half = ctx.config.console.live_interval_s / 2
        first = await streams.snapshot(ctx, None, 100.0)
        assert await streams.snapshot(ctx, None, 100.0 + half * 0.9) is first  # another screen
        await wall.checks()  # states change; the next tick must see them
        later = await streams.snapshot(ctx, first, 100.0 + 2 * half)
        assert later is not first
        assert later.tiles != first.tiles
