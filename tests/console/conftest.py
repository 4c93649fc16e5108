"""Fixtures of the console's end-to-end tests: a real Chromium per test."""

from tests.support.browser import browser

__all__ = ["browser"]
