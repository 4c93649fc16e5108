"""Fixtures of the pre-listing evaluation tests: a test PKI and the baseline site."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.support.baseline_servers import RunningSite, baseline_site
from tests.support.certs import TestPki
from tests.support.probectx import closing_probe_resources

__all__ = ["closing_probe_resources"]  # a fixture: imported to be found here


@pytest.fixture(autouse=True)
def _close_probe_resources(closing_probe_resources: None) -> None:
    """Probe contexts made by a test are closed after it."""


@pytest.fixture
def pki(tmp_path: Path) -> TestPki:
    return TestPki(tmp_path)


@pytest.fixture
async def site(pki: TestPki) -> AsyncIterator[RunningSite]:
    """The healthy baseline: every security item right."""
    async with baseline_site(pki) as running:
        yield running
