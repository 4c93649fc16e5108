"""Fixtures of the service-part tests."""

from __future__ import annotations

import pytest

from tests.support.probectx import closing_probe_resources

__all__ = ["closing_probe_resources"]  # a fixture: imported to be found here


@pytest.fixture(autouse=True)
def _close_probe_resources(closing_probe_resources: None) -> None:
    """Probe contexts made by a test are closed after it."""
