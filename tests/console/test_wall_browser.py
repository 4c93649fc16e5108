"""The status wall in real Chromium: tiles by department, filters that hide tiles and live in
the URL, the kiosk mode, and a live update: a real local app goes down, checks and the alert
runner run by hand on a fixed clock, and the open page turns the tile red and shows the
incident with its countdowns without reloading. Screenshots: wall-desktop, wall-phone."""

from __future__ import annotations

import re
import time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from playwright.async_api import Browser, Page, expect

from tests.console.wall_support import Wall, running_wall
from tests.support.browser import DESKTOP, PHONE, document_width, open_page, save_screenshot


def real_now_less(seconds: float) -> float:
    """A start for the fixed clock: wall.open_incident() moves it 60 s on, to the real now."""
    return float(int(time.time()) - seconds)


def query_of(page: Page) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


async def visible_tiles(page: Page) -> list[str]:
    ids: list[str] = await page.eval_on_selector_all(
        "a.tile", "els => els.filter(e => e.offsetParent !== null).map(e => e.id.slice(2))")
    return sorted(ids)


async def live(page: Page, wall: Wall) -> None:
    """Open the wall and wait until its stream is connected (its first event applied)."""
    await page.goto(wall.base + "/")
    await page.wait_for_function("() => window.appmonWall && window.appmonWall.events > 0")


async def test_tiles_are_grouped_and_filters_hide_them(browser: Browser, tmp_path: Path) -> None:
    async with running_wall(tmp_path) as wall, open_page(browser, DESKTOP) as (page, errors):
        await wall.checks()
        await live(page, wall)
        headings = await page.locator("section.dept h2").all_inner_texts()
        assert [h.split()[0] for h in headings] == ["区大数据中心", "区委政法委", "区行政服务中心",
                                                     "未分组"]
        assert await page.locator("section.dept").nth(2).locator("a.tile").count() == 2
        await expect(page.locator("#t-kq-oa")).to_have_class("tile up")
        await expect(page.locator("#live")).to_have_class("live on")
        assert await visible_tiles(page) == ["kq-jczz", "kq-jf", "kq-oa", "kq-wgh", "kq-zwfw"]

        await page.select_option("select[name=department]", "区行政服务中心")
        assert await visible_tiles(page) == ["kq-jf", "kq-zwfw"]
        assert query_of(page) == {"department": ["区行政服务中心"]}
        await page.select_option("select[name=tier]", "2")
        assert await visible_tiles(page) == ["kq-jf"]
        await expect(page.locator("section.dept").first).to_be_hidden()
        await page.select_option("select[name=department]", "")
        await page.select_option("select[name=tier]", "")
        await page.select_option("select[name=category]", "基层治理")
        assert await visible_tiles(page) == ["kq-wgh"]
        assert query_of(page) == {"category": ["基层治理"]}

        # A bookmarked URL comes back filtered (the server applies it: no flash of all tiles).
        await page.goto(wall.base + "/?dept=区行政服务中心&tier=1")
        assert await visible_tiles(page) == ["kq-zwfw"]
        await expect(page.locator("select[name=tier]")).to_have_value("1")
        await page.click("[data-clear]")
        assert len(await visible_tiles(page)) == 5
        assert query_of(page) == {}
        await page.select_option("select[name=department]", "区委政法委")
        await page.click("[data-kiosk]")  # the kiosk link keeps the filters
        await page.wait_for_url("**kiosk=1**")
        assert query_of(page) == {"department": ["区委政法委"], "kiosk": ["1"]}
        assert await visible_tiles(page) == ["kq-wgh"]
        assert errors == []


async def test_kiosk_mode_hides_the_chrome(browser: Browser, tmp_path: Path) -> None:
    async with running_wall(tmp_path) as wall, open_page(browser, DESKTOP) as (page, errors):
        await wall.checks()
        await page.goto(wall.base + "/?kiosk=1")
        assert await page.locator("body.kiosk").count() == 1
        assert await page.locator(".topbar").count() == 0
        assert await page.locator("#filters").count() == 0
        assert await page.locator("a.tile").count() == 5
        size = await page.eval_on_selector("h1", "e => parseFloat(getComputedStyle(e).fontSize)")
        assert size > 25  # type to read from across the room
        await page.wait_for_function("() => window.appmonWall && window.appmonWall.events > 0")
        assert errors == []


async def test_a_tile_turns_red_live_with_the_incident_on_top(
    browser: Browser, tmp_path: Path
) -> None:
    async with running_wall(tmp_path, now=real_now_less(60)) as wall, \
            open_page(browser, DESKTOP) as (page, errors):
        await wall.checks()
        await live(page, wall)
        await expect(page.locator(".inc-none")).to_be_visible()
        await page.evaluate("window.wallMarker = 'same page'")  # a reload would drop it

        incident_id = await wall.open_incident()
        tile = page.locator("#t-kq-oa")
        await expect(tile).to_have_attribute("data-status", "down")
        await expect(tile).to_have_class("tile down")
        await expect(tile.locator(".td")).to_have_text(
            "首页 · 状态码 503（期望 2xx）")
        await expect(tile.locator("[data-since]")).not_to_be_empty()
        item = page.locator(f'#incidents li[data-incident="{incident_id}"]')
        await expect(item).to_be_visible()
        await expect(item.locator("a")).to_have_attribute("href", f"/incidents/{incident_id}")
        # console.js counts down to the deadlines: 15 min to respond, 1 h to resolve, from the
        # incident's opening (the clock moved 60 s to open it: that is the real time now).
        await expect(item.locator('[data-clock="response"]')).to_have_text(
            re.compile(r"^剩余 1[34]分\d\d秒$"))
        await expect(item.locator('[data-clock="resolution"]')).to_have_text(
            re.compile(r"^剩余 5[89]分\d\d秒$"))
        await expect(page.locator('[data-count="down"]')).to_have_text("1")
        await expect(page.locator('section.dept [data-bad="down"]').first).to_be_visible()
        # On top: the incidents block comes before the first department.
        assert await page.evaluate(
            "document.getElementById('incidents').compareDocumentPosition("
            "document.querySelector('section.dept')) & Node.DOCUMENT_POSITION_FOLLOWING")

        await wall.service.alerts.acknowledge(incident_id, "张三", None)
        await expect(tile).to_have_attribute("data-status", "ack")
        await expect(item.locator(".stopped")).to_contain_text("张三 已响应")
        await expect(page.locator('[data-count="ack"]')).to_have_text("1")
        assert await page.evaluate("window.wallMarker") == "same page"
        assert await page.evaluate("window.appmonWall.patched") >= 2
        await save_screenshot(page, "wall-desktop")
        assert errors == []


async def test_the_phone_wall_fits_375px(browser: Browser, tmp_path: Path) -> None:
    async with running_wall(tmp_path, now=real_now_less(60)) as wall, \
            open_page(browser, PHONE) as (page, errors):
        await wall.checks()
        await wall.open_incident()
        await live(page, wall)
        await expect(page.locator("#incidents li.inc")).to_have_count(1)
        columns = await page.eval_on_selector(
            ".tiles", "e => getComputedStyle(e).gridTemplateColumns.split(' ').length")
        assert columns == 2
        assert await document_width(page) <= PHONE.width
        await save_screenshot(page, "wall-phone")
        assert errors == []
