"""Words of the governance page (zh-CN default, English), for render.page.

Keys of listing statuses, verdicts and item states are prefixed (listing., verdict., item.)
so they never shadow COMMON's incident states ("state.open" is an incident's 未确认 there).
"""

from __future__ import annotations

from monitor.core.catalog.console_governance import WORDS as CONSOLE_GOVERNANCE_WORDS

WORDS = CONSOLE_GOVERNANCE_WORDS  # the words live in the catalog (monitor/core/catalog)
