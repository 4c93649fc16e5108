"""Fixtures of the pre-listing evaluation tests: a test PKI and the baseline site."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.support.baseline_servers import RunningSite, baseline_site
from tests.support.certs import TestPki


@pytest.fixture
def pki(tmp_path: Path) -> TestPki:
    return TestPki(tmp_path)


@pytest.fixture
async def site(pki: TestPki) -> AsyncIterator[RunningSite]:
    """The healthy baseline: every security item right."""
    async with baseline_site(pki) as running:
        yield running
