"""Fixtures for the tcp, dns and tls probe tests: a run context, a test PKI, dead ports."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from probes.base import ProbeContext
from tests.support.certs import TestPki
from tests.support.tcp_servers import closed_port, probe_context, unanswered_port


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
