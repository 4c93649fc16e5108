"""Fixtures for the tcp, dns and tls probe tests: a run context, a test PKI, dead ports."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Final

import pytest
import uvloop

from probes.context import ProbeContext
from tests.support.certs import TestPki
from tests.support.probectx import closing_probe_resources, probe_context

__all__ = ["closing_probe_resources"]  # a fixture: imported to be found here
from tests.support.tcp_servers import closed_port, unanswered_port

# The service runs on uvloop (monitor/eventloop.py); the HTTP probe's tests run on both loops,
# so a behaviour that differs between them (the TLS timing hook, say) shows.
_BOTH_LOOPS: Final[Mapping[str, Callable[[], asyncio.AbstractEventLoop]]] = {
    "asyncio": asyncio.new_event_loop, "uvloop": uvloop.new_event_loop,
}
_ON_BOTH_LOOPS: Final = ("test_http.py", "test_realworld.py", "test_flow.py")


def pytest_asyncio_loop_factories(
    config: pytest.Config, item: pytest.Item
) -> Mapping[str, Callable[[], asyncio.AbstractEventLoop]]:
    if item.path.name in _ON_BOTH_LOOPS:
        return _BOTH_LOOPS
    return {"asyncio": asyncio.new_event_loop}


@pytest.fixture(autouse=True)
def _close_probe_resources(closing_probe_resources: None) -> None:
    """Probe contexts made by a test are closed after it."""


@pytest.fixture
def ctx() -> ProbeContext:
    """A generous context for passing cases; hostile cases build a short one themselves."""
    return probe_context(3.0)


@pytest.fixture
def pki(tmp_path: Path) -> TestPki:
    return TestPki(tmp_path)


@pytest.fixture
def dead_port() -> Iterator[int]:
    with closed_port() as port:
        yield port


@pytest.fixture
def black_hole_port() -> Iterator[int]:
    with unanswered_port() as port:
        yield port
