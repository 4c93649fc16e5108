"""Probe contexts for tests, whose HTTP sessions are closed when the test ends.

A `ProbeResources` holds aiohttp sessions bound to the test's event loop; an unclosed one is a
ResourceWarning, which the probe tests turn into failures. Contexts made here are remembered,
and the `close_probe_resources` fixture (tests/probes/conftest.py) closes them after the test.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from monitor.core.constants import USER_AGENT
from probes.context import ProbeContext, ProbeResources

_OPEN: list[ProbeResources] = []


def probe_resources(max_body: int = 1024 * 1024) -> ProbeResources:
    resources = ProbeResources(USER_AGENT, max_body)
    _OPEN.append(resources)
    return resources


def probe_context(timeout_s: float = 3.0, max_body: int = 1024 * 1024) -> ProbeContext:
    return ProbeContext(timeout_s=timeout_s, resources=probe_resources(max_body))


async def close_probe_resources() -> None:
    while _OPEN:
        await _OPEN.pop().close()


@pytest.fixture
async def closing_probe_resources() -> AsyncIterator[None]:
    """Use (autouse) in a conftest whose tests make probe contexts here."""
    yield
    await close_probe_resources()
