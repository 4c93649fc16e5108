"""The browser set-up itself: Debian's Chromium loads a page from a server on the test's loop,
runs its script, applies its media query, and the helpers see what goes wrong.

Screenshots land in test-artifacts/screenshots/smoke-<viewport>.png.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from aiohttp import web
from playwright.async_api import Browser, expect

from tests.support.browser import (
    PHONE,
    VIEWPORTS,
    Viewport,
    document_width,
    open_page,
    save_screenshot,
)
from tests.support.http_servers import serve_app

READY = "应用监控 · 已就绪"

# Four 320 px cards side by side fit 1440 px; below 600 px the media query stacks them, or
# the phone would scroll sideways. The script replaces the heading once the DOM is there. The
# empty icon link stops Chromium asking for /favicon.ico: a 404 there is a console error too.
PAGE = """<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>appmon smoke</title>
<link rel="icon" href="data:,">
<style>
  body { margin: 0; font-family: sans-serif; }
  h1 { margin: 16px; font-size: 20px; }
  .cards { display: grid; grid-template-columns: repeat(4, 320px); gap: 16px; padding: 16px; }
  .card { border: 1px solid #c8ccd0; border-radius: 6px; padding: 12px; background: #f6f8fa; }
  .up { color: #1a7f37; }
  .down { color: #cf222e; }
  @media (max-width: 600px) {
    .cards { grid-template-columns: 1fr; }
  }
</style>
</head>
<body>
<h1 id="status">加载中…</h1>
<div class="cards">
  <div class="card">柯桥区协同办公 <span class="up">正常</span></div>
  <div class="card">浙政钉 · 审批流 <span class="up">正常</span></div>
  <div class="card">网格化管理平台 <span class="down">故障 502</span></div>
  <div class="card">证书到期 <span class="up">剩余 87 天</span></div>
</div>
<script>
  document.addEventListener("DOMContentLoaded", () => {
    document.getElementById("status").textContent = "%s";
  });
</script>
</body>
</html>
""" % READY  # noqa: UP031 (the page's own braces would need doubling in an f-string)

# Everything the checks must catch: an uncaught exception, a console error, a fixed width.
BROKEN = """<!doctype html>
<html><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body><div style="width: 600px">固定宽度</div>
<script>console.error("logged failure"); throw new Error("uncaught failure");</script>
</body></html>
"""


def _app() -> web.Application:
    async def page(_request: web.Request) -> web.Response:
        return web.Response(text=PAGE, content_type="text/html")

    async def broken(_request: web.Request) -> web.Response:
        return web.Response(text=BROKEN, content_type="text/html")

    app = web.Application()
    app.router.add_get("/", page)
    app.router.add_get("/broken", broken)
    return app


@pytest.fixture
async def base_url() -> AsyncIterator[str]:
    async with serve_app(_app()) as url:
        yield url


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


@pytest.mark.parametrize("viewport", VIEWPORTS, ids=lambda v: v.name)
async def test_page_runs_its_script_and_fits(
    browser: Browser, base_url: str, viewport: Viewport
) -> None:
    async with open_page(browser, viewport) as (page, errors):
        response = await page.goto(f"{base_url}/")
        assert response is not None
        assert response.status == 200

        await expect(page.locator("#status")).to_have_text(READY)
        columns = await page.locator(".cards").evaluate(
            "el => getComputedStyle(el).gridTemplateColumns.split(' ').length"
        )
        assert columns == (1 if viewport.mobile else 4)  # the media query, at this width
        assert await document_width(page) <= viewport.width

        shot = await save_screenshot(page, f"smoke-{viewport.name}")
        width, _height = _png_size(shot.read_bytes())
        assert width == viewport.width * (2 if viewport.mobile else 1)
        assert errors == []  # last, so errors from anything above are in


async def test_checks_catch_errors_and_overflow(browser: Browser, base_url: str) -> None:
    """The negative control: the same checks on a broken page do fail."""
    async with open_page(browser, PHONE) as (page, errors):
        await page.goto(f"{base_url}/broken")
        assert await document_width(page) > PHONE.width
        assert any("logged failure" in error for error in errors), errors
        assert any(
            error.startswith("pageerror:") and "uncaught failure" in error for error in errors
        ), errors
