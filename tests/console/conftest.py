"""Fixtures of the console tests: a real Chromium per test (browser tests), and a real
Service with the console on a free port, a fixed clock and a client that keeps cookies
(tests.console.signin_support). A module may override `console` (the app page does)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest

from tests.api.conftest import SetClock
from tests.console.signin_support import Console, running_console
from tests.support.browser import browser

__all__ = ["browser", "clock", "console", "http"]


@pytest.fixture
def clock() -> SetClock:
    return SetClock()


@pytest.fixture
async def console(tmp_path: Path, clock: SetClock) -> AsyncIterator[Console]:
    async with running_console(tmp_path, clock) as running:
        yield running


@pytest.fixture
async def http(console: Console) -> AsyncIterator[aiohttp.ClientSession]:
    async with console.client() as client:
        yield client
