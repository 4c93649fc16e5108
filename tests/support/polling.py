"""Waiting for something that happens in another task, process or server: the one helper.

Tests never sleep for a fixed time to let things happen; they wait until a condition holds,
polling briefly, and fail with what they waited for when it does not within the limit.
"""

from __future__ import annotations

import asyncio
import inspect
import time
from collections.abc import Awaitable, Callable

Condition = Callable[[], bool] | Callable[[], Awaitable[bool]]
POLL_S = 0.02


async def wait_until(condition: Condition, what: str = "the condition",
                     timeout_s: float = 10.0) -> None:
    deadline = time.monotonic() + timeout_s
    while True:
        value = condition()
        if inspect.isawaitable(value):
            value = await value
        if value:
            return
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout_s}s waiting for {what}")
        await asyncio.sleep(POLL_S)
