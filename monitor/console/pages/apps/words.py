"""Words of the app list and app detail pages (in the catalog: monitor.core.catalog)."""

from __future__ import annotations

from monitor.core.catalog.console_app import WORDS

__all__ = ["WORDS"]
