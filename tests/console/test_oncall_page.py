"""The console's duty rota: who is on duty in every page's header, the rota page with its
shifts (mobiles masked until signed in), and a swap recorded through its form."""

from __future__ import annotations

import textwrap
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest

from monitor.config import load_config
from monitor.service import Service
from tests.api.conftest import HOOK_SECRET, SetClock, config_yaml
from tests.console.signin_support import csrf_of, get_text, post_form, sign_in
from tests.support.receivers import WebhookReceiver
from tests.support.target import running_target, write_config

ONCALL = textwrap.dedent("""\
    oncall:
      - id: "ops"
        name: "运维值班"
        turn: "weekly"
        handover: "09:00"
        start: "2025-11-17"
        members:
          - {name: "李明", mobile: "13800000011"}
          - {name: "王芳", mobile: "13800000012"}
    """)


@pytest.fixture
async def base(tmp_path: Path) -> AsyncIterator[str]:
    async with running_target() as target, WebhookReceiver(secret=HOOK_SECRET) as hook:
        text = config_yaml(tmp_path, target, hook).lstrip("\n") + ONCALL
        service = Service(load_config(write_config(tmp_path, text)), clock=SetClock(),
                          background=False)
        await service.start()
        try:
            yield f"http://127.0.0.1:{service.bound_port}"
        finally:
            await service.stop()


async def test_every_page_says_who_is_on_duty(base: str) -> None:
    async with aiohttp.ClientSession() as http:
        for path in ("/incidents", "/apps", "/oncall"):
            page = await get_text(http, base + path)
            assert "值班：王芳" in page, path  # the 2nd week: 2025-11-24 09:00 onwards


async def test_the_rota_page_masks_mobiles_until_signed_in_and_records_a_swap(
        base: str) -> None:
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as http:
        page = await get_text(http, f"{base}/oncall")
        assert "138****0012" in page
        assert "13800000012" not in page
        assert 'data-shift="李明"' in page
        assert "/api/v1/oncall/ops.ics" in page
        assert "data-swap-form" not in page  # reading only
        reply = await sign_in(http, base)
        assert reply.status == 303
        page = await get_text(http, f"{base}/oncall")
        assert "13800000012" in page
        csrf = await csrf_of(http, f"{base}/oncall")
        refused = await post_form(http, f"{base}/oncall/ops/overrides", {
            "_csrf": csrf, "member": "王芳", "start": "2025-11-25T10:00",
            "end": "2025-11-25T09:00"})
        assert refused.status == 400
        assert 'data-error="oncall.error.time"' in refused.text
        saved = await post_form(http, f"{base}/oncall/ops/overrides", {
            "_csrf": csrf, "member": "李明", "start": "2025-11-24T20:00",
            "end": "2025-11-25T12:00", "note": "王芳 外出"})
        assert saved.status == 303
        page = await get_text(http, f"{base}/oncall?saved=ops")
        assert "data-saved" in page
        assert "值班：李明" in page  # the header follows the swap
