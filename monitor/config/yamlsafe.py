"""Composing YAML within bounds: a config costs time and memory in proportion to its size.

PyYAML's composer recurses once per level of nesting, so 50,000 `[` or a mapping 3,000 levels
deep ends in a RecursionError (a traceback, not a config error). The composer here counts the
levels and stops at CONFIG_MAX_DEPTH with the line where it happened, long before Python's
limit. It also counts the nodes written, which bounds how many more the aliases may add when
the tree is walked (yamlnodes: an alias is the node it points to, so a few hundred bytes of
aliases to aliases stand for a billion values: the "billion laughs").
"""

from __future__ import annotations

from typing import Any

import yaml

from monitor.core.constants import CONFIG_ALIAS_FACTOR, CONFIG_ALIAS_NODES, CONFIG_MAX_DEPTH


class TooDeepError(Exception):
    """Nesting past CONFIG_MAX_DEPTH at `line` (1-based)."""

    def __init__(self, line: int) -> None:
        super().__init__(f"nested more than {CONFIG_MAX_DEPTH} levels at line {line}")
        self.line = line


class _BoundedLoader(yaml.SafeLoader):
    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.depth = 0
        self.nodes = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        self.depth += 1
        self.nodes += 1
        try:
            if self.depth > CONFIG_MAX_DEPTH:
                event = self.peek_event()  # type: ignore[no-untyped-call]  # PyYAML is untyped
                raise TooDeepError(event.start_mark.line + 1)
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


def compose(text: str) -> tuple[yaml.Node | None, int]:
    """The document's root node (None when empty) and how many nodes aliases may add to it.
    Raises TooDeepError, or yaml.YAMLError for text that is not YAML."""
    loader = _BoundedLoader(text)
    try:
        root: yaml.Node | None = loader.get_single_node()
    finally:
        loader.dispose()
    return root, max(CONFIG_ALIAS_NODES, CONFIG_ALIAS_FACTOR * loader.nodes)
