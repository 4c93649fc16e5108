"""Words of the status wall (zh-CN default, English), for render.page and the live stream."""

from __future__ import annotations

from monitor.core.catalog.console_wall import WORDS as CONSOLE_WALL_WORDS

WORDS = CONSOLE_WALL_WORDS  # the words live in the catalog (monitor/core/catalog)
