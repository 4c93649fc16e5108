"""Words of the incident list and detail pages (zh-CN default, English), for render.page."""

from __future__ import annotations

from monitor.core.catalog.console_incidents import WORDS as CONSOLE_INCIDENTS_WORDS

WORDS = CONSOLE_INCIDENTS_WORDS  # the words live in the catalog (monitor/core/catalog)
