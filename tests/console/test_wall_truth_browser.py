"""The wall never lies, in real Chromium: stop the service under an open wall and the whole
wall turns grey with 监测数据已中断 N 秒 counting up; a kiosk screen fits 300 apps on one
1920x1080 screen without scrolling and pages through 1,000. Screenshots go to
test-artifacts/screenshots/ (wall-stale, wall-kiosk-300, wall-kiosk-1000)."""

from __future__ import annotations

import re
import time
from pathlib import Path

from playwright.async_api import Browser, expect

from monitor.config import load_config
from monitor.service import Service
from probes.base import ErrorKind, ProbeResult, Timings
from tests.console.wall_support import running_wall
from tests.support.browser import Viewport, open_page, save_screenshot
from tests.support.target import write_config

WALL_SCREEN = Viewport("wall", 1920, 1080)


async def test_the_wall_turns_grey_when_the_service_stops(
    browser: Browser, tmp_path: Path
) -> None:
    async with running_wall(tmp_path, now=time.time()) as wall, \
            open_page(browser, WALL_SCREEN) as (page, errors):
        await wall.checks()
        await page.goto(wall.base + "/")
        await page.wait_for_function("() => window.appmonWall && window.appmonWall.events > 0")
        banner = page.locator("#stale")
        await expect(banner).to_be_hidden()
        await expect(page.locator("#self [data-h='checks']")).to_have_text("5")
        await expect(page.locator("#self [data-h='guard']")).to_have_text("未配置")
        assert errors == []

        await wall.service.stop()  # the stream drops: the wall must not stay green
        await expect(banner).to_be_visible(timeout=10_000)
        await expect(banner.locator("[data-stale-text]")).to_have_text(
            re.compile(r"^监测数据已中断 \d+ 秒$"))
        seconds = "() => Number(document.querySelector('#stale [data-stale-text]')" \
                  ".textContent.match(/\\d+/)[0])"
        first = await page.evaluate(seconds)
        await page.wait_for_function(f"n => ({seconds})() >= n + 2", arg=first,
                                     timeout=8_000)  # N counts up, second by second
        await expect(banner.locator("[data-stale-why]")).to_contain_text("实时连接已断开")
        await expect(page.locator("#wall")).to_have_class(re.compile(r"\bstale\b"))
        assert await page.evaluate("window.appmonWall.stale && window.appmonWall.dropped")
        grey = await page.eval_on_selector(
            "#depts", "e => getComputedStyle(e).filter")
        assert "grayscale(1)" in grey
        shot = await save_screenshot(page, "wall-stale", full_page=False)
        assert shot.stat().st_size > 0
        box = await banner.bounding_box()
        assert box is not None
        assert box["y"] < 200  # at the top, where a room reads it
        size = await banner.locator("strong").evaluate(
            "e => parseFloat(getComputedStyle(e).fontSize)")
        assert size >= 40  # readable across a room at 1920 px


async def test_old_results_turn_the_wall_grey_while_the_stream_is_up(
    browser: Browser, tmp_path: Path
) -> None:
    # The fixed clock is 10 minutes past the last results: the server renders the wall grey,
    # and the stream (still connected) keeps it so.
    async with running_wall(tmp_path, now=time.time()) as wall, \
            open_page(browser, WALL_SCREEN) as (page, errors):
        await wall.checks()
        wall.clock.advance(600)
        await page.goto(wall.base + "/")
        await page.wait_for_function("() => window.appmonWall && window.appmonWall.events > 0")
        banner = page.locator("#stale")
        await expect(banner).to_be_visible()
        await expect(banner.locator("[data-stale-why]")).to_contain_text("没有新的检查结果")
        text = await banner.locator("[data-stale-text]").inner_text()
        assert 595 <= int(re.findall(r"\d+", text)[0]) <= 640
        assert await page.evaluate("window.appmonWall.connected")
        data = await wall.json()
        assert data["health"]["stale"] is True
        assert errors == []


def many_apps(tmp_path: Path, apps: int) -> Path:
    lines = [f'service: {{listen: "127.0.0.1:0", data_dir: "{tmp_path / "data"}"}}',
             'defaults: {interval: "60s", timeout: "5s"}', "apps:"]
    for i in range(apps):
        lines.append(
            f'  - {{id: "app-{i:04d}", name: "应用{i:04d}号系统", '
            f'department: "第{i % 20:02d}部门", tier: {i % 3 + 1}, '
            f'checks: [{{id: "home", kind: "tcp", host: "127.0.0.1", port: 9}}]}}')
    return write_config(tmp_path, "\n".join(lines) + "\n")


async def kiosk(browser: Browser, tmp_path: Path, apps: int) -> tuple[int, int, bool]:
    service = Service(load_config(many_apps(tmp_path, apps)), background=False)
    await service.start()
    try:
        for i in range(apps):
            ok = i % 17 != 3
            service.ledger.record(f"app-{i:04d}", "home", "tcp", ProbeResult(
                ok=ok, started_at=time.time(), timings=Timings(total_s=0.01),
                error_kind=None if ok else ErrorKind.CONNECT_REFUSED,
                message="" if ok else "connection refused"))
        async with open_page(browser, WALL_SCREEN) as (page, errors):
            await page.goto(f"http://127.0.0.1:{service.bound_port}/?kiosk=1")
            await page.wait_for_function("() => window.appmonWall && "
                                         "window.appmonWall.events > 0")
            pages = await page.evaluate("window.appmonWall.pages")
            overflow = await page.evaluate(
                "document.documentElement.scrollHeight > window.innerHeight + 1")
            cols = await page.evaluate("window.appmonWall.cols")
            await save_screenshot(page, f"wall-kiosk-{apps}", full_page=False)
            # Every visible tile lies within the screen's width.
            right = await page.eval_on_selector_all(
                "a.tile", "els => Math.max(...els.map(e => e.getBoundingClientRect().right))")
            assert right <= WALL_SCREEN.width
            if pages > 1:
                await expect(page.locator("#pager")).to_have_text(f"第 1/{pages} 页")
            assert errors == []
            return pages, cols, overflow
    finally:
        await service.stop()


async def test_kiosk_fits_300_apps_on_one_screen(browser: Browser, tmp_path: Path) -> None:
    pages, cols, overflow = await kiosk(browser, tmp_path, 300)
    assert pages == 1
    assert not overflow  # nothing to scroll: one screen
    assert cols >= 10  # the width is used


async def test_kiosk_pages_beyond_one_screen(browser: Browser, tmp_path: Path) -> None:
    pages, _, overflow = await kiosk(browser, tmp_path, 1000)
    assert pages >= 2
    assert not overflow  # pages, never scrolls
