"""Suite-wide fixtures."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import structlog


@pytest.fixture(autouse=True)
def _fresh_logging() -> Iterator[None]:
    """A test that runs a command in-process configures logging for the whole process (level,
    renderer); put structlog back afterwards so the next test sees the defaults."""
    yield
    structlog.reset_defaults()
